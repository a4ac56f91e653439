package dev.kubetest.core.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubetest.core.json.Json;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which pods back a Service and on which ports, as upstream's endpoint controllers compute it (pure functions):
 * pods with an IP that have not finished, each port's {@code targetPort} resolved per pod (a named one through
 * the pod's container ports; a pod without it is left out of that port), pods grouped by the ports they resolve
 * to, and per pod the conditions {@code serving} (Ready), {@code terminating} (being deleted) and {@code ready}
 * (serving and not terminating, or always with {@code publishNotReadyAddresses}).
 */
public final class ServiceEndpoints {
    /** At most this many endpoints in one EndpointSlice (upstream's default {@code --max-endpoints-per-slice}). */
    public static final int MAX_PER_SLICE = 100;

    /** One pod as an endpoint, with the ports it serves the Service on. */
    public record Endpoint(JsonNode pod, ArrayNode ports, boolean ready, boolean serving, boolean terminating) {}

    private ServiceEndpoints() {}

    public static boolean hasSelector(JsonNode service) {
        return service.path("spec").path("selector").isObject() && !service.path("spec").path("selector").isEmpty();
    }

    public static boolean headless(JsonNode service) {
        return "None".equals(service.path("spec").path("clusterIP").asText());
    }

    /** The endpoints of {@code pods} (already matched by the selector), terminating ones included, in pod name order. */
    public static List<Endpoint> endpoints(JsonNode service, List<? extends JsonNode> pods) {
        boolean publishNotReady = service.path("spec").path("publishNotReadyAddresses").asBoolean(false);
        List<Endpoint> out = new ArrayList<>();
        List<JsonNode> sorted = new ArrayList<>(pods);
        sorted.sort(Comparator.comparing(p -> p.path("metadata").path("name").asText()));
        for (JsonNode pod : sorted) {
            String phase = pod.path("status").path("phase").asText("");
            if (pod.path("status").path("podIP").asText("").isEmpty() || phase.equals("Succeeded") || phase.equals("Failed")) {
                continue;
            }
            boolean serving = podReady(pod);
            boolean terminating = pod.path("metadata").hasNonNull("deletionTimestamp");
            boolean ready = publishNotReady || (serving && !terminating);
            out.add(new Endpoint(pod, ports(service, pod), ready, serving, terminating));
        }
        return out;
    }

    static boolean podReady(JsonNode pod) {
        for (JsonNode c : pod.path("status").path("conditions")) {
            if ("Ready".equals(c.path("type").asText())) {
                return "True".equals(c.path("status").asText());
            }
        }
        return false;
    }

    /** The Service's ports as this pod serves them: {@code name}, the resolved {@code port}, {@code protocol}. */
    static ArrayNode ports(JsonNode service, JsonNode pod) {
        ArrayNode out = Json.NODES.arrayNode();
        for (JsonNode sp : service.path("spec").path("ports")) {
            String protocol = sp.path("protocol").asText("TCP");
            JsonNode target = sp.get("targetPort");
            Integer number = null;
            if (target == null || target.isNull()) {
                number = sp.path("port").asInt();
            } else if (target.isNumber() || target.asText().matches("\\d+")) {
                number = target.asInt();
            } else {
                number = namedPort(pod, target.asText(), protocol);
            }
            if (number == null) {
                continue;
            }
            ObjectNode p = out.addObject();
            p.put("name", sp.path("name").asText(""));
            p.put("port", number);
            p.put("protocol", protocol);
            if (sp.hasNonNull("appProtocol")) {
                p.put("appProtocol", sp.path("appProtocol").asText());
            }
        }
        return out;
    }

    private static Integer namedPort(JsonNode pod, String name, String protocol) {
        for (String list : List.of("containers", "initContainers")) {
            for (JsonNode c : pod.path("spec").path(list)) {
                for (JsonNode p : c.path("ports")) {
                    if (name.equals(p.path("name").asText()) && protocol.equals(p.path("protocol").asText("TCP"))) {
                        return p.path("containerPort").asInt();
                    }
                }
            }
        }
        return null;
    }

    /** Endpoints grouped by the ports they resolve to, in first-seen order (pods with other port numbers apart). */
    public static Map<String, List<Endpoint>> byPorts(List<Endpoint> endpoints) {
        Map<String, List<Endpoint>> groups = new LinkedHashMap<>();
        for (Endpoint e : endpoints) {
            groups.computeIfAbsent(e.ports().toString(), k -> new ArrayList<>()).add(e);
        }
        return groups;
    }

