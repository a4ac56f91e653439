package dev.kubetest.core.workload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The Progressing condition of a Deployment, as upstream's syncRolloutStatus and checkPausedConditions decide it.
 * Pure: the Deployment, its ReplicaSets and the time come in, the next status goes out.
 */
public final class DeploymentProgress {
    private DeploymentProgress() {}

    /**
     * The status after a rollout step: counts, Available, then Progressing (NewReplicaSetAvailable once complete,
     * ReplicaSetUpdated on any progress, ProgressDeadlineExceeded after the deadline without progress), and the
     * ReplicaFailure of the sets (the new one's first).
     */
    public static ObjectNode next(JsonNode d, List<? extends JsonNode> sets, JsonNode newSet, Instant now, String timestamp) {
        ObjectNode next = DeploymentStatus.calculate(d, sets, newSet, timestamp);
        Optional<Long> deadline = DeploymentStatus.progressDeadline(d);
        if (deadline.isEmpty()) {
            DeploymentStatus.remove(next, DeploymentStatus.PROGRESSING);
        }
        Optional<JsonNode> current = DeploymentStatus.get(d.path("status"), DeploymentStatus.PROGRESSING);
        boolean completeAlready = next.path("replicas").asInt() == next.path("updatedReplicas").asInt()
                && current.isPresent() && DeploymentStatus.NEW_RS_AVAILABLE.equals(current.get().path("reason").asText());
        if (deadline.isPresent() && !completeAlready) {
            String setName = newSet == null ? null : newSet.path("metadata").path("name").asText();
            if (DeploymentStatus.complete(d, next)) {
                DeploymentStatus.set(next, DeploymentStatus.condition(DeploymentStatus.PROGRESSING, "True",
                        DeploymentStatus.NEW_RS_AVAILABLE, "ReplicaSet \"" + setName + "\" has successfully progressed.",
                        timestamp));
            } else if (DeploymentStatus.progressing(d, next)) {
                String msg = setName != null ? "ReplicaSet \"" + setName + "\" is progressing."
                        : "Deployment \"" + d.path("metadata").path("name").asText() + "\" is progressing.";
                ObjectNode cond = DeploymentStatus.condition(DeploymentStatus.PROGRESSING, "True", "ReplicaSetUpdated",
                        msg, timestamp);
                // progress renews lastUpdateTime even when the reason stays: remove, then set
                if (current.isPresent()) {
                    if ("True".equals(current.get().path("status").asText())) {
                        cond.set("lastTransitionTime", current.get().get("lastTransitionTime"));
                    }
                    DeploymentStatus.remove(next, DeploymentStatus.PROGRESSING);
                }
                DeploymentStatus.set(next, cond);
            } else if (DeploymentStatus.timedOut(d, next, now)) {
                DeploymentStatus.set(next, DeploymentStatus.condition(DeploymentStatus.PROGRESSING, "False",
                        DeploymentStatus.TIMED_OUT, "ReplicaSet \"" + setName + "\" has timed out progressing.", timestamp));
            }
        }
        JsonNode failure = replicaFailure(sets, newSet);
        if (failure != null) {
            DeploymentStatus.set(next, DeploymentStatus.condition(DeploymentStatus.REPLICA_FAILURE,
                    failure.path("status").asText(), failure.path("reason").asText(), failure.path("message").asText(),
                    timestamp));
        } else {
            DeploymentStatus.remove(next, DeploymentStatus.REPLICA_FAILURE);
        }
        return next;
    }

    private static JsonNode replicaFailure(List<? extends JsonNode> sets, JsonNode newSet) {
        List<JsonNode> ordered = new ArrayList<>();
        if (newSet != null) {
            ordered.add(newSet);
        }
        ordered.addAll(sets);
        for (JsonNode rs : ordered) {
            for (JsonNode c : rs.path("status").path("conditions")) {
                if ("ReplicaFailure".equals(c.path("type").asText())) {
                    return c;
                }
            }
        }
        return null;
    }

    /**
     * The status with Progressing Unknown DeploymentPaused when the Deployment was just paused, or
     * DeploymentResumed when just resumed; empty when nothing changes (or the deadline was reported exceeded).
     */
    public static Optional<ObjectNode> pausedOrResumed(JsonNode d, String timestamp) {
        if (DeploymentStatus.progressDeadline(d).isEmpty()) {
            return Optional.empty();
        }
        Optional<JsonNode> cond = DeploymentStatus.get(d.path("status"), DeploymentStatus.PROGRESSING);
        if (cond.isPresent() && DeploymentStatus.TIMED_OUT.equals(cond.get().path("reason").asText())) {
            return Optional.empty();
        }
        boolean pausedShown = cond.isPresent() && DeploymentStatus.PAUSED.equals(cond.get().path("reason").asText());
        boolean paused = d.path("spec").path("paused").asBoolean(false);
        if (paused == pausedShown) {
            return Optional.empty();
        }
        ObjectNode status = d.path("status").isObject() ? ((ObjectNode) d.get("status")).deepCopy()
                : dev.kubetest.core.json.Json.object();
        DeploymentStatus.set(status, DeploymentStatus.condition(DeploymentStatus.PROGRESSING, "Unknown",
                paused ? DeploymentStatus.PAUSED : DeploymentStatus.RESUMED,
                paused ? "Deployment is paused" : "Deployment is resumed", timestamp));
        return Optional.of(status);
    }
}
