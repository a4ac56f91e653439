package dev.kubetest.core.clock;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How busy a cluster is: components mark work in progress (API requests, controller reconciles, queued keys),
 * so that the time-skipping clock only jumps when nothing is happening.
 */
public final class Activity {
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong lastChange = new AtomicLong(System.nanoTime());
    private final java.util.List<java.util.function.BooleanSupplier> idleChecks = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** Adds a check that says whether a component (a work queue) is idle. */
    public void register(java.util.function.BooleanSupplier idle) {
        idleChecks.add(idle);
    }

    /** Marks one unit of work started; the returned handle marks it done. */
    public AutoCloseable begin() {
        inFlight.incrementAndGet();
        lastChange.set(System.nanoTime());
        return () -> {
            inFlight.decrementAndGet();
            lastChange.set(System.nanoTime());
        };
    }

    public void touch() {
        lastChange.set(System.nanoTime());
    }

    public boolean busy() {
        if (inFlight.get() > 0) {
            return true;
        }
        for (java.util.function.BooleanSupplier check : idleChecks) {
            if (!check.getAsBoolean()) {
                return true;
            }
        }
        return false;
    }

    /** Nanoseconds (wall) since work last started or ended. */
    public long quietNanos() {
        return System.nanoTime() - lastChange.get();
    }
}
