package dev.kubetest.core.workload;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** What workload controllers read off a pod, as upstream's pod helpers: active, ready, available, restarts. */
public final class Pods {
    private Pods() {}

    /** Not Succeeded, not Failed, and not being deleted (upstream's IsPodActive). */
    public static boolean active(JsonNode pod) {
        String phase = phase(pod);
        return !"Succeeded".equals(phase) && !"Failed".equals(phase) && !terminating(pod);
    }

    public static boolean terminating(JsonNode pod) {
        return pod.path("metadata").hasNonNull("deletionTimestamp");
    }

    public static String phase(JsonNode pod) {
        return pod.path("status").path("phase").asText("");
    }

    public static String nodeName(JsonNode pod) {
        return pod.path("spec").path("nodeName").asText("");
    }

    /** The Ready condition is True. */
    public static boolean ready(JsonNode pod) {
        return readyCondition(pod).map(c -> "True".equals(c.path("status").asText())).orElse(false);
    }

    /** When the pod last became Ready, if it is Ready. */
    public static Optional<Instant> readySince(JsonNode pod) {
        return readyCondition(pod).filter(c -> "True".equals(c.path("status").asText()))
                .map(c -> c.path("lastTransitionTime").asText(""))
                .filter(t -> !t.isEmpty()).map(Instant::parse);
    }

    /** Ready for at least {@code minReadySeconds} at {@code now} (upstream's IsPodAvailable). */
    public static boolean available(JsonNode pod, long minReadySeconds, Instant now) {
        if (!ready(pod)) {
            return false;
        }
        if (minReadySeconds == 0) {
            return true;
        }
        return readySince(pod).map(t -> t.plusSeconds(minReadySeconds).isBefore(now)).orElse(false);
    }

    /** How long until a ready pod becomes available, or empty when it is not ready or is available already. */
    public static Optional<Duration> untilAvailable(JsonNode pod, long minReadySeconds, Instant now) {
        if (minReadySeconds == 0 || !ready(pod) || available(pod, minReadySeconds, now)) {
            return Optional.empty();
        }
        return readySince(pod).map(t -> Duration.between(now, t.plusSeconds(minReadySeconds)).plusMillis(1));
    }

    /** The most restarts of any of its containers. */
    public static int maxRestarts(JsonNode pod) {
        int max = 0;
        for (JsonNode c : pod.path("status").path("containerStatuses")) {
            max = Math.max(max, c.path("restartCount").asInt());
        }
        return max;
    }

    public static Optional<Instant> created(JsonNode obj) {
        String t = obj.path("metadata").path("creationTimestamp").asText("");
        return t.isEmpty() ? Optional.empty() : Optional.of(Instant.parse(t));
    }

    private static Optional<JsonNode> readyCondition(JsonNode pod) {
        for (JsonNode c : pod.path("status").path("conditions")) {
            if ("Ready".equals(c.path("type").asText())) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }
}
