package dev.kubetest.core.clock;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Wall-clock time. This is the one class in the cluster that reads the JVM's clock; with a speed factor above 1
 * cluster time runs faster than wall time from the moment the clock was created.
 */
public final class RealClock implements Clock {
    private final double speed;
    private final Instant origin;
    private final long originNanos;
    private final ScheduledExecutorService timers;

    public RealClock(double speed) {
        if (!(speed > 0)) {
            throw new IllegalArgumentException("speed must be positive, was " + speed);
        }
        this.speed = speed;
        this.origin = java.time.Clock.systemUTC().instant();
        this.originNanos = System.nanoTime();
        this.timers = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "kubetest-clock");
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public Instant now() {
        long elapsed = System.nanoTime() - originNanos;
        return origin.plusNanos((long) (elapsed * speed));
    }

    @Override
    public Timer schedule(Instant at, Runnable task) {
        long clusterNanos = Math.max(0, Duration.between(now(), at).toNanos());
        long wallNanos = (long) (clusterNanos / speed);
        ScheduledFuture<?> f;
        try {
            f = timers.schedule(task, wallNanos, TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            // the cluster is shutting down: a timer set by a component still finishing its work never fires
            return () -> { };
        }
        return () -> f.cancel(false);
    }

    @Override
    public void close() {
        timers.shutdownNow();
    }
}
