package dev.kubetest.runtime.simulated;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kubetest.core.meta.Quantities;

/** The cgroup memory limit of a container, as the OOM killer applies it: usage over the limit kills. */
final class MemoryLimit {
    private MemoryLimit() {}

    /** Whether {@code usage} is over the container's {@code resources.limits.memory} (never, without a limit). */
    static boolean exceeded(String usage, JsonNode container) {
        JsonNode limit = container == null ? null : container.path("resources").path("limits").get("memory");
        if (limit == null || limit.isNull()) {
            return false;
        }
        return Quantities.amount(usage).compareTo(Quantities.amount(limit.asText())) > 0;
    }
}
