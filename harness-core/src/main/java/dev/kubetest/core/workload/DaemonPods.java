package dev.kubetest.core.workload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubetest.core.json.Json;
import dev.kubetest.core.scheduler.SchedulingFilters;
import java.util.List;

/**
 * What a DaemonSet's pods look like and where they belong, as upstream's daemon utilities decide: the automatic
 * tolerations every daemon pod gets (not-ready and unreachable NoExecute; disk, memory and PID pressure and
 * unschedulable NoSchedule; network-unavailable for host-network pods), a node that should run one (the pod's
 * selector and required affinity match it and its NoSchedule/NoExecute taints are tolerated), and the pod pinned to
 * its node by a {@code metadata.name} node affinity term. Pure.
 */
public final class DaemonPods {
    private DaemonPods() {}

    private record Toleration(String key, String effect) {}

    private static final List<Toleration> ALWAYS = List.of(
            new Toleration("node.kubernetes.io/not-ready", "NoExecute"),
            new Toleration("node.kubernetes.io/unreachable", "NoExecute"),
            new Toleration("node.kubernetes.io/disk-pressure", "NoSchedule"),
            new Toleration("node.kubernetes.io/memory-pressure", "NoSchedule"),
            new Toleration("node.kubernetes.io/pid-pressure", "NoSchedule"),
            new Toleration("node.kubernetes.io/unschedulable", "NoSchedule"));

    /** The template's pod spec with the automatic tolerations added (those it lacks). */
    public static ObjectNode withTolerations(JsonNode podSpec) {
        ObjectNode spec = podSpec.isObject() ? ((ObjectNode) podSpec).deepCopy() : Json.object();
        ArrayNode tolerations = spec.withArray("tolerations");
        List<Toleration> wanted = new java.util.ArrayList<>(ALWAYS);
        if (spec.path("hostNetwork").asBoolean(false)) {
            wanted.add(new Toleration("node.kubernetes.io/network-unavailable", "NoSchedule"));
        }
        for (Toleration t : wanted) {
            boolean present = false;
            for (JsonNode have : tolerations) {
                present |= t.key().equals(have.path("key").asText()) && t.effect().equals(have.path("effect").asText());
            }
            if (!present) {
                ObjectNode add = tolerations.addObject();
                add.put("key", t.key());
                add.put("operator", "Exists");
                add.put("effect", t.effect());
            }
        }
        return spec;
    }

    /** Whether a daemon pod with {@code podSpec} (tolerations included) should run on {@code node}. */
    public static boolean shouldRun(JsonNode podSpec, JsonNode node) {
        if (!SchedulingFilters.matchesSelectorAndAffinity(podSpec, node)) {
            return false;
        }
        if (node.path("spec").path("unschedulable").asBoolean(false)
                && !SchedulingFilters.tolerates(podSpec, "node.kubernetes.io/unschedulable", "", "NoSchedule")) {
            return false;
        }
        for (JsonNode taint : node.path("spec").path("taints")) {
            String effect = taint.path("effect").asText();
            if ((effect.equals("NoSchedule") || effect.equals("NoExecute"))
                    && !SchedulingFilters.tolerates(podSpec, taint.path("key").asText(), taint.path("value").asText(""), effect)) {
                return false;
            }
        }
        return true;
    }

    /** Pins a pod spec to a node as upstream does: its required node affinity becomes one metadata.name term. */
    public static void pinToNode(ObjectNode podSpec, String node) {
        ObjectNode required = Json.with(Json.with(Json.with(podSpec, "affinity"), "nodeAffinity"),
                "requiredDuringSchedulingIgnoredDuringExecution");
        ArrayNode terms = required.putArray("nodeSelectorTerms");
        ObjectNode field = terms.addObject().putArray("matchFields").addObject();
        field.put("key", "metadata.name");
        field.put("operator", "In");
        field.putArray("values").add(node);
    }

    /** The node a daemon pod is for: its nodeName once bound, else the node its affinity term names. */
    public static String nodeOf(JsonNode pod) {
        String bound = pod.path("spec").path("nodeName").asText("");
        if (!bound.isEmpty()) {
            return bound;
        }
        for (JsonNode term : pod.path("spec").path("affinity").path("nodeAffinity")
                .path("requiredDuringSchedulingIgnoredDuringExecution").path("nodeSelectorTerms")) {
            for (JsonNode f : term.path("matchFields")) {
                if ("metadata.name".equals(f.path("key").asText()) && f.path("values").size() == 1) {
                    return f.path("values").get(0).asText();
                }
            }
        }
        return "";
    }
}
