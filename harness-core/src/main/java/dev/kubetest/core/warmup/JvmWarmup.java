package dev.kubetest.core.warmup;

/**
 * Work a module does once per JVM, on a background thread beside the first cluster's boot, so that its own first
 * use is not paid for on the boot's path: loading and linking its classes, starting shared threads. A warm-up
 * holds no cluster state and changes nothing a cluster can observe. Modules list their warm-ups in
 * {@code META-INF/services/dev.kubetest.core.warmup.JvmWarmup}.
 */
public interface JvmWarmup {
    void run();
}
