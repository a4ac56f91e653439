package dev.kubetest.assertions;

import java.time.Duration;

/**
 * How a check is judged: once, now; until it holds (within a timeout, on the cluster's clock when there is a
 * cluster); or at every reading over a period (it must keep holding).
 */
public record Wait(Mode mode, Duration duration) {
    public enum Mode { NOW, EVENTUALLY, DURING }

    /** The default eventual timeout: the {@code kubetest.timeout} system property (an ISO duration or seconds), else 30 s. */
    public static Duration defaultTimeout() {
        String v = System.getProperty("kubetest.timeout");
        if (v == null || v.isBlank()) {
            return Duration.ofSeconds(30);
        }
        try {
            return v.startsWith("P") || v.startsWith("p") ? Duration.parse(v) : Duration.ofMillis((long) (Double.parseDouble(v) * 1000));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("system property kubetest.timeout = \"" + v
                    + "\" is neither a number of seconds nor an ISO-8601 duration such as PT2M", e);
        }
    }

    static Wait now() {
        return new Wait(Mode.NOW, Duration.ZERO);
    }
}
