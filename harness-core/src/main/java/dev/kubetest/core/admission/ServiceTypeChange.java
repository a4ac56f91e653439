package dev.kubetest.core.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubetest.core.json.Json;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What upstream's service registry does when a Service changes type (dropTypeDependentFields): fields the new type
 * does not use are cleared when the update left them as they were, and the addresses they held are released. Pure,
 * apart from the objects it is given.
 */
final class ServiceTypeChange {
    private ServiceTypeChange() {}

    static boolean needsNodePorts(String type) {
        return type.equals("NodePort") || type.equals("LoadBalancer");
    }

    /** To ExternalName: cluster IPs, IP families and the internal traffic policy go, if unchanged by the update. */
    static void dropClusterFields(JsonNode old, ObjectNode svc) {
        ObjectNode spec = Json.with(svc, "spec");
        JsonNode was = old.path("spec");
        if (!spec.has("clusterIP") || spec.path("clusterIP").equals(was.path("clusterIP"))) {
            spec.remove("clusterIP");
            spec.remove("clusterIPs");
        }
        for (String f : List.of("ipFamilies", "ipFamilyPolicy", "internalTrafficPolicy")) {
            if (!spec.has(f) || spec.path(f).equals(was.path(f))) {
                spec.remove(f);
            }
        }
    }

    /** To a type without node ports: the ports' nodePorts go where the update left them as they were. */
    static void dropNodePorts(JsonNode old, ObjectNode svc) {
        Set<Integer> oldPorts = new HashSet<>();
        old.path("spec").path("ports").forEach(p -> oldPorts.add(p.path("nodePort").asInt(0)));
        for (JsonNode p : svc.path("spec").path("ports")) {
            if (p instanceof ObjectNode port && oldPorts.contains(port.path("nodePort").asInt(-1))) {
                port.remove("nodePort");
            }
        }
        ObjectNode spec = Json.with(svc, "spec");
        if (spec.path("healthCheckNodePort").equals(old.path("spec").path("healthCheckNodePort"))) {
            spec.remove("healthCheckNodePort");
        }
    }

    /**
     * What {@code old} held that {@code updated} no longer does, as a Service-shaped object to release: its cluster
     * IP and node ports.
     */
    static List<JsonNode> released(JsonNode old, JsonNode updated) {
        List<JsonNode> out = new ArrayList<>();
        ObjectNode gone = Json.object();
        ObjectNode spec = gone.putObject("spec");
        String ip = old.path("spec").path("clusterIP").asText("");
        if (!ip.isEmpty() && !ip.equals(updated.path("spec").path("clusterIP").asText(""))) {
            spec.put("clusterIP", ip);
        }
        Set<Integer> kept = new HashSet<>();
        updated.path("spec").path("ports").forEach(p -> kept.add(p.path("nodePort").asInt(0)));
        for (JsonNode p : old.path("spec").path("ports")) {
            int np = p.path("nodePort").asInt(0);
            if (np != 0 && !kept.contains(np)) {
                spec.withArray("ports").addObject().put("nodePort", np);
            }
        }
        if (spec.size() > 0) {
            out.add(gone);
        }
        return out;
    }
}
