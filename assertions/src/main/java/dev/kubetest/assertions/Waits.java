package dev.kubetest.assertions;

import dev.kubetest.core.KubeCluster;
import dev.kubetest.core.clock.ManualClock;
import dev.kubetest.core.clock.VirtualClock;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import org.assertj.core.api.AssertionInfo;
import org.assertj.core.internal.Failures;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Judges a check as a {@link Wait} says. Waits poll with Awaitility under a name that says what is awaited. With an
 * in-process cluster the limit is cluster time: auto time skips ahead by itself while the cluster is idle, and a
 * manual clock is moved here (to its next timer, while the cluster is idle), so a five-minute wait takes
 * milliseconds; a wall-clock cap still ends a wait on a cluster that never goes idle.
 */
final class Waits {
    private static final Duration WALL_CAP_FOR_VIRTUAL_TIME = Duration.ofSeconds(60);

    private Waits() {}

    static <T extends HasMetadata> void judge(ObjectSource<T> source, Wait wait, String what, Check<T> check, AssertionInfo info) {
        switch (wait.mode()) {
            case NOW -> {
                Verdict v = check.judge(source.current().orElse(null));
                if (!v.passed()) {
                    throw Failures.instance().failure(info, v.failure());
                }
            }
            case EVENTUALLY -> eventually(source, wait.duration(), what, check, info);
            case DURING -> during(source, wait.duration(), what, check, info);
        }
    }

    private static <T extends HasMetadata> void eventually(ObjectSource<T> source, Duration timeout, String what,
                                                          Check<T> check, AssertionInfo info) {
        Timeline time = new Timeline(source.cluster().orElse(null), timeout);
        AtomicReference<Verdict> last = new AtomicReference<>();
        try {
            Awaitility.await("until " + source.describe() + " " + what).atMost(time.wallCap())
                    .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(5)).until(() -> {
                        Verdict v = check.judge(source.current().orElse(null));
                        last.set(v);
                        if (v.passed()) {
                            return true;
                        }
                        if (v.outcome() == Verdict.Outcome.HOPELESS) {
                            throw new Hopeless();
                        }
                        if (time.over()) {
                            throw new TimedOut();
                        }
                        time.step();
                        return false;
                    });
        } catch (Hopeless e) {
            throw prefixed("Stopped waiting after " + time.elapsed() + ": this can no longer happen.",
                    Failures.instance().failure(info, last.get().failure()));
        } catch (TimedOut | ConditionTimeoutException e) {
            Verdict v = last.get();
            if (v == null) {
                throw new AssertionError("Waited " + time.elapsed() + " " + what + " for " + source.describe()
                        + " without a single reading", e);
            }
            throw prefixed("Waited " + time.elapsed() + " in vain.", Failures.instance().failure(info, v.failure()));
        }
    }

    private static <T extends HasMetadata> void during(ObjectSource<T> source, Duration period, String what,
                                                      Check<T> check, AssertionInfo info) {
        Timeline time = new Timeline(source.cluster().orElse(null), period);
        AtomicReference<Verdict> broken = new AtomicReference<>();
        try {
            Awaitility.await("while " + source.describe() + " " + what).atMost(time.wallCap().plusSeconds(5))
                    .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(5)).until(() -> {
                        Verdict v = check.judge(source.current().orElse(null));
                        if (!v.passed()) {
                            broken.set(v);
                            return true;
                        }
                        if (time.over()) {
                            return true;
                        }
                        time.step();
                        return false;
                    });
        } catch (ConditionTimeoutException e) {
            return; // held until the wall-clock cap
        }
        if (broken.get() != null) {
            throw prefixed("It held for " + time.elapsed() + " of the " + period + " it had to.",
                    Failures.instance().failure(info, broken.get().failure()));
        }
    }

    private static AssertionError prefixed(String prefix, AssertionError error) {
        AssertionError out = new AssertionError(prefix + " " + error.getMessage().stripLeading());
        out.setStackTrace(error.getStackTrace());
        return out;
    }

    /** Where a wait is in time: cluster time with a cluster (moving a manual clock), wall time otherwise. */
    private static final class Timeline {
        private final KubeCluster cluster;
        private final Duration limit;
        private final Instant clusterStart;
        private final long wallStart = System.nanoTime();

        Timeline(KubeCluster cluster, Duration limit) {
            this.cluster = cluster;
            this.limit = limit;
            this.clusterStart = cluster == null ? null : cluster.clock().now();
        }

        boolean virtual() {
            return cluster != null && cluster.clock() instanceof VirtualClock;
        }

        Duration wallCap() {
            return virtual() && limit.compareTo(WALL_CAP_FOR_VIRTUAL_TIME) > 0 ? WALL_CAP_FOR_VIRTUAL_TIME : limit;
        }

        boolean over() {
            if (cluster != null) {
                return !cluster.clock().now().isBefore(clusterStart.plus(limit));
            }
            return Duration.ofNanos(System.nanoTime() - wallStart).compareTo(limit) >= 0;
        }

        /** With a manual clock and an idle cluster: on to the next timer, or to the end of the wait. */
        void step() {
            if (cluster != null && cluster.clock() instanceof ManualClock manual && !cluster.activity().busy()) {
                Instant end = clusterStart.plus(limit);
                Instant next = manual.nextTimer();
                manual.advanceTo(next == null || next.isAfter(end) ? end : next);
            }
        }

        String elapsed() {
            Duration wall = Duration.ofNanos(System.nanoTime() - wallStart);
            if (cluster != null && virtual()) {
                return human(Duration.between(clusterStart, cluster.clock().now())) + " of cluster time (" + human(wall) + " of wall time)";
            }
            return human(wall);
        }

        private static String human(Duration d) {
            long ms = d.toMillis();
            return ms < 1000 ? ms + " ms" : ms < 120_000 ? String.format(java.util.Locale.ROOT, "%.1f s", ms / 1000.0)
                    : d.toMinutes() + " min " + d.toSecondsPart() + " s";
        }
    }

    private static final class Hopeless extends RuntimeException {
        Hopeless() {
            super(null, null, false, false);
        }
    }

    private static final class TimedOut extends RuntimeException {
        TimedOut() {
            super(null, null, false, false);
        }
    }
}
