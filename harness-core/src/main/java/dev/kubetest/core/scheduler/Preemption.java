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
 * (highest priority first); the node whose victims have the lowest highest priority wins, then the smallest sum
 * of priorities, then the fewest victims, then the node name.
 */
public final class Preemption {
    /** The node chosen for the preemptor and the pods to evict from it. */
    public record Candidate(JsonNode node, List<JsonNode> victims) {}

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
        List<JsonNode> onNominated = snapshot.podsByNode().getOrDefault(nominated, List.of());
        return onNominated.stream().noneMatch(p -> p.path("metadata").hasNonNull("deletionTimestamp") && priority(p) < priority(pod));
    }

    /** The best candidate among {@code nodes} (those whose failure preemption could fix), or null. */
    public static Candidate find(JsonNode pod, List<? extends JsonNode> nodes, ClusterSnapshot snapshot) {
        List<Candidate> candidates = new ArrayList<>();
        for (JsonNode node : nodes) {
            Candidate c = onNode(pod, node, snapshot);
            if (c != null) {
                candidates.add(c);
            }
        }
        return candidates.stream().min(Comparator
                .comparingLong((Candidate c) -> c.victims().stream().mapToLong(Preemption::priority).max().orElse(Long.MIN_VALUE))
                .thenComparingLong(c -> c.victims().stream().mapToLong(Preemption::priority).sum())
                .thenComparingInt(c -> c.victims().size())
                .thenComparing(c -> c.node().path("metadata").path("name").asText())).orElse(null);
    }

    static Candidate onNode(JsonNode pod, JsonNode node, ClusterSnapshot snapshot) {
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
        List<JsonNode> victims = new ArrayList<>();
        for (JsonNode p : lower) {
            removed.remove(p);
            if (!SchedulingFilters.filter(pod, node, snapshot.without(removed)).fits()) {
                removed.add(p);
                victims.add(p);
            }
        }
        return new Candidate(node, victims);
    }
}
