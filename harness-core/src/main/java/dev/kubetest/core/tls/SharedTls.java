package dev.kubetest.core.tls;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The TLS material of every cluster in this JVM (per class loader): one CA and serving certificate, generated on
 * a background thread when the first cluster has booted and reused by the clusters after it. Making a CA costs a
 * cluster boot ~7 ms of CPU once the JIT has warmed up (two EC key pairs, two signatures; ~50-120 ms in a fresh
 * JVM), as much as the rest of the boot; the material depends on nothing a cluster holds, and every cluster's
 * kubeconfig and {@code kube-root-ca.crt} still carry the CA that signs its server's certificate. Its validity
 * starts at wall-clock time, not a cluster's, because TLS clients check it against wall-clock time.
 */
public final class SharedTls {
    private static final AtomicReference<CompletableFuture<ClusterTls>> SHARED = new AtomicReference<>();

    private SharedTls() {}

    /** The material, being generated or made; a failed generation is retried by the next caller. */
    public static CompletableFuture<ClusterTls> get() {
        while (true) {
            CompletableFuture<ClusterTls> current = SHARED.get();
            if (current != null && !current.isCompletedExceptionally()) {
                return current;
            }
            CompletableFuture<ClusterTls> mine = new CompletableFuture<>();
            if (SHARED.compareAndSet(current, mine)) {
                Thread t = new Thread(() -> {
                    try {
                        mine.complete(ClusterTls.generate(java.time.Clock.systemUTC().instant()));
                    } catch (RuntimeException | Error e) {
                        mine.completeExceptionally(e);
                    }
                }, "kubetest-ca");
                t.setDaemon(true);
                t.start();
                return mine;
            }
        }
    }
}
