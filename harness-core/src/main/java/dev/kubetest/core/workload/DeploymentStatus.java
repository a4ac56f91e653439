package dev.kubetest.core.workload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubetest.core.json.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A Deployment's status and conditions, as upstream's calculateStatus and deployment condition helpers: counts
 * summed from the ReplicaSets, Available against replicas minus maxUnavailable, and the rules by which a condition
 * keeps or changes its transition time. Pure: everything comes in as arguments.
 */
public final class DeploymentStatus {
    public static final String AVAILABLE = "Available";
    public static final String PROGRESSING = "Progressing";
    public static final String REPLICA_FAILURE = "ReplicaFailure";
    public static final String NEW_RS_AVAILABLE = "NewReplicaSetAvailable";
    public static final String TIMED_OUT = "ProgressDeadlineExceeded";
    public static final String PAUSED = "DeploymentPaused";
    public static final String RESUMED = "DeploymentResumed";

    private DeploymentStatus() {}

    /** The status the ReplicaSets give, with the conditions of {@code deployment} carried over and Available set. */
    public static ObjectNode calculate(JsonNode deployment, List<? extends JsonNode> all, JsonNode newSet, String now) {
        ObjectNode status = Json.object();
        int available = ReplicaSets.sumStatus(all, "availableReplicas");
        int total = ReplicaSets.sumReplicas(all);
        status.put("observedGeneration", deployment.path("metadata").path("generation").asLong());
        status.put("replicas", ReplicaSets.sumStatus(all, "replicas"));
        status.put("updatedReplicas", newSet == null ? 0 : newSet.path("status").path("replicas").asInt(0));
        status.put("readyReplicas", ReplicaSets.sumStatus(all, "readyReplicas"));
        status.put("availableReplicas", available);
        status.put("unavailableReplicas", Math.max(0, total - available));
        JsonNode old = deployment.path("status");
        if (old.has("collisionCount")) {
            status.set("collisionCount", old.get("collisionCount"));
        }
        if (old.path("conditions").isArray()) {
            status.set("conditions", old.get("conditions").deepCopy());
        }
        int replicas = RolloutMath.replicas(deployment);
        if (available >= replicas - RolloutMath.maxUnavailable(deployment)) {
            set(status, condition(AVAILABLE, "True", "MinimumReplicasAvailable", "Deployment has minimum availability.", now));
        } else {
            set(status, condition(AVAILABLE, "False", "MinimumReplicasUnavailable",
                    "Deployment does not have minimum availability.", now));
        }
        return status;
    }

    /** A condition whose update and transition times are {@code now}. */
    public static ObjectNode condition(String type, String status, String reason, String message, String now) {
        ObjectNode c = Json.object();
        c.put("type", type);
        c.put("status", status);
        c.put("lastUpdateTime", now);
        c.put("lastTransitionTime", now);
        c.put("reason", reason);
        c.put("message", message);
        return c;
    }

    public static Optional<JsonNode> get(JsonNode status, String type) {
        for (JsonNode c : status.path("conditions")) {
            if (type.equals(c.path("type").asText())) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    /**
     * Sets a condition as upstream's SetDeploymentCondition: nothing changes when status and reason are the same;
     * the transition time is kept when only the reason changes; the condition moves to the end of the list.
     */
    public static void set(ObjectNode status, ObjectNode condition) {
        Optional<JsonNode> current = get(status, condition.path("type").asText());
        if (current.isPresent() && sameStatus(current.get(), condition)
                && current.get().path("reason").asText().equals(condition.path("reason").asText())) {
            return;
        }
        if (current.isPresent() && sameStatus(current.get(), condition)) {
            condition.set("lastTransitionTime", current.get().get("lastTransitionTime"));
        }
        remove(status, condition.path("type").asText());
        status.withArray("conditions").add(condition);
    }

    public static void remove(ObjectNode status, String type) {
        ArrayNode kept = status.arrayNode();
        for (JsonNode c : status.path("conditions")) {
            if (!type.equals(c.path("type").asText())) {
                kept.add(c);
            }
        }
        if (kept.isEmpty()) {
            status.remove("conditions");
        } else {
            status.set("conditions", kept);
        }
    }

    private static boolean sameStatus(JsonNode a, JsonNode b) {
        return a.path("status").asText().equals(b.path("status").asText());
    }

    /** All replicas updated, present and available, and the latest spec observed. */
    public static boolean complete(JsonNode deployment, JsonNode status) {
        int replicas = RolloutMath.replicas(deployment);
        return status.path("updatedReplicas").asInt() == replicas && status.path("replicas").asInt() == replicas
                && status.path("availableReplicas").asInt() == replicas
                && status.path("observedGeneration").asLong() >= deployment.path("metadata").path("generation").asLong();
    }

    /** More pods updated, fewer old ones, or more ready or available than the stored status says. */
    public static boolean progressing(JsonNode deployment, JsonNode next) {
        JsonNode old = deployment.path("status");
        int oldOld = old.path("replicas").asInt() - old.path("updatedReplicas").asInt();
        int newOld = next.path("replicas").asInt() - next.path("updatedReplicas").asInt();
        return next.path("updatedReplicas").asInt() > old.path("updatedReplicas").asInt() || newOld < oldOld
                || next.path("readyReplicas").asInt() > old.path("readyReplicas").asInt()
                || next.path("availableReplicas").asInt() > old.path("availableReplicas").asInt();
    }

    /** The deadline in seconds, or empty when the Deployment has none (unset, or the largest int32). */
    public static Optional<Long> progressDeadline(JsonNode deployment) {
        JsonNode d = deployment.path("spec").path("progressDeadlineSeconds");
        return d.isNumber() && d.asLong() != Integer.MAX_VALUE ? Optional.of(d.asLong()) : Optional.empty();
    }

    /** No progress reported for longer than the deadline (and not already complete). */
    public static boolean timedOut(JsonNode deployment, JsonNode status, Instant now) {
        Optional<Long> deadline = progressDeadline(deployment);
        Optional<JsonNode> cond = get(status, PROGRESSING);
        if (deadline.isEmpty() || cond.isEmpty()) {
            return false;
        }
        String reason = cond.get().path("reason").asText();
        if (NEW_RS_AVAILABLE.equals(reason)) {
            return false;
        }
        if (TIMED_OUT.equals(reason)) {
            return true;
        }
        Instant from = Instant.parse(cond.get().path("lastUpdateTime").asText());
        return from.plusSeconds(deadline.get()).isBefore(now);
    }

    /** When to look again so that a stuck rollout is seen to time out, if it can. */
    public static Optional<Duration> untilDeadline(JsonNode deployment, JsonNode status, Instant now) {
        Optional<Long> deadline = progressDeadline(deployment);
        Optional<JsonNode> cond = get(status, PROGRESSING);
        if (deadline.isEmpty() || cond.isEmpty() || complete(deployment, status)
                || TIMED_OUT.equals(cond.get().path("reason").asText())
                || NEW_RS_AVAILABLE.equals(cond.get().path("reason").asText())) {
            return Optional.empty();
        }
        Instant at = Instant.parse(cond.get().path("lastUpdateTime").asText()).plusSeconds(deadline.get());
        Duration after = Duration.between(now, at);
        return Optional.of(after.isNegative() ? Duration.ZERO : after.plusSeconds(1));
    }
}
