package dev.kubetest.core.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubetest.core.api.KubeApi;
import dev.kubetest.core.controller.ResourceEvents;
import dev.kubetest.core.selector.LabelSelector;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Programs the Gateways of this implementation's classes: an address from a simulated pool (172.18.255.101-199,
 * beside the load balancers'), {@code Accepted} and {@code Programmed} conditions, and per listener its supported
 * kinds, attached routes and {@code Accepted}/{@code Conflicted}/{@code Programmed}/{@code ResolvedRefs}
 * conditions with conformance's reasons (UnsupportedProtocol, HostnameConflict, InvalidCertificateRef,
 * InvalidRouteKinds). {@link GatewayProxy} serves HTTP on the address.
 */
public final class GatewayController extends StatusController {
    public static final String NAME = "gateway";
    static final String POOL_PREFIX = "172.18.255.";
    static final int POOL_FIRST = 101;
    static final int POOL_LAST = 199;

    public GatewayController(KubeApi api, ResourceEvents events) {
        super(api, events);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    protected String plural() {
        return "gateways";
    }

    @Override
    protected ObjectNode desiredStatus(JsonNode gw, ObjectNode status, String now) {
        if (!gateways.ourClass(gw.path("spec").path("gatewayClassName").asText())) {
            return null;
        }
        long generation = gw.path("metadata").path("generation").asLong(1);
        String address = address(gw);
        if (address == null) {
            address = freeAddress();
        }
        ArrayNode addresses = status.putArray("addresses");
        if (address != null) {
            addresses.addObject().put("type", "IPAddress").put("value", address);
        }
        Map<String, Integer> attached = attachedRoutes(gw);
        Map<String, ObjectNode> previous = new HashMap<>();
        status.path("listeners").forEach(l -> previous.put(l.path("name").asText(), (ObjectNode) l));
        ArrayNode listeners = status.putArray("listeners");
        boolean anyProgrammed = false;
        for (JsonNode l : gw.path("spec").path("listeners")) {
            String name = l.path("name").asText();
            ObjectNode ls = listeners.addObject();
            ls.put("name", name);
            ObjectNode old = previous.get(name);
            ArrayNode conditions = old != null && old.path("conditions").isArray() ? ((ArrayNode) old.path("conditions")).deepCopy()
                    : dev.kubetest.core.json.Json.object().putArray("conditions");
            ArrayNode kinds = ls.putArray("supportedKinds");
            RouteAttachment.supportedKinds(l).forEach(k -> kinds.addObject().put("group", GatewayApi.GROUP).put("kind", k));
            ls.put("attachedRoutes", attached.getOrDefault(name, 0));
            boolean protocolOk = l.path("protocol").asText().equals("HTTP") || l.path("protocol").asText().equals("HTTPS");
            boolean conflicted = conflicted(gw, l);
            String refsProblem = refsProblem(gw, l);
            GatewayApi.condition(conditions, "Accepted", protocolOk, protocolOk ? "Accepted" : "UnsupportedProtocol",
                    protocolOk ? "Listener is accepted" : "Protocol " + l.path("protocol").asText() + " is not supported", generation, now);
            GatewayApi.condition(conditions, "Conflicted", conflicted, conflicted ? "HostnameConflict" : "NoConflicts",
                    conflicted ? "Another listener has the same port and hostname" : "No conflicts", generation, now);
            GatewayApi.condition(conditions, "ResolvedRefs", refsProblem == null, refsProblem == null ? "ResolvedRefs" : refsProblem,
                    refsProblem == null ? "All references are resolved" : "A reference of the listener is invalid", generation, now);
            boolean programmed = protocolOk && !conflicted && refsProblem == null && address != null;
            anyProgrammed |= programmed;
            GatewayApi.condition(conditions, "Programmed", programmed, programmed ? "Programmed" : "Invalid",
                    programmed ? "Listener is programmed" : "Listener is invalid", generation, now);
            ls.set("conditions", conditions);
        }
        ArrayNode conditions = status.path("conditions").isArray() ? (ArrayNode) status.path("conditions") : status.putArray("conditions");
        status.set("conditions", conditions);
        GatewayApi.condition(conditions, "Accepted", true, "Accepted", "Gateway is accepted", generation, now);
        boolean programmed = address != null && anyProgrammed;
        GatewayApi.condition(conditions, "Programmed", programmed, programmed ? "Programmed" : address == null ? "AddressNotAssigned" : "Invalid",
                programmed ? "Gateway is programmed" : address == null ? "No address left in the pool" : "No listener is programmed",
                generation, now);
        return status;
    }

    /** The address the Gateway holds already, if any. */
    static String address(JsonNode gw) {
        for (JsonNode a : gw.path("status").path("addresses")) {
            if (a.path("value").asText().startsWith(POOL_PREFIX)) {
                return a.path("value").asText();
            }
        }
        return null;
    }

    private String freeAddress() {
        Set<String> taken = new HashSet<>();
        for (JsonNode g : gateways.list("gateways")) {
            g.path("status").path("addresses").forEach(a -> taken.add(a.path("value").asText()));
        }
        for (int n = POOL_FIRST; n <= POOL_LAST; n++) {
            if (!taken.contains(POOL_PREFIX + n)) {
                return POOL_PREFIX + n;
            }
        }
        return null;
    }

    private static boolean conflicted(JsonNode gw, JsonNode listener) {
        for (JsonNode other : gw.path("spec").path("listeners")) {
            if (other != listener && other.path("port").asInt() == listener.path("port").asInt()
                    && other.path("hostname").asText("").equals(listener.path("hostname").asText(""))) {
                return true;
            }
        }
        return false;
    }

    /** Why the listener's references do not resolve (a missing certificate Secret, an unsupported route kind), or null. */
    private String refsProblem(JsonNode gw, JsonNode listener) {
        JsonNode kinds = listener.path("allowedRoutes").path("kinds");
        for (JsonNode k : kinds) {
            if (!RouteAttachment.supportedKinds(listener).contains(k.path("kind").asText())) {
                return "InvalidRouteKinds";
            }
        }
        if ("HTTPS".equals(listener.path("protocol").asText())) {
            var secrets = api.registry().find("", "v1", "secrets").orElseThrow();
            for (JsonNode ref : listener.path("tls").path("certificateRefs")) {
                String ns = ref.path("namespace").asText(gw.path("metadata").path("namespace").asText());
                if (!"Secret".equals(ref.path("kind").asText("Secret")) || api.find(secrets, ns, ref.path("name").asText()).isEmpty()) {
                    return "InvalidCertificateRef";
                }
            }
        }
        return null;
    }

    /** How many routes attach to each listener. */
    private Map<String, Integer> attachedRoutes(JsonNode gw) {
        Map<String, Integer> out = new HashMap<>();
        for (String plural : List.of("httproutes", "grpcroutes")) {
            String kind = plural.equals("httproutes") ? "HTTPRoute" : "GRPCRoute";
            for (JsonNode route : gateways.list(plural)) {
                for (JsonNode ref : route.path("spec").path("parentRefs")) {
                    if (gateways.parentGateway(route, ref).filter(g -> sameObject(g, gw)).isEmpty()) {
                        continue;
                    }
                    RouteAttachment.attach(gw, route, kind, ref, namespaceLabels(route.path("metadata").path("namespace").asText()))
                            .listeners().forEach(l -> out.merge(l, 1, Integer::sum));
                }
            }
        }
        return out;
    }

    private Map<String, String> namespaceLabels(String ns) {
        return api.find(api.registry().find("", "v1", "namespaces").orElseThrow(), null, ns).map(LabelSelector::labelsOf).orElse(Map.of());
    }

    static boolean sameObject(JsonNode a, JsonNode b) {
        return a.path("metadata").path("uid").asText().equals(b.path("metadata").path("uid").asText());
    }
}
