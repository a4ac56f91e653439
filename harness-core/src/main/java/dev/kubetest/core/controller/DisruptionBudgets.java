package dev.kubetest.core.controller;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The disruption controller's arithmetic, pure: how many healthy pods a PodDisruptionBudget wants, given the
 * pods it expects, and how many may be disrupted now.
 */
public final class DisruptionBudgets {
    private DisruptionBudgets() {}

    /** A budget's numbers as its status shows them. */
    public record Numbers(int expectedPods, int desiredHealthy, int currentHealthy, int disruptionsAllowed) {}

    /** Whether the budget needs the pods' controllers' scale (maxUnavailable, or a percentage minAvailable). */
    public static boolean needsScale(JsonNode spec) {
        JsonNode min = spec.get("minAvailable");
        return spec.hasNonNull("maxUnavailable") || min != null && min.isTextual() && min.asText().endsWith("%");
    }

    /**
     * Upstream's rules: {@code minAvailable} n wants n healthy pods; {@code minAvailable} p% wants p% of the
     * expected pods (rounded up); {@code maxUnavailable} n or p% (rounded up) wants the expected pods less that;
     * with neither set nothing is expected. Disruptions allowed: healthy pods beyond the desired number, never
     * negative, and none when no pod is expected. {@code expectedPods} is the controllers' scale where
     * {@link #needsScale} says so, else the number of selected pods.
     */
    public static Numbers numbers(JsonNode spec, int expectedPods, int currentHealthy) {
        int desired;
        JsonNode min = spec.get("minAvailable");
        JsonNode max = spec.get("maxUnavailable");
        if (max != null && !max.isNull()) {
            desired = Math.max(0, expectedPods - scaled(max, expectedPods));
        } else if (min != null && !min.isNull()) {
            desired = scaled(min, expectedPods);
        } else {
            return new Numbers(0, 0, currentHealthy, 0);
        }
        int allowed = expectedPods <= 0 ? 0 : Math.max(0, currentHealthy - desired);
        return new Numbers(expectedPods, desired, currentHealthy, allowed);
    }

    /** An IntOrString against a total: an integer as is, a percentage of the total rounded up. */
    static int scaled(JsonNode value, int total) {
        if (value.isTextual() && value.asText().endsWith("%")) {
            int percent = Integer.parseInt(value.asText().substring(0, value.asText().length() - 1));
            return (int) Math.ceil(percent * total / 100.0);
        }
        return value.asInt();
    }
}
