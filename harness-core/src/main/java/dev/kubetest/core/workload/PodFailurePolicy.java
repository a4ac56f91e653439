package dev.kubetest.core.workload;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * A Job's podFailurePolicy against one failed pod, as upstream's matchPodFailurePolicy: the rules in order, the
 * first that matches wins; onExitCodes look at the terminated containers (exit code 0 never matches), optionally
 * only the named one; onPodConditions at the pod's conditions. Pure.
 */
public final class PodFailurePolicy {
    /** What a matching rule says: FailJob, FailIndex, Ignore or Count, and upstream's message for FailJob. */
    public record Match(String action, String message) {}

    private PodFailurePolicy() {}

    public static Optional<Match> match(JsonNode policy, JsonNode pod) {
        int index = 0;
        for (JsonNode rule : policy.path("rules")) {
            String action = rule.path("action").asText();
            Optional<String> why = rule.has("onExitCodes") ? exitCodes(rule.get("onExitCodes"), pod, action, index)
                    : conditions(rule.path("onPodConditions"), pod, action, index);
            if (why.isPresent()) {
                return Optional.of(new Match(action, why.get()));
            }
            index++;
        }
        return Optional.empty();
    }

    private static Optional<String> exitCodes(JsonNode req, JsonNode pod, String action, int index) {
        String only = req.path("containerName").asText("");
        boolean in = "In".equals(req.path("operator").asText());
        for (String field : new String[] {"initContainerStatuses", "containerStatuses"}) {
            for (JsonNode s : pod.path("status").path(field)) {
                JsonNode terminated = s.path("state").path("terminated");
                if (!terminated.isObject() || (!only.isEmpty() && !only.equals(s.path("name").asText()))) {
                    continue;
                }
                int code = terminated.path("exitCode").asInt();
                if (code == 0) {
                    continue;
                }
                boolean listed = false;
                for (JsonNode v : req.path("values")) {
                    listed |= v.asInt() == code;
                }
                if (listed == in) {
                    return Optional.of("Container " + s.path("name").asText() + " for pod "
                            + pod.path("metadata").path("namespace").asText() + "/" + pod.path("metadata").path("name").asText()
                            + " failed with exit code " + code + " matching " + action + " rule at index " + index);
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<String> conditions(JsonNode patterns, JsonNode pod, String action, int index) {
        for (JsonNode p : patterns) {
            for (JsonNode c : pod.path("status").path("conditions")) {
                if (p.path("type").asText().equals(c.path("type").asText())
                        && p.path("status").asText("True").equals(c.path("status").asText())) {
                    return Optional.of("Pod " + pod.path("metadata").path("namespace").asText() + "/"
                            + pod.path("metadata").path("name").asText() + " has condition " + c.path("type").asText()
                            + " matching " + action + " rule at index " + index);
                }
            }
        }
        return Optional.empty();
    }
}
