package dev.kubetest.apiserver;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads API servers run on: Netty's accept and I/O event loops and the pool that handles requests. They
 * carry no cluster state, so the servers of one JVM share them while any server is open (counted by
 * {@link #acquire}/{@link #release}); a second server then starts no threads. When the last server closes, the
 * threads stop a few seconds later unless another server has started meanwhile (test classes that each start a
 * server in turn reuse them). Each server still has its own socket, handler and connections.
 */
final class ServerThreads {
    private static final Object LOCK = new Object();
    private static ServerThreads shared;
    private static int users;

    final EventLoopGroup boss;
    final EventLoopGroup workers;
    final ExecutorService handlers;

    private ServerThreads() {
        this.boss = new NioEventLoopGroup(1, daemonThreads("kubetest-accept"));
        this.workers = new NioEventLoopGroup(2, daemonThreads("kubetest-io"));
        this.handlers = Executors.newCachedThreadPool(daemonThreads("kubetest-api"));
    }

    static ServerThreads acquire() {
        synchronized (LOCK) {
            if (shared == null) {
                shared = new ServerThreads();
            }
            users++;
            return shared;
        }
    }

    void release() {
        synchronized (LOCK) {
            if (--users > 0) {
                return;
            }
        }
        // on the accept loop's own (daemon) thread: Netty's global executor runs on a non-daemon thread, which
        // kept a JVM whose servers had all closed from exiting until the threads stopped
        boss.schedule(this::stopIfUnused, 5, TimeUnit.SECONDS);
    }

    private void stopIfUnused() {
        synchronized (LOCK) {
            if (users > 0 || shared != this) {
                return;
            }
            shared = null;
        }
        handlers.shutdownNow();
        boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        workers.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    private static ThreadFactory daemonThreads(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
