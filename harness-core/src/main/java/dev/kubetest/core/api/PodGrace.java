package dev.kubetest.core.api;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Graceful deletion of pods, as upstream's pod strategy decides it: a pod bound to a node and not finished is
 * deleted gracefully (the kubelet stops its containers, then removes it) over the requested grace period or its
 * {@code terminationGracePeriodSeconds}; any other object, or a grace of 0, goes at once. Pure.
 */
final class PodGrace {
    private PodGrace() {}

    static long gracePeriod(ResourceType type, JsonNode obj, Long requested) {
        if (!type.storageKey().equals("pods")) {
            return 0;
        }
        if (obj.path("spec").path("nodeName").asText("").isEmpty()) {
            return 0;
        }
        String phase = obj.path("status").path("phase").asText("");
        if (phase.equals("Succeeded") || phase.equals("Failed")) {
            return 0;
        }
        long grace = requested != null ? requested : obj.path("spec").path("terminationGracePeriodSeconds").asLong(30);
        if (grace < 0) {
            grace = 1;
        }
        if (obj.path("metadata").hasNonNull("deletionTimestamp")) {
            long current = obj.path("metadata").path("deletionGracePeriodSeconds").asLong(0);
            return requested != null && requested < current ? Math.max(requested, 0) : current;
        }
        return grace;
    }
}
