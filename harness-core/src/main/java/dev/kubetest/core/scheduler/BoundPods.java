package dev.kubetest.core.scheduler;

import dev.kubetest.core.controller.ObjectKeys;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The scheduler's cache of pods bound to nodes and not yet terminal, fed by its pod watch, so a scheduling cycle
 * does not list every pod. As upstream's scheduler cache, a pod is "assumed" on its node before the binding is
 * written, so the next cycle already counts it; the watch's later events replace the assumption, and its
 * DELETED event (which always follows the binding) removes it. Pods nominated by preemption hold their room on
 * the nominated node against pods of lower priority.
 */
final class BoundPods {
    private final Map<String, JsonNode> pods = new ConcurrentHashMap<>();
    /** Unbound pods with a {@code status.nominatedNodeName}: preemptors waiting for their victims to go. */
    private final Map<String, JsonNode> nominated = new ConcurrentHashMap<>();


    /** Whether {@code pod} counts on its node (bound or assumed, not terminal). */
    boolean contains(JsonNode pod) {
        return pods.containsKey(ObjectKeys.of(pod));
    }

    void observe(dev.kubetest.core.api.WatchEventType type, JsonNode pod) {
        String key = ObjectKeys.of(pod);
        String phase = pod.path("status").path("phase").asText("");
        boolean bound = !pod.path("spec").path("nodeName").asText("").isEmpty();
        if (type == dev.kubetest.core.api.WatchEventType.DELETED || bound || pod.path("status").path("nominatedNodeName").asText("").isEmpty()) {
            nominated.remove(key);
        } else {
            nominated.put(key, pod);
        }
        if (type == dev.kubetest.core.api.WatchEventType.DELETED || phase.equals("Succeeded") || phase.equals("Failed")) {
            pods.remove(key);
        } else if (bound) {
            pods.put(key, pod);
        }
        // an event without nodeName is from before the binding: nodeName never goes away once set
    }

    void assume(JsonNode pod, String node) {
        ObjectNode copy = pod.deepCopy();
        ((ObjectNode) copy.path("spec")).put("nodeName", node);
        pods.put(ObjectKeys.of(pod), copy);
    }

    void forget(JsonNode pod) {
        pods.remove(ObjectKeys.of(pod));
    }

    List<JsonNode> all() {
        return new ArrayList<>(pods.values());
    }

    /**
     * The bound pods plus, as upstream reserves room for them, the nominated pods other than {@code pod} whose
     * priority is at least its own, placed on their nominated nodes.
     */
    List<JsonNode> withNominatedFor(JsonNode pod) {
        List<JsonNode> out = all();
        long priority = pod.path("spec").path("priority").asLong(0);
        String self = ObjectKeys.of(pod);
        for (Map.Entry<String, JsonNode> e : nominated.entrySet()) {
            JsonNode other = e.getValue();
            if (!e.getKey().equals(self) && other.path("spec").path("priority").asLong(0) >= priority) {
                ObjectNode copy = other.deepCopy();
                ((ObjectNode) copy.path("spec")).put("nodeName", other.path("status").path("nominatedNodeName").asText());
                out.add(copy);
            }
        }
        return out;
    }
}
