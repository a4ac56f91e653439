package dev.kubetest.core.workload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubetest.core.api.KubeApi;
import java.time.Instant;
import java.util.Optional;

/** A Job's conditions, as upstream's ensureJobConditionStatus keeps them. Pure. */
public final class JobConditions {
    private JobConditions() {}

    /**
     * Sets a condition: an existing one is replaced (with new times) when its status, reason or message differ; a
     * missing one is added unless its status would be False. Whether anything changed.
     */
    public static boolean set(ObjectNode status, String type, String value, String reason, String message, Instant now) {
        for (JsonNode c : status.path("conditions")) {
            if (type.equals(c.path("type").asText())) {
                if (value.equals(c.path("status").asText()) && reason.equals(c.path("reason").asText())
                        && message.equals(c.path("message").asText())) {
                    return false;
                }
                fill((ObjectNode) c, type, value, reason, message, now);
                return true;
            }
        }
        if ("False".equals(value)) {
            return false;
        }
        fill(status.withArray("conditions").addObject(), type, value, reason, message, now);
        return true;
    }

    private static void fill(ObjectNode c, String type, String value, String reason, String message, Instant now) {
        c.removeAll();
        c.put("type", type);
        c.put("status", value);
        c.put("lastProbeTime", KubeApi.timestamp(now));
        c.put("lastTransitionTime", KubeApi.timestamp(now));
        c.put("reason", reason);
        c.put("message", message);
    }

    public static boolean isTrue(JsonNode status, String type) {
        for (JsonNode c : status.path("conditions")) {
            if (type.equals(c.path("type").asText())) {
                return "True".equals(c.path("status").asText());
            }
        }
        return false;
    }

    /** Complete or Failed: nothing more happens to the Job. */
    public static boolean finished(JsonNode status) {
        return isTrue(status, "Complete") || isTrue(status, "Failed");
    }

    /** The reason and message of a SuccessCriteriaMet already decided. */
    public static Optional<String[]> successCriteria(JsonNode status) {
        for (JsonNode c : status.path("conditions")) {
            if ("SuccessCriteriaMet".equals(c.path("type").asText()) && "True".equals(c.path("status").asText())) {
                return Optional.of(new String[] {c.path("reason").asText(), c.path("message").asText()});
            }
        }
        return Optional.empty();
    }

    /** The reason and message of a FailureTarget already decided. */
    public static Optional<String[]> failureTarget(JsonNode status) {
        for (JsonNode c : status.path("conditions")) {
            if ("FailureTarget".equals(c.path("type").asText()) && "True".equals(c.path("status").asText())) {
                return Optional.of(new String[] {c.path("reason").asText(), c.path("message").asText()});
            }
        }
        return Optional.empty();
    }
}
