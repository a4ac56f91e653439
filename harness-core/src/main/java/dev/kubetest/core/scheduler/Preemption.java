package dev.kubetest.core.scheduler;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Upstream's default preemption as pure functions: on each node where filtering failed for a reason eviction can
 * fix, remove every pod of lower priority, check the pod fits, then give back as many of them as still let it fit
 * (highest priority first, those whose eviction would violate a PodDisruptionBudget before the others); the node
 * with the fewest budget violations wins, then the one whose victims have the lowest highest priority, then the
 * smallest sum of priorities, then the fewest victims, then the node name.
 */
public final class Preemption {
    /** The node chosen for the preemptor and the pods to evict from it. */
    public record Candidate(JsonNode node, List<JsonNode> victims, int budgetViolations) {}

    private Preemption() {}

    static long priority(JsonNode pod) {
        return pod.path("spec").path("priority").asLong(0);
    }

    /** Whether the pod may preempt at all: its policy allows it and no earlier preemption for it is still running. */
    public static boolean eligible(JsonNode pod, ClusterSnapshot snapshot) {
        if ("Never".equals(pod.path("spec").path("preemptionPolicy").asText())) {
            return false;
        }
        String nominated = pod.path("status").path("nominatedNodeName").asText("");
        if (nominated.isEmpty()) {
            return true;
        }
        List<JsonNode> onNominated = snapshot.podsOnNode(nominated);
        return onNominated.stream().noneMatch(p -> p.path("metadata").hasNonNull("deletionTimestamp") && priority(p) < priority(pod));
    }

    /** The best candidate among {@code nodes} (those whose failure preemption could fix), or null. */
    public static Candidate find(JsonNode pod, List<? extends JsonNode> nodes, ClusterSnapshot snapshot) {
        return find(pod, nodes, snapshot, List.of());
    }

    /** As {@link #find(JsonNode, List, ClusterSnapshot)}, honouring the PodDisruptionBudgets {@code budgets}. */
    public static Candidate find(JsonNode pod, List<? extends JsonNode> nodes, ClusterSnapshot snapshot, List<? extends JsonNode> budgets) {
        List<Candidate> candidates = new ArrayList<>();
        for (JsonNode node : nodes) {
            Candidate c = onNode(pod, node, snapshot, budgets);
            if (c != null) {
                candidates.add(c);
            }
        }
        return candidates.stream().min(Comparator
                .comparingInt(Candidate::budgetViolations)
                .thenComparingLong((Candidate c) -> c.victims().stream().mapToLong(Preemption::priority).max().orElse(Long.MIN_VALUE))
                .thenComparingLong(c -> c.victims().stream().mapToLong(Preemption::priority).sum())
                .thenComparingInt(c -> c.victims().size())
                .thenComparing(c -> c.node().path("metadata").path("name").asText())).orElse(null);
    }

    static Candidate onNode(JsonNode pod, JsonNode node, ClusterSnapshot snapshot) {
        return onNode(pod, node, snapshot, List.of());
    }

    static Candidate onNode(JsonNode pod, JsonNode node, ClusterSnapshot snapshot, List<? extends JsonNode> budgets) {
        List<JsonNode> lower = new ArrayList<>();
        for (JsonNode p : snapshot.podsOn(node)) {
            if (priority(p) < priority(pod) && !p.path("metadata").hasNonNull("deletionTimestamp")) {
                lower.add(p);
            }
        }
        if (lower.isEmpty()) {
            return null;
        }
        Set<JsonNode> removed = new HashSet<>(lower);
        if (!SchedulingFilters.filter(pod, node, snapshot.without(removed)).fits()) {
            return null;
        }
        lower.sort(Comparator.comparingLong(Preemption::priority).reversed());
        Set<JsonNode> violating = violatingBudgets(lower, budgets);
        List<JsonNode> victims = new ArrayList<>();
        int violations = 0;
        for (boolean violators : new boolean[] {true, false}) {
            for (JsonNode p : lower) {
                if (violating.contains(p) != violators) {
                    continue;
                }
                removed.remove(p);
                if (!SchedulingFilters.filter(pod, node, snapshot.without(removed)).fits()) {
                    removed.add(p);
                    victims.add(p);
                    violations += violators ? 1 : 0;
                }
            }
        }
        return new Candidate(node, victims, violations);
    }

    /**
     * Upstream's {@code filterPodsWithPDBViolation}: taking the pods in order, each matching budget (same namespace,
     * a non-empty selector that matches, the pod not already among its disrupted pods) loses one allowed
     * disruption; a pod that takes a budget below zero would violate it.
     */
    static Set<JsonNode> violatingBudgets(List<JsonNode> pods, List<? extends JsonNode> budgets) {
        int[] allowed = new int[budgets.size()];
        for (int i = 0; i < budgets.size(); i++) {
            allowed[i] = budgets.get(i).path("status").path("disruptionsAllowed").asInt(0);
        }
        Set<JsonNode> out = new HashSet<>();
        for (JsonNode p : pods) {
            java.util.Map<String, String> labels = dev.kubetest.core.selector.LabelSelector.labelsOf(p);
            if (labels.isEmpty()) {
                continue;
            }
            for (int i = 0; i < budgets.size(); i++) {
                JsonNode b = budgets.get(i);
                dev.kubetest.core.selector.LabelSelector selector =
                        dev.kubetest.core.selector.LabelSelector.fromJson(b.path("spec").get("selector"));
                if (!b.path("metadata").path("namespace").asText().equals(p.path("metadata").path("namespace").asText())
                        || selector == null || selector.isEverything() || !selector.matches(labels)
                        || b.path("status").path("disruptedPods").has(p.path("metadata").path("name").asText())) {
                    continue;
                }
                if (--allowed[i] < 0) {
                    out.add(p);
                }
            }
        }
        return out;
    }
}
