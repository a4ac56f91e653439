package dev.kubetest.core.kubelet;

import java.time.Duration;

/** The kubelet's restart back-off, as a pure function: none for the first restart, then 10 s doubling to 300 s. */
public final class Backoff {
    public static final Duration INITIAL = Duration.ofSeconds(10);
    public static final Duration MAX = Duration.ofSeconds(300);
    /** A container that ran this long before exiting starts its back-off over. */
    public static final Duration RESET_AFTER = Duration.ofMinutes(10);

    private Backoff() {}

    /** The delay before restart number {@code restarts + 1}. */
    public static Duration delay(int restarts) {
        if (restarts <= 0) {
            return Duration.ZERO;
        }
        Duration d = INITIAL;
        for (int i = 1; i < restarts && d.compareTo(MAX) < 0; i++) {
            d = d.multipliedBy(2);
        }
        return d.compareTo(MAX) > 0 ? MAX : d;
    }
}
