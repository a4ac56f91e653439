package dev.kubetest.core.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubetest.core.api.KubeApi;
import dev.kubetest.core.controller.ResourceEvents;
import dev.kubetest.core.selector.LabelSelector;
import java.util.Map;

/**
 * Keeps {@code status.parents} of HTTPRoutes (controller {@code httproute}) or GRPCRoutes ({@code grpcroute})
 * whose parents are this implementation's Gateways: per parent reference {@code Accepted} ({@link RouteAttachment}'s
 * reasons) and {@code ResolvedRefs} (BackendNotFound, InvalidKind, RefNotPermitted without a ReferenceGrant),
 * leaving other controllers' entries alone.
 */
public final class RouteStatusController extends StatusController {
    private final String name;
    private final String plural;
    private final String kind;

    private RouteStatusController(KubeApi api, ResourceEvents events, String name, String plural, String kind) {
        super(api, events);
        this.name = name;
        this.plural = plural;
        this.kind = kind;
    }

    /** The status of HTTPRoutes. */
    public static RouteStatusController httpRoutes(KubeApi api, ResourceEvents events) {
        return new RouteStatusController(api, events, "httproute", "httproutes", "HTTPRoute");
    }

    /** The status of GRPCRoutes (their traffic is not simulated: gRPC needs HTTP/2). */
    public static RouteStatusController grpcRoutes(KubeApi api, ResourceEvents events) {
        return new RouteStatusController(api, events, "grpcroute", "grpcroutes", "GRPCRoute");
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    protected String plural() {
        return plural;
    }

    @Override
    protected ObjectNode desiredStatus(JsonNode route, ObjectNode status, String now) {
        long generation = route.path("metadata").path("generation").asLong(1);
        ArrayNode previous = status.path("parents").isArray() ? (ArrayNode) status.path("parents") : dev.kubetest.core.json.Json.object().putArray("p");
        ArrayNode parents = status.putArray("parents");
        for (JsonNode p : previous) {
            if (!GatewayApi.CONTROLLER.equals(p.path("controllerName").asText())) {
                parents.add(p);
            }
        }
        String refs = backendProblem(route);
        for (JsonNode ref : route.path("spec").path("parentRefs")) {
            var gw = gateways.parentGateway(route, ref);
            if (gw.isEmpty()) {
                continue;
            }
            ObjectNode entry = parents.addObject();
            entry.set("parentRef", ref);
            entry.put("controllerName", GatewayApi.CONTROLLER);
            ArrayNode conditions = entry.putArray("conditions");
            for (JsonNode p : previous) {
                if (GatewayApi.CONTROLLER.equals(p.path("controllerName").asText()) && p.path("parentRef").equals(ref)) {
                    conditions.addAll((ArrayNode) p.path("conditions").deepCopy());
                }
            }
            RouteAttachment.Result attached = RouteAttachment.attach(gw.get(), route, kind, ref,
                    namespaceLabels(route.path("metadata").path("namespace").asText()));
            GatewayApi.condition(conditions, "Accepted", attached.accepted(), attached.reason(), attached.message(), generation, now);
            GatewayApi.condition(conditions, "ResolvedRefs", refs == null, refs == null ? "ResolvedRefs" : refs.split(":", 2)[0],
                    refs == null ? "Resolved all the Object references for the Route" : refs.split(":", 2)[1].trim(), generation, now);
        }
        return status;
    }

    /** {@code Reason: message} for the first backend reference that does not resolve, or null. */
    private String backendProblem(JsonNode route) {
        String routeNs = route.path("metadata").path("namespace").asText();
        for (JsonNode rule : route.path("spec").path("rules")) {
            for (JsonNode b : rule.path("backendRefs")) {
                String problem = BackendRefs.problem(api, gateways, kind, routeNs, b);
                if (problem != null) {
                    return problem;
                }
            }
        }
        return null;
    }

    private Map<String, String> namespaceLabels(String ns) {
        return api.find(api.registry().find("", "v1", "namespaces").orElseThrow(), null, ns).map(LabelSelector::labelsOf).orElse(Map.of());
    }
}
