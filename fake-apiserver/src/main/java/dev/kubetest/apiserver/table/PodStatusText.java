package dev.kubetest.apiserver.table;

import com.fasterxml.jackson.databind.JsonNode;

/** The STATUS, READY and RESTARTS cells kubectl shows for a pod, derived from its status as upstream does. */
public final class PodStatusText {
    private PodStatusText() {}

    public static String status(JsonNode pod) {
        JsonNode status = pod.path("status");
        String reason = status.path("phase").asText("");
        if (!status.path("reason").asText("").isEmpty()) {
            reason = status.path("reason").asText();
        }
        for (JsonNode condition : status.path("conditions")) {
            if ("PodScheduled".equals(condition.path("type").asText()) && "SchedulingGated".equals(condition.path("reason").asText())) {
                reason = "SchedulingGated";
            }
        }
        boolean initializing = false;
        JsonNode initStatuses = status.path("initContainerStatuses");
        int initCount = pod.path("spec").path("initContainers").size();
        for (int i = 0; i < initStatuses.size(); i++) {
            JsonNode c = initStatuses.get(i);
            JsonNode state = c.path("state");
            if (state.has("terminated") && state.path("terminated").path("exitCode").asInt() == 0) {
                continue;
            }
            if (isRestartableInit(pod, c.path("name").asText()) && c.path("started").asBoolean(false)) {
                continue;
            }
            if (state.has("terminated")) {
                JsonNode t = state.path("terminated");
                if (!t.path("reason").asText("").isEmpty()) {
                    reason = "Init:" + t.path("reason").asText();
                } else if (t.path("signal").asInt(0) != 0) {
                    reason = "Init:Signal:" + t.path("signal").asInt();
                } else {
                    reason = "Init:ExitCode:" + t.path("exitCode").asInt();
                }
            } else if (state.has("waiting") && !state.path("waiting").path("reason").asText("").isEmpty()
                    && !state.path("waiting").path("reason").asText().equals("PodInitializing")) {
                reason = "Init:" + state.path("waiting").path("reason").asText();
            } else {
                reason = "Init:" + i + "/" + initCount;
            }
            initializing = true;
            break;
        }
        if (!initializing) {
            boolean hasRunning = false;
            JsonNode cs = status.path("containerStatuses");
            for (int i = cs.size() - 1; i >= 0; i--) {
                JsonNode c = cs.get(i);
                JsonNode state = c.path("state");
                if (!state.path("waiting").path("reason").asText("").isEmpty()) {
                    reason = state.path("waiting").path("reason").asText();
                } else if (!state.path("terminated").path("reason").asText("").isEmpty()) {
                    reason = state.path("terminated").path("reason").asText();
                } else if (state.has("terminated")) {
                    JsonNode t = state.path("terminated");
                    reason = t.path("signal").asInt(0) != 0 ? "Signal:" + t.path("signal").asInt()
                            : "ExitCode:" + t.path("exitCode").asInt();
                } else if (c.path("ready").asBoolean() && state.has("running")) {
                    hasRunning = true;
                }
            }
            if (reason.equals("Completed") && hasRunning) {
                reason = podReady(pod) ? "Running" : "NotReady";
            }
        }
        if (pod.path("metadata").hasNonNull("deletionTimestamp")) {
            reason = "NodeLost".equals(status.path("reason").asText()) ? "Unknown" : "Terminating";
        }
        return reason;
    }

    private static boolean isRestartableInit(JsonNode pod, String name) {
        for (JsonNode c : pod.path("spec").path("initContainers")) {
            if (c.path("name").asText().equals(name)) {
                return "Always".equals(c.path("restartPolicy").asText());
            }
        }
        return false;
    }

    private static boolean podReady(JsonNode pod) {
        for (JsonNode c : pod.path("status").path("conditions")) {
            if ("Ready".equals(c.path("type").asText())) {
                return "True".equals(c.path("status").asText());
            }
        }
        return false;
    }

    public static String ready(JsonNode pod) {
        int total = pod.path("spec").path("containers").size();
        int ready = 0;
        for (JsonNode c : pod.path("status").path("containerStatuses")) {
            if (c.path("ready").asBoolean()) {
                ready++;
            }
        }
        for (JsonNode c : pod.path("spec").path("initContainers")) {
            if ("Always".equals(c.path("restartPolicy").asText())) {
                total++;
                for (JsonNode s : pod.path("status").path("initContainerStatuses")) {
                    if (s.path("name").asText().equals(c.path("name").asText()) && s.path("ready").asBoolean()) {
                        ready++;
                    }
                }
            }
        }
        return ready + "/" + total;
    }

    /** The restart count, with {@code (5m ago)} from the newest termination when there was a restart. */
    public static String restarts(JsonNode pod, java.time.Instant now) {
        long restarts = 0;
        java.time.Instant last = null;
        for (String field : new String[] {"initContainerStatuses", "containerStatuses"}) {
            for (JsonNode c : pod.path("status").path(field)) {
                restarts += c.path("restartCount").asLong();
                String finished = c.path("lastState").path("terminated").path("finishedAt").asText("");
                if (!finished.isEmpty()) {
                    java.time.Instant t = java.time.Instant.parse(finished);
                    if (last == null || t.isAfter(last)) {
                        last = t;
                    }
                }
            }
        }
        if (restarts > 0 && last != null) {
            return restarts + " (" + HumanDuration.format(java.time.Duration.between(last, now)) + " ago)";
        }
        return Long.toString(restarts);
    }
}