    /**
     * The EndpointSlices' contents ({@code addressType}, {@code endpoints}, {@code ports}) the Service should have:
     * one or more slices per port set, at most {@link #MAX_PER_SLICE} endpoints each; a Service without pods has one
     * empty slice.
     */
    public static List<ObjectNode> slices(JsonNode service, List<Endpoint> endpoints) {
        List<ObjectNode> out = new ArrayList<>();
        for (List<Endpoint> group : byPorts(endpoints).values()) {
            for (int from = 0; from < group.size(); from += MAX_PER_SLICE) {
                List<Endpoint> chunk = group.subList(from, Math.min(group.size(), from + MAX_PER_SLICE));
                ObjectNode slice = Json.object();
                slice.put("addressType", "IPv4");
                ArrayNode list = slice.putArray("endpoints");
                chunk.forEach(e -> list.add(sliceEndpoint(service, e)));
                slice.set("ports", chunk.get(0).ports().deepCopy());
                out.add(slice);
            }
        }
        if (out.isEmpty()) {
            ObjectNode empty = Json.object();
            empty.put("addressType", "IPv4");
            empty.putArray("endpoints");
            empty.set("ports", ports(service, Json.object()).deepCopy());
            out.add(empty);
        }
        return out;
    }

    private static ObjectNode sliceEndpoint(JsonNode service, Endpoint e) {
        ObjectNode o = Json.object();
        o.putArray("addresses").add(e.pod().path("status").path("podIP").asText());
        ObjectNode conditions = o.putObject("conditions");
        conditions.put("ready", e.ready());
        conditions.put("serving", e.serving());
        conditions.put("terminating", e.terminating());
        hostname(service, e.pod()).ifPresent(h -> o.put("hostname", h));
        String node = e.pod().path("spec").path("nodeName").asText("");
        if (!node.isEmpty()) {
            o.put("nodeName", node);
        }
        o.set("targetRef", targetRef(e.pod()));
        return o;
    }

    /** The pod's hostname when it names this Service as its subdomain (StatefulSet pods of a headless Service). */
    static java.util.Optional<String> hostname(JsonNode service, JsonNode pod) {
        String hostname = pod.path("spec").path("hostname").asText("");
        boolean sameDomain = service.path("metadata").path("name").asText().equals(pod.path("spec").path("subdomain").asText(""));
        return !hostname.isEmpty() && sameDomain ? java.util.Optional.of(hostname) : java.util.Optional.empty();
    }

    static ObjectNode targetRef(JsonNode pod) {
        ObjectNode ref = Json.object();
        ref.put("kind", "Pod");
        ref.put("namespace", pod.path("metadata").path("namespace").asText());
        ref.put("name", pod.path("metadata").path("name").asText());
        ref.put("uid", pod.path("metadata").path("uid").asText());
        return ref;
    }

    /**
     * The Endpoints object's {@code subsets}: per port set, ready pods under {@code addresses} and the others under
     * {@code notReadyAddresses}; terminating pods are left out unless the Service publishes not-ready addresses.
     */
    public static ArrayNode subsets(JsonNode service, List<Endpoint> endpoints) {
        boolean publishNotReady = service.path("spec").path("publishNotReadyAddresses").asBoolean(false);
        ArrayNode subsets = Json.NODES.arrayNode();
        for (List<Endpoint> group : byPorts(endpoints).values()) {
            ObjectNode subset = Json.object();
            ArrayNode ready = Json.NODES.arrayNode();
            ArrayNode notReady = Json.NODES.arrayNode();
            for (Endpoint e : group) {
                if (e.terminating() && !publishNotReady) {
                    continue;
                }
                ObjectNode address = Json.object();
                address.put("ip", e.pod().path("status").path("podIP").asText());
                hostname(service, e.pod()).ifPresent(h -> address.put("hostname", h));
                String node = e.pod().path("spec").path("nodeName").asText("");
                if (!node.isEmpty()) {
                    address.put("nodeName", node);
                }
                address.set("targetRef", targetRef(e.pod()));
                (e.ready() ? ready : notReady).add(address);
            }
            if (ready.isEmpty() && notReady.isEmpty()) {
                continue;
            }
            if (!ready.isEmpty()) {
                subset.set("addresses", ready);
            }
            if (!notReady.isEmpty()) {
                subset.set("notReadyAddresses", notReady);
            }
            ArrayNode ports = subset.putArray("ports");
            for (JsonNode p : group.get(0).ports()) {
                ObjectNode port = ports.addObject();
                if (!p.path("name").asText("").isEmpty()) {
                    port.put("name", p.path("name").asText());
                }
                port.put("port", p.path("port").asInt());
                port.put("protocol", p.path("protocol").asText());
                if (p.has("appProtocol")) {
                    port.put("appProtocol", p.path("appProtocol").asText());
                }
            }
            subsets.add(subset);
        }
        return subsets;
    }
}
