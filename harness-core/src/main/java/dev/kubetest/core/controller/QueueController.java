package dev.kubetest.core.controller;

import dev.kubetest.core.meta.ApiException;
import dev.kubetest.core.clock.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shape every controller takes: event handlers only filter and enqueue a key; a worker takes keys off a
 * {@link WorkQueue} one at a time and calls {@link #reconcile}, which reads the current state and converges
 * (level-triggered). A reconcile that throws is retried with back-off; one that asks for it is requeued after a
 * delay on the clock. The worker is a task on the shared {@link ControllerThreads} pool, started when keys are
 * ready and ended when the queue is empty; it renames its thread after the controller while it runs.
 */
public abstract class QueueController<K> implements Controller {
    /** Looked up on first use: logging set-up is not on the boot path. */
    private static Logger log() {
        return LoggerFactory.getLogger(QueueController.class);
    }

    /** What a reconcile asks for next. */
    public record Result(Duration requeueAfter) {
        public static final Result DONE = new Result(null);

        public static Result requeueAfter(Duration d) {
            return new Result(d);
        }
    }

    protected final WorkQueue<K> queue;
    private final List<AutoCloseable> subscriptions = new ArrayList<>();
    private java.util.concurrent.ExecutorService pool;
    private final java.util.concurrent.atomic.AtomicBoolean draining = new java.util.concurrent.atomic.AtomicBoolean();

    protected QueueController(Clock clock) {
        this.queue = new WorkQueue<>(clock);
    }

    /** Subscribes the event sources; called once by {@link #start()}. */
    protected abstract void watch();

    /** Converges the state named by {@code key}. */
    protected abstract Result reconcile(K key);

    protected final void onClose(AutoCloseable subscription) {
        subscriptions.add(subscription);
    }

    @Override
    public void start() {
        pool = ControllerThreads.pool();
        queue.onReady(this::schedule);
        watch();
        schedule();
    }

    /** Makes sure a worker drains the queue (one at a time per controller). */
    private void schedule() {
        if (closed || !queue.hasReady() || !draining.compareAndSet(false, true)) {
            return;
        }
        try {
            pool.execute(this::drain);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            draining.set(false);
        }
    }

    private void drain() {
        Thread self = Thread.currentThread();
        String idle = self.getName();
        self.setName("kubetest-" + name());
        try {
            for (K key = queue.poll(); key != null && !closed; key = queue.poll()) {
                process(key);
            }
        } finally {
            self.setName(idle);
            draining.set(false);
        }
        schedule();
    }

    private void process(K key) {
        try {
            Result r = reconcile(key);
            queue.forget(key);
            if (r != null && r.requeueAfter() != null) {
                queue.addAfter(key, r.requeueAfter());
            }
        } catch (ApiException e) {
            log().debug("{}: reconcile of {} failed: {}", name(), key, e.getMessage());
            queue.addRateLimited(key);
        } catch (RuntimeException e) {
            if (!closed) {
                // after close the cluster's runtime and store go away under a reconcile: nothing to report
                log().warn("{}: reconcile of {} failed", name(), key, e);
                queue.addRateLimited(key);
            }
        } finally {
            queue.done(key);
        }
    }

    /** True when no key is queued or in progress. */
    public boolean idle() {
        return queue.idle();
    }

    private volatile boolean closed;

    @Override
    public void close() {
        closed = true;
        for (AutoCloseable s : subscriptions) {
            try {
                s.close();
            } catch (Exception ignored) {
                // closing a subscription does not fail
            }
        }
        queue.shutDown();
    }
}
