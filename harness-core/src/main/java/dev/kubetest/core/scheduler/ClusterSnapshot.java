package dev.kubetest.core.scheduler;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * What the scheduler sees in one scheduling cycle: the nodes, the non-terminal pods bound to each, and the labels
 * of each namespace (for affinity terms with a {@code namespaceSelector}); {@code placed} lists every bound pod
 * with its node (pods on nodes that no longer exist are left out), {@code withAffinity} those with pod
 * (anti-)affinity terms of their own. A node's pods are read when first asked for in the cycle and kept for the
 * rest of it, and {@code placed} is made only when a rule needs every pod, so a cycle over a large cluster costs
 * what it looks at.
 */
public final class ClusterSnapshot {
    private final List<? extends JsonNode> nodes;
    private final Function<String, List<JsonNode>> podsOfNode;
    private final Map<String, List<JsonNode>> seen = new HashMap<>();
    private final Function<String, Usage> usageOfNode;
    private final Map<String, Usage> usage = new HashMap<>();
    private final Map<String, Map<String, String>> namespaceLabels;
    private final List<Placed> withAffinity;
    private List<Placed> placed;

    /** A bound pod together with the node it is on. */
    public record Placed(JsonNode pod, JsonNode node) {}

    /** What the pods on a node request in all: for resource fit, and for scoring (with upstream's defaults). */
    record Usage(Map<String, java.math.BigDecimal> requested, Map<String, java.math.BigDecimal> scoring) {
        static Usage of(List<JsonNode> pods) {
            return new Usage(SchedulingFilters.requested(pods), SchedulingFilters.scoringRequested(pods));
        }

        /** This usage plus that of {@code more} pods. */
        Usage plus(List<JsonNode> more) {
            if (more.isEmpty()) {
                return this;
            }
            Map<String, java.math.BigDecimal> r = new java.util.TreeMap<>(requested);
            SchedulingFilters.requested(more).forEach((k, v) -> r.merge(k, v, java.math.BigDecimal::add));
            Map<String, java.math.BigDecimal> s = new java.util.TreeMap<>(scoring);
            SchedulingFilters.scoringRequested(more).forEach((k, v) -> s.merge(k, v, java.math.BigDecimal::add));
            return new Usage(r, s);
        }
    }

    private ClusterSnapshot(List<? extends JsonNode> nodes, Function<String, List<JsonNode>> podsOfNode,
                            Function<String, Usage> usageOfNode, List<? extends JsonNode> affinityPods,
                            Map<String, Map<String, String>> namespaceLabels) {
        this.nodes = nodes;
        this.podsOfNode = podsOfNode;
        this.usageOfNode = usageOfNode;
        this.namespaceLabels = namespaceLabels;
        Map<String, JsonNode> byName = new HashMap<>();
        for (JsonNode n : nodes) {
            byName.put(n.path("metadata").path("name").asText(), n);
        }
        List<Placed> affinity = new ArrayList<>();
        for (JsonNode p : affinityPods) {
            JsonNode node = byName.get(p.path("spec").path("nodeName").asText(""));
            if (node != null && hasAffinity(p)) {
                affinity.add(new Placed(p, node));
            }
        }
        this.withAffinity = List.copyOf(affinity);
    }

    /** A snapshot of {@code pods} (bound ones count; terminal ones do not) on {@code nodes}. */
    public static ClusterSnapshot of(List<? extends JsonNode> nodes, List<? extends JsonNode> pods,
                                     Map<String, Map<String, String>> namespaceLabels) {
        Map<String, List<JsonNode>> byNode = new HashMap<>();
        List<JsonNode> counted = new ArrayList<>();
        for (JsonNode p : pods) {
            String n = p.path("spec").path("nodeName").asText("");
            String phase = p.path("status").path("phase").asText("");
            if (!n.isEmpty() && !phase.equals("Succeeded") && !phase.equals("Failed")) {
                byNode.computeIfAbsent(n, k -> new ArrayList<>()).add(p);
                counted.add(p);
            }
        }
        return new ClusterSnapshot(nodes, n -> byNode.getOrDefault(n, List.of()), null, counted, namespaceLabels);
    }

    /** A snapshot whose nodes' pods come from {@code podsOfNode} when first asked for; {@code affinityPods} may hold any bound pods. */
    static ClusterSnapshot lazy(List<? extends JsonNode> nodes, Function<String, List<JsonNode>> podsOfNode,
                                Function<String, Usage> usageOfNode, List<? extends JsonNode> affinityPods,
                                Map<String, Map<String, String>> namespaceLabels) {
        return new ClusterSnapshot(nodes, podsOfNode, usageOfNode, affinityPods, namespaceLabels);
    }

    /** What the pods on {@code node} request in all (resource fit). */
    public Map<String, java.math.BigDecimal> requestedOn(JsonNode node) {
        return usageOn(node).requested();
    }

    /** What the pods on {@code node} request in all, counted as scoring does. */
    public Map<String, java.math.BigDecimal> scoringRequestedOn(JsonNode node) {
        return usageOn(node).scoring();
    }

    private Usage usageOn(JsonNode node) {
        String name = node.path("metadata").path("name").asText();
        Usage u = usage.get(name);
        if (u == null) {
            u = usageOfNode == null ? Usage.of(podsOnNode(name)) : usageOfNode.apply(name);
            usage.put(name, u);
        }
        return u;
    }

    static boolean hasAffinity(JsonNode pod) {
        JsonNode affinity = pod.path("spec").path("affinity");
        return affinity.has("podAntiAffinity") || affinity.has("podAffinity");
    }

    public List<? extends JsonNode> nodes() {
        return nodes;
    }

    /** Every bound pod with its node, in node order. */
    public List<Placed> placed() {
        if (placed == null) {
            List<Placed> out = new ArrayList<>();
            for (JsonNode node : nodes) {
                for (JsonNode p : podsOn(node)) {
                    out.add(new Placed(p, node));
                }
            }
            placed = List.copyOf(out);
        }
        return placed;
    }

    /** The bound pods with pod (anti-)affinity terms of their own. */
    public List<Placed> withAffinity() {
        return withAffinity;
    }

    /** The same cluster with {@code gone} pods removed (compared by identity of the objects in this snapshot). */
    public ClusterSnapshot without(java.util.Set<JsonNode> gone) {
        List<JsonNode> pods = new ArrayList<>();
        java.util.Set<JsonNode> goneIds = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        goneIds.addAll(gone);
        for (JsonNode node : nodes) {
            podsOn(node).stream().filter(p -> !goneIds.contains(p)).forEach(pods::add);
        }
        return of(nodes, pods, namespaceLabels);
    }

    public List<JsonNode> podsOn(JsonNode node) {
        return podsOnNode(node.path("metadata").path("name").asText());
    }

    /** The pods on the node named {@code name}. */
    public List<JsonNode> podsOnNode(String name) {
        List<JsonNode> pods = seen.get(name);
        if (pods == null) {
            pods = List.copyOf(podsOfNode.apply(name));
            seen.put(name, pods);
        }
        return pods;
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
