package dev.kubetest.core.workload;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which pods a controller scaling down deletes first, in upstream's order (ActivePodsWithRanks, with the
 * PodDeletionCost and LogarithmicScaleDown features on, as they are by default): unscheduled before scheduled;
 * Pending, then Unknown, then Running; not ready before ready; lower {@code controller.kubernetes.io/pod-deletion-cost}
 * first; more of the set's active pods on the same node first; ready for less time first, more restarts first,
 * newer first, the times compared in powers of two of their age, then by UID. Upstream breaks a tie of two
 * different times in the same power of two by UID at once; here such times count as equal and the later rules
 * decide, so that the order is a total order (Java's sort refuses one that is not).
 */
public final class DeletionOrder {
    public static final String DELETION_COST = "controller.kubernetes.io/pod-deletion-cost";

    private DeletionOrder() {}

    /**
     * The {@code count} pods of {@code candidates} to delete; {@code related} (a superset: the pods of the set, or of
     * all the sets of one Deployment) ranks each candidate by the active related pods on its node.
     */
    public static List<JsonNode> victims(List<? extends JsonNode> candidates, List<? extends JsonNode> related, int count,
                                         Instant now) {
        if (count >= candidates.size()) {
            return new ArrayList<>(candidates);
        }
        Map<String, Integer> onNode = new HashMap<>();
        for (JsonNode p : related) {
            if (Pods.active(p)) {
                onNode.merge(Pods.nodeName(p), 1, Integer::sum);
            }
        }
        List<JsonNode> sorted = new ArrayList<>(candidates);
        sorted.sort(order(p -> onNode.getOrDefault(Pods.nodeName(p), 0), now));
        return sorted.subList(0, count);
    }

    /** The order itself: pods to delete first come first. */
    public static Comparator<JsonNode> order(java.util.function.ToIntFunction<JsonNode> rank, Instant now) {
        return (a, b) -> {
            boolean aUnassigned = Pods.nodeName(a).isEmpty();
            boolean bUnassigned = Pods.nodeName(b).isEmpty();
            if (aUnassigned != bUnassigned) {
                return aUnassigned ? -1 : 1;
            }
            int byPhase = Integer.compare(phaseOrdinal(a), phaseOrdinal(b));
            if (byPhase != 0) {
                return byPhase;
            }
            if (Pods.ready(a) != Pods.ready(b)) {
                return Pods.ready(a) ? 1 : -1;
            }
            int byCost = Integer.compare(deletionCost(a), deletionCost(b));
            if (byCost != 0) {
                return byCost;
            }
            int byRank = Integer.compare(rank.applyAsInt(b), rank.applyAsInt(a));
            if (byRank != 0) {
                return byRank;
            }
            if (Pods.ready(a) && Pods.ready(b)) {
                int byReady = newerFirst(Pods.readySince(a), Pods.readySince(b), now);
                if (byReady != 0) {
                    return byReady;
                }
            }
            int byRestarts = Integer.compare(Pods.maxRestarts(b), Pods.maxRestarts(a));
            if (byRestarts != 0) {
                return byRestarts;
            }
            int byAge = newerFirst(Pods.created(a), Pods.created(b), now);
            if (byAge != 0) {
                return byAge;
            }
            return a.path("metadata").path("uid").asText().compareTo(b.path("metadata").path("uid").asText());
        };
    }

    /** Pending 0, Unknown 1, Running 2; other phases (none, for active pods) sort with Pending. */
    static int phaseOrdinal(JsonNode pod) {
        return switch (Pods.phase(pod)) {
            case "Unknown" -> 1;
            case "Running" -> 2;
            default -> 0;
        };
    }

    /** The pod's deletion cost annotation; 0 when absent or not an int32. */
    static int deletionCost(JsonNode pod) {
        String v = pod.path("metadata").path("annotations").path(DELETION_COST).asText("");
        try {
            return v.isEmpty() ? 0 : Integer.parseInt(v);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** Absent first, then the younger power-of-two bucket of age first; 0 within one bucket. */
    private static int newerFirst(Optional<Instant> t1, Optional<Instant> t2, Instant now) {
        if (t1.isEmpty() || t2.isEmpty()) {
            return t1.isEmpty() == t2.isEmpty() ? 0 : t1.isEmpty() ? -1 : 1;
        }
        return Long.compare(log2Rank(Duration.between(t1.get(), now)), log2Rank(Duration.between(t2.get(), now)));
    }

    /** floor(log2(age in nanoseconds)), or -1 for no age: upstream's logarithmic buckets. */
    static long log2Rank(Duration age) {
        long nanos = age.toNanos();
        return nanos <= 0 ? -1 : 63 - Long.numberOfLeadingZeros(nanos);
    }
}
