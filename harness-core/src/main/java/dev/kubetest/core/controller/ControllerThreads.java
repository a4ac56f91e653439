package dev.kubetest.core.controller;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads controllers reconcile on: one cached pool of daemon threads for the JVM, as the JDK's common pool
 * is. It holds no cluster state: each controller keeps its own queue and runs at most one reconcile at a time,
 * so controllers of different clusters share nothing but idle threads, and a second cluster boots without
 * starting a thread per controller. The pool is unbounded, so a reconcile that waits never starves another
 * controller, and a thread idle for 30 seconds ends, so an idle JVM holds none.
 */
final class ControllerThreads {
    private static final ExecutorService POOL = create();

    private ControllerThreads() {}

    static ExecutorService pool() {
        return POOL;
    }

    private static ExecutorService create() {
        AtomicInteger n = new AtomicInteger();
        return new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
            Thread t = new Thread(r, "kubetest-controller-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }
}
