package dev.kubetest.core.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubetest.core.json.Json;

/** Sets a condition in a pod's status as upstream does: the transition time moves only when the status changes. */
public final class PodConditions {
    private PodConditions() {}

    /** Sets {@code type} to {@code status}; a null reason or message removes the field. */
    public static void set(ObjectNode pod, String type, String status, String reason, String message, String now) {
        ObjectNode podStatus = Json.with(pod, "status");
        ArrayNode conditions = podStatus.path("conditions").isArray()
                ? (ArrayNode) podStatus.get("conditions") : podStatus.putArray("conditions");
        ObjectNode c = null;
        for (JsonNode existing : conditions) {
            if (type.equals(existing.path("type").asText())) {
                c = (ObjectNode) existing;
            }
        }
        if (c == null) {
            c = conditions.addObject();
            c.put("type", type);
        }
        if (!status.equals(c.path("status").asText())) {
            c.put("lastTransitionTime", now);
        }
        c.put("status", status);
        c.putNull("lastProbeTime");
        if (reason == null) {
            c.remove("reason");
        } else {
            c.put("reason", reason);
        }
        if (message == null) {
            c.remove("message");
        } else {
            c.put("message", message);
        }
    }
}
