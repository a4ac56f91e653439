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
    /** The same pods by node name, so a cycle reads only the nodes it looks at. */
    private final Map<String, Map<String, JsonNode>> byNode = new ConcurrentHashMap<>();
    /** The bound pods with pod (anti-)affinity terms of their own. */
    private final Map<String, JsonNode> withAffinity = new ConcurrentHashMap<>();
    /** What each node's pods request in all, made when first asked for after a change on that node. */
    private final Map<String, ClusterSnapshot.Usage> usage = new ConcurrentHashMap<>();
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
            remove(key);
        } else if (bound) {
            put(key, pod);
        }
        // an event without nodeName is from before the binding: nodeName never goes away once set
    }

    void assume(JsonNode pod, String node) {
        ObjectNode copy = pod.deepCopy();
        ((ObjectNode) copy.path("spec")).put("nodeName", node);
        put(ObjectKeys.of(pod), copy);
    }

    void forget(JsonNode pod) {
        remove(ObjectKeys.of(pod));
    }

    private synchronized void put(String key, JsonNode pod) {
        remove(key);
        pods.put(key, pod);
        String node = pod.path("spec").path("nodeName").asText();
        byNode.computeIfAbsent(node, n -> new ConcurrentHashMap<>()).put(key, pod);
        usage.remove(node);
        if (ClusterSnapshot.hasAffinity(pod)) {
            withAffinity.put(key, pod);
        }
    }

    private synchronized void remove(String key) {
        JsonNode old = pods.remove(key);
        if (old != null) {
            String node = old.path("spec").path("nodeName").asText();
            Map<String, JsonNode> onNode = byNode.get(node);
            if (onNode != null) {
                onNode.remove(key);
            }
            usage.remove(node);
            withAffinity.remove(key);
        }
    }

    /**
     * A snapshot for scheduling {@code pod}: {@code nodes} with their bound pods, read per node when first asked
     * for, plus the nominated pods {@link #withNominatedFor} counts.
     */
    ClusterSnapshot snapshotFor(JsonNode pod, List<? extends JsonNode> nodes, Map<String, Map<String, String>> namespaceLabels) {
        Map<String, List<JsonNode>> nominatedByNode = new java.util.HashMap<>();
        List<JsonNode> affinity = new ArrayList<>(withAffinity.values());
        for (JsonNode n : nominatedFor(pod)) {
            nominatedByNode.computeIfAbsent(n.path("spec").path("nodeName").asText(), k -> new ArrayList<>()).add(n);
            affinity.add(n);
        }
        return ClusterSnapshot.lazy(nodes, name -> {
            Map<String, JsonNode> onNode = byNode.get(name);
            List<JsonNode> out = new ArrayList<>(onNode == null ? List.of() : onNode.values());
            out.addAll(nominatedByNode.getOrDefault(name, List.of()));
            return out;
        }, name -> usageOf(name).plus(nominatedByNode.getOrDefault(name, List.of())), affinity, namespaceLabels);
    }

    /** What the pods bound to node {@code name} request in all (kept until a pod there changes). */
    private ClusterSnapshot.Usage usageOf(String name) {
        ClusterSnapshot.Usage u = usage.get(name);
        if (u == null) {
            synchronized (this) {
                Map<String, JsonNode> onNode = byNode.get(name);
                u = ClusterSnapshot.Usage.of(onNode == null ? List.of() : new ArrayList<>(onNode.values()));
                usage.put(name, u);
            }
        }
        return u;
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
        out.addAll(nominatedFor(pod));
        return out;
    }

    /** The nominated pods other than {@code pod} of at least its priority, on their nominated nodes. */
    private List<JsonNode> nominatedFor(JsonNode pod) {
        List<JsonNode> out = new ArrayList<>();
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
