package dev.kubetest.core.clock;

import java.time.Duration;
import java.time.Instant;
import java.util.PriorityQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A clock whose time moves only when told: {@link #advance(Duration)} runs every timer that falls due, in time
 * order, on the caller's thread, then sets the time. The base of the manual and the time-skipping clocks.
 */
public class VirtualClock implements Clock {
    private record Entry(Instant at, long seq, Runnable task, boolean[] cancelled, boolean background) implements Comparable<Entry> {
        @Override
        public int compareTo(Entry o) {
            int c = at.compareTo(o.at);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }

    private final PriorityQueue<Entry> timers = new PriorityQueue<>();
    private final AtomicLong seq = new AtomicLong();
    private volatile Instant now;

    public VirtualClock(Instant start) {
        this.now = start;
    }

    @Override
    public Instant now() {
        return now;
    }

    @Override
    public Timer schedule(Instant at, Runnable task) {
        return add(at, task, false);
    }

    @Override
    public Timer scheduleBackground(Duration delay, Runnable task) {
        return add(now.plus(delay), task, true);
    }

    private synchronized Timer add(Instant at, Runnable task, boolean background) {
        boolean[] cancelled = {false};
        timers.add(new Entry(at.isBefore(now) ? now : at, seq.incrementAndGet(), task, cancelled, background));
        notifyAll();
        return () -> {
            synchronized (VirtualClock.this) {
                cancelled[0] = true;
            }
        };
    }

    /** The instant of the earliest pending timer, or null. */
    public synchronized Instant nextTimer() {
        while (!timers.isEmpty() && timers.peek().cancelled()[0]) {
            timers.poll();
        }
        return timers.isEmpty() ? null : timers.peek().at();
    }

    /** Moves time forward by {@code d}, running every timer due on the way in order. */
    public void advance(Duration d) {
        advanceTo(now.plus(d));
    }

    /** Moves time to {@code target} (never backwards), running every timer due on the way in order. */
    public void advanceTo(Instant target) {
        advanceCounting(target);
    }

    /** {@link #advanceTo}; whether any timer that is not a background one ran. */
    protected boolean advanceCounting(Instant target) {
        boolean foreground = false;
        while (true) {
            Entry next;
            synchronized (this) {
                next = timers.peek();
                if (next == null || next.at().isAfter(target)) {
                    if (target.isAfter(now)) {
                        now = target;
                    }
                    return foreground;
                }
                timers.poll();
                if (next.at().isAfter(now)) {
                    now = next.at();
                }
                if (next.cancelled()[0]) {
                    continue;
                }
            }
            foreground |= !next.background();
            try {
                next.task().run();
            } catch (RuntimeException e) {
                // a timer that fails must not stop time for the rest of the cluster; one that fails because the
                // cluster is closing (its runtime gone) is expected
                if (!closed) {
                    org.slf4j.LoggerFactory.getLogger(VirtualClock.class).warn("a timer failed", e);
                }
            }
        }
    }

    /**
     * Turns time back to {@code target} (a cluster snapshot being restored): every pending timer moves back by the
     * same amount, so what was due in five seconds is still due in five seconds. Later instants are ignored.
     */
    public synchronized void rewindTo(Instant target) {
        if (!target.isBefore(now)) {
            return;
        }
        Duration back = Duration.between(target, now);
        java.util.List<Entry> pending = new java.util.ArrayList<>(timers);
        timers.clear();
        for (Entry e : pending) {
            Instant at = e.at().minus(back);
            timers.add(new Entry(at.isBefore(target) ? target : at, e.seq(), e.task(), e.cancelled(), e.background()));
        }
        now = target;
        notifyAll();
    }

    /** Runs the timers already due at the current instant. */
    public void runDue() {
        advanceTo(now);
    }

    private volatile boolean closed;

    @Override
    public void close() {
        closed = true;
        synchronized (this) {
            timers.clear();
        }
    }
}
