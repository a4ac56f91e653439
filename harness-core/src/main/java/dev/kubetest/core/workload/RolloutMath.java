package dev.kubetest.core.workload;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * The pure arithmetic of a Deployment's rollout, as upstream's deployment util: maxSurge rounded up and
 * maxUnavailable rounded down from a number or a percentage of the replicas (never both zero), how far the new
 * ReplicaSet may grow, and each ReplicaSet's share when a Deployment is scaled in the middle of a rollout.
 */
public final class RolloutMath {
    /** The resolved bounds of a rolling update. */
    public record Fenceposts(int maxSurge, int maxUnavailable) {}

    private RolloutMath() {}

    /** An int-or-string (a number, or a percentage such as "25%") of {@code total}, rounded up or down. */
    public static int scaled(JsonNode intOrPercent, int total, boolean roundUp) {
        if (intOrPercent == null || intOrPercent.isMissingNode() || intOrPercent.isNull()) {
            return 0;
        }
        if (intOrPercent.isNumber()) {
            return intOrPercent.asInt();
        }
        String s = intOrPercent.asText();
        if (!s.endsWith("%")) {
            throw new IllegalArgumentException("invalid value for IntOrString: invalid type: string is not a percentage");
        }
        long percent = Long.parseLong(s.substring(0, s.length() - 1));
        long product = percent * total;
        return (int) (roundUp ? -Math.floorDiv(-product, 100) : Math.floorDiv(product, 100));
    }

    /** maxSurge rounded up, maxUnavailable rounded down; when both come to zero, one pod may be unavailable. */
    public static Fenceposts fenceposts(JsonNode maxSurge, JsonNode maxUnavailable, int desired) {
        int surge = scaled(maxSurge, desired, true);
        int unavailable = scaled(maxUnavailable, desired, false);
        return surge == 0 && unavailable == 0 ? new Fenceposts(0, 1) : new Fenceposts(surge, unavailable);
    }

    public static boolean rollingUpdate(JsonNode deployment) {
        return !"Recreate".equals(deployment.path("spec").path("strategy").path("type").asText("RollingUpdate"));
    }

    public static int replicas(JsonNode obj) {
        return obj.path("spec").path("replicas").asInt(1);
    }

    private static Fenceposts fenceposts(JsonNode deployment) {
        JsonNode ru = deployment.path("spec").path("strategy").path("rollingUpdate");
        return fenceposts(ru.get("maxSurge"), ru.get("maxUnavailable"), replicas(deployment));
    }

    /** How many pods above {@code replicas} a rollout may run (0 for Recreate). */
    public static int maxSurge(JsonNode deployment) {
        return rollingUpdate(deployment) ? fenceposts(deployment).maxSurge() : 0;
    }

    /** How many of {@code replicas} may be unavailable during a rollout (0 for Recreate or no replicas). */
    public static int maxUnavailable(JsonNode deployment) {
        int replicas = replicas(deployment);
        if (!rollingUpdate(deployment) || replicas == 0) {
            return 0;
        }
        return Math.min(fenceposts(deployment).maxUnavailable(), replicas);
    }

    /** The replicas the new ReplicaSet may have now: up to the surge limit, never beyond the Deployment's replicas. */
    public static int newReplicaSetReplicas(JsonNode deployment, List<? extends JsonNode> all, JsonNode newSet) {
        int replicas = replicas(deployment);
        int current = ReplicaSets.replicas(newSet);
        if (!rollingUpdate(deployment)) {
            return replicas;
        }
        int maxTotal = replicas + maxSurge(deployment);
        int total = ReplicaSets.sumReplicas(all);
        if (total >= maxTotal) {
            return current;
        }
        return current + Math.min(maxTotal - total, replicas - current);
    }

    /**
     * The pods {@code set} gains (or loses, when negative) of {@code toAdd}, in proportion to its size against the
     * size the Deployment had ({@code max-replicas} annotation, else the Deployment's status replicas), bounded by
     * what is left to add ({@code toAdd - added}).
     */
    public static int proportion(JsonNode set, JsonNode deployment, int toAdd, int added) {
        int size = ReplicaSets.replicas(set);
        if (size == 0 || toAdd == 0 || toAdd == added) {
            return 0;
        }
        int fraction = fraction(set, deployment);
        int allowed = toAdd - added;
        return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
    }

    static int fraction(JsonNode set, JsonNode deployment) {
        int size = ReplicaSets.replicas(set);
        int replicas = replicas(deployment);
        if (replicas == 0) {
            return -size;
        }
        int deploymentReplicas = replicas + maxSurge(deployment);
        int annotated = ReplicaSets.maxReplicasAnnotation(set)
                .orElse(deployment.path("status").path("replicas").asInt(0));
        if (annotated == 0) {
            return 0;
        }
        double newSize = (double) size * deploymentReplicas / annotated;
        return (int) Math.round(newSize) - size;
    }
}
