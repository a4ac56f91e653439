package dev.kubetest.core.clock;

import java.time.Duration;
import java.time.Instant;

/**
 * The cluster's time. Every component reads time and schedules timers through this interface, never through
 * the JVM's wall clock, so that a cluster can run on manual or skipping time.
 */
public interface Clock extends AutoCloseable {

    /** The cluster's current instant. */
    Instant now();

    /** Runs {@code task} once at or after {@code at}; the returned handle cancels it. */
    Timer schedule(Instant at, Runnable task);

    default Timer scheduleAfter(Duration delay, Runnable task) {
        return schedule(now().plus(delay), task);
    }

    /**
     * A housekeeping timer (a periodic probe): like {@link #scheduleAfter}, but a time-skipping clock need not wait
     * for the cluster to settle after it when it ran synchronously and made no API request or controller work.
     */
    default Timer scheduleBackground(Duration delay, Runnable task) {
        return scheduleAfter(delay, task);
    }

    @Override
    void close();

    /** A scheduled task. */
    interface Timer {
        void cancel();
    }

    /** Wall-clock time, optionally running faster than real time by {@code speed}. */
    static Clock real() {
        return new RealClock(1.0);
    }
}
