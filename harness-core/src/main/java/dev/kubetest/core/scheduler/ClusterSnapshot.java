package dev.kubetest.core.scheduler;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the scheduler sees in one scheduling cycle: the nodes, the non-terminal pods bound to each, and the labels
 * of each namespace (for affinity terms with a {@code namespaceSelector}); {@code placed} lists every bound pod
 * with its node (pods on nodes that no longer exist are left out), {@code withAffinity} those with pod
 * (anti-)affinity terms of their own.
 */
public record ClusterSnapshot(List<? extends JsonNode> nodes, Map<String, List<JsonNode>> podsByNode,
                              Map<String, Map<String, String>> namespaceLabels, List<ClusterSnapshot.Placed> placed,
                              List<ClusterSnapshot.Placed> withAffinity) {

    /** A bound pod together with the node it is on. */
    public record Placed(JsonNode pod, JsonNode node) {}

    public static ClusterSnapshot of(List<? extends JsonNode> nodes, List<? extends JsonNode> pods,
                                     Map<String, Map<String, String>> namespaceLabels) {
        Map<String, List<JsonNode>> byNode = new HashMap<>();
        for (JsonNode p : pods) {
            String n = p.path("spec").path("nodeName").asText("");
            String phase = p.path("status").path("phase").asText("");
            if (!n.isEmpty() && !phase.equals("Succeeded") && !phase.equals("Failed")) {
                byNode.computeIfAbsent(n, k -> new ArrayList<>()).add(p);
            }
        }
        List<Placed> placed = new ArrayList<>();
        for (JsonNode node : nodes) {
            for (JsonNode p : byNode.getOrDefault(node.path("metadata").path("name").asText(), List.of())) {
                placed.add(new Placed(p, node));
            }
        }
        List<Placed> withAffinity = placed.stream()
                .filter(p -> p.pod().path("spec").path("affinity").has("podAntiAffinity")
                        || p.pod().path("spec").path("affinity").has("podAffinity"))
                .toList();
        return new ClusterSnapshot(nodes, byNode, namespaceLabels, List.copyOf(placed), withAffinity);
    }

    /** The same cluster with {@code gone} pods removed (compared by identity of the objects in this snapshot). */
    public ClusterSnapshot without(java.util.Set<JsonNode> gone) {
        List<JsonNode> pods = new ArrayList<>();
        java.util.Set<JsonNode> goneIds = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        goneIds.addAll(gone);
        podsByNode.values().forEach(list -> list.stream().filter(p -> !goneIds.contains(p)).forEach(pods::add));
        return of(nodes, pods, namespaceLabels);
    }

    public List<JsonNode> podsOn(JsonNode node) {
        return podsByNode.getOrDefault(node.path("metadata").path("name").asText(), List.of());
    }

    public Map<String, String> labelsOfNamespace(String namespace) {
        return namespaceLabels.getOrDefault(namespace, Map.of());
    }


    /** The node's value for a topology key, or null when it has no such label. */
    static String topology(JsonNode node, String key) {
        JsonNode v = node.path("metadata").path("labels").get(key);
        return v == null || v.isNull() ? null : v.asText();
    }

    /**
     * A copy of the {@code labelSelector} of a term or constraint with its {@code matchLabelKeys} resolved against
     * the owning pod's labels, or null when it has no selector.
     */
    static com.fasterxml.jackson.databind.node.ObjectNode selectorOf(JsonNode termOrConstraint, JsonNode owner) {
        JsonNode given = termOrConstraint.get("labelSelector");
        if (given == null || given.isNull()) {
            return null;
        }
        com.fasterxml.jackson.databind.node.ObjectNode selector = given.deepCopy();
        Map<String, String> ownerLabels = dev.kubetest.core.selector.LabelSelector.labelsOf(owner);
        for (JsonNode key : termOrConstraint.path("matchLabelKeys")) {
            String value = ownerLabels.get(key.asText());
            if (value != null) {
                dev.kubetest.core.json.Json.with(selector, "matchLabels").put(key.asText(), value);
            }
        }
        return selector;
    }
}
