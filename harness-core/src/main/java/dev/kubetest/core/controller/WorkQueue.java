package dev.kubetest.core.controller;

import dev.kubetest.core.clock.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * A de-duplicating work queue as client-go's: a key waiting is queued once however often it is added; a key
 * being processed is never handed out twice at once (added again meanwhile, it is re-queued when done). Delays
 * and per-key exponential back-off run on the cluster {@link Clock}.
 */
public final class WorkQueue<K> {
    private final Clock clock;
    private final ArrayDeque<K> ready = new ArrayDeque<>();
    private final Set<K> dirty = new HashSet<>();
    private final Set<K> processing = new HashSet<>();
    private final Map<K, Integer> failures = new HashMap<>();
    private final Duration baseDelay;
    private final Duration maxDelay;
    private java.util.Comparator<K> order;
    private boolean shutDown;
    private Runnable onReady = () -> { };

    public WorkQueue(Clock clock) {
        this(clock, Duration.ofMillis(5), Duration.ofSeconds(1000));
    }

    public WorkQueue(Clock clock, Duration baseDelay, Duration maxDelay) {
        this.clock = clock;
        this.baseDelay = baseDelay;
        this.maxDelay = maxDelay;
    }

    /**
     * Hands out the ready key that comes first in {@code order} rather than the oldest (ties: the oldest), as the
     * scheduler's active queue does by priority.
     */
    public synchronized void order(java.util.Comparator<K> order) {
        this.order = order;
    }

    /** Adds several keys at once: a worker waiting sees them all before it chooses. */
    public void addAll(java.util.Collection<K> keys) {
        Runnable listener;
        synchronized (this) {
            Runnable saved = onReady;
            onReady = () -> { };
            try {
                keys.forEach(this::add);
            } finally {
                onReady = saved;
            }
            listener = saved;
        }
        listener.run();
    }

    /** Called (outside the queue's lock) whenever a key becomes ready. */
    public synchronized void onReady(Runnable listener) {
        this.onReady = listener;
    }

    public void add(K key) {
        boolean readied;
        Runnable listener;
        synchronized (this) {
            if (shutDown || !dirty.add(key)) {
                return;
            }
            readied = !processing.contains(key);
            if (readied) {
                ready.addLast(key);
                notifyAll();
            }
            listener = onReady;
        }
        if (readied) {
            listener.run();
        }
    }

    /** Whether a key is waiting to be handed out. */
    public synchronized boolean hasReady() {
        return !ready.isEmpty() && !shutDown;
    }

    /** The next key to process, or null when none is ready (or the queue is shut down); never waits. */
    public synchronized K poll() {
        if (ready.isEmpty() || shutDown) {
            return null;
        }
        K key = order == null ? ready.removeFirst() : first();
        dirty.remove(key);
        processing.add(key);
        return key;
    }

    /** Adds {@code key} once {@code delay} of cluster time has passed. */
    public void addAfter(K key, Duration delay) {
        if (delay.isZero() || delay.isNegative()) {
            add(key);
            return;
        }
        clock.scheduleAfter(delay, () -> add(key));
    }

    /** Adds {@code key} after its back-off: base delay doubling per consecutive failure, up to the maximum. */
    public void addRateLimited(K key) {
        int n;
        synchronized (this) {
            n = failures.merge(key, 1, Integer::sum);
        }
        addAfter(key, backoff(baseDelay, maxDelay, n));
    }

    /** Clears the failure count of a key that succeeded. */
    public synchronized void forget(K key) {
        failures.remove(key);
    }

    /** Pure: the delay after {@code failures} consecutive failures. */
    public static Duration backoff(Duration base, Duration max, int failures) {
        if (failures <= 0) {
            return Duration.ZERO;
        }
        long nanos = base.toNanos();
        for (int i = 1; i < failures && nanos < max.toNanos(); i++) {
            nanos *= 2;
        }
        return nanos >= max.toNanos() ? max : Duration.ofNanos(nanos);
    }

    /** The next key to process, waiting for one; null once the queue is shut down. */
    public synchronized K take() throws InterruptedException {
        while (ready.isEmpty() && !shutDown) {
            wait();
        }
        if (shutDown) {
            return null;
        }
        K key = order == null ? ready.removeFirst() : first();
        dirty.remove(key);
        processing.add(key);
        return key;
    }

    private K first() {
        K best = null;
        for (K k : ready) {
            if (best == null || order.compare(k, best) < 0) {
                best = k;
            }
        }
        ready.remove(best);
        return best;
    }

    /** Marks {@code key} processed; if it was added meanwhile it is queued again. */
    public void done(K key) {
        Runnable listener;
        synchronized (this) {
            processing.remove(key);
            if (!dirty.contains(key)) {
                return;
            }
            ready.addLast(key);
            notifyAll();
            listener = onReady;
        }
        listener.run();
    }

    /** True when nothing is queued or being processed. */
    public synchronized boolean idle() {
        return ready.isEmpty() && processing.isEmpty();
    }

    public synchronized void shutDown() {
        shutDown = true;
        notifyAll();
    }
}
