package dev.kubetest.core.workload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a Deployment whose replicas changed resizes its ReplicaSets, as upstream's scale(): one active set (or none)
 * takes the new count; a saturated new set leaves the old ones at zero; in the middle of a RollingUpdate the
 * pods to add or remove are shared in proportion to each set's size, the rest going to the largest. Pure: the
 * answer is the size each set should have, in the order to apply them.
 */
public final class ProportionalScaling {
    private ProportionalScaling() {}

    public static Map<ObjectNode, Integer> plan(JsonNode d, ObjectNode newSet, List<ObjectNode> old) {
        Map<ObjectNode, Integer> sizes = new LinkedHashMap<>();
        int replicas = RolloutMath.replicas(d);
        List<ObjectNode> all = new ArrayList<>(old);
        if (newSet != null) {
            all.add(newSet);
        }
        List<ObjectNode> active = all.stream().filter(rs -> ReplicaSets.replicas(rs) > 0).toList();
        if (active.size() <= 1) {
            ObjectNode target = active.size() == 1 ? active.get(0) : newSet != null ? newSet
                    : old.stream().max(ReplicaSets.BY_CREATION).orElse(null);
            if (target != null && ReplicaSets.replicas(target) != replicas) {
                sizes.put(target, replicas);
            }
            return sizes;
        }
        if (saturated(d, newSet)) {
            old.stream().filter(rs -> ReplicaSets.replicas(rs) > 0).forEach(rs -> sizes.put(rs, 0));
            return sizes;
        }
        if (!RolloutMath.rollingUpdate(d)) {
            return sizes;
        }
        int allowed = replicas > 0 ? replicas + RolloutMath.maxSurge(d) : 0;
        int toAdd = allowed - ReplicaSets.sumReplicas(active);
        Comparator<JsonNode> bySize = Comparator.comparingInt(ReplicaSets::replicas).reversed();
        List<ObjectNode> ordered = new ArrayList<>(active);
        // growing favours newer sets among equals, shrinking older ones
        ordered.sort(toAdd > 0 ? bySize.thenComparing(ReplicaSets.BY_CREATION.reversed())
                : bySize.thenComparing(ReplicaSets.BY_CREATION));
        int added = 0;
        for (ObjectNode rs : ordered) {
            int share = toAdd != 0 ? RolloutMath.proportion(rs, d, toAdd, added) : 0;
            sizes.put(rs, ReplicaSets.replicas(rs) + share);
            added += share;
        }
        if (toAdd != 0 && !ordered.isEmpty()) {
            ObjectNode largest = ordered.get(0);
            sizes.put(largest, Math.max(0, sizes.get(largest) + toAdd - added));
        }
        return sizes;
    }

    /** The new set has all the replicas, all available, and knows it (its desired-replicas annotation). */
    static boolean saturated(JsonNode d, JsonNode rs) {
        int replicas = RolloutMath.replicas(d);
        return rs != null && ReplicaSets.desiredReplicasAnnotation(rs).orElse(-1) == replicas
                && rs.path("status").path("availableReplicas").asInt(0) == replicas
                && ReplicaSets.replicas(rs) == replicas;
    }
}
