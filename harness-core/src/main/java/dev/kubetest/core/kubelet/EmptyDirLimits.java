package dev.kubetest.core.kubelet;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kubetest.core.runtime.ContainerRuntime;
import dev.kubetest.core.meta.Quantities;
import java.math.BigDecimal;
import java.time.Duration;

/** The eviction manager's emptyDir check: a volume using more than its {@code sizeLimit} evicts the pod. */
final class EmptyDirLimits {
    /** Upstream's eviction manager monitoring interval. */
    static final Duration INTERVAL = Duration.ofSeconds(10);

    private EmptyDirLimits() {}

    static boolean any(JsonNode pod) {
        for (JsonNode v : pod.path("spec").path("volumes")) {
            if (v.path("emptyDir").has("sizeLimit")) {
                return true;
            }
        }
        return false;
    }

    /** The eviction message for the first emptyDir over its limit, or null when all fit. */
    static String exceeded(ContainerRuntime runtime, JsonNode pod) {
        String uid = pod.path("metadata").path("uid").asText();
        for (JsonNode v : pod.path("spec").path("volumes")) {
            JsonNode limit = v.path("emptyDir").get("sizeLimit");
            if (limit == null) {
                continue;
            }
            String name = v.path("name").asText();
            long used = runtime.volume(uid, name).usedBytes();
            if (over(used, limit.asText())) {
                return "Usage of EmptyDir volume \"" + name + "\" exceeds the limit \"" + limit.asText() + "\". ";
            }
        }
        return null;
    }

    static boolean over(long usedBytes, String limit) {
        return BigDecimal.valueOf(usedBytes).compareTo(Quantities.amount(limit)) > 0;
    }
}
