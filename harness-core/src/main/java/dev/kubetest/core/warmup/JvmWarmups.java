package dev.kubetest.core.warmup;

import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Starts the {@link JvmWarmup}s found on the class path, once per class loader, on one daemon thread. The first
 * cluster of a JVM calls {@link #start} as its boot begins: on a machine with a spare core the API server's
 * classes (Netty, the HTTP codec) then load while the cluster boots, instead of after it. The system property
 * {@code kubetest.warmup=false} turns this off.
 */
public final class JvmWarmups {
    /** Once per JVM (per class loader): what a warm-up prepares is the JVM's, not any cluster's. */
    private static final AtomicBoolean STARTED = new AtomicBoolean();

    private JvmWarmups() {}

    public static void start() {
        if (!Boolean.parseBoolean(System.getProperty("kubetest.warmup", "true")) || !STARTED.compareAndSet(false, true)) {
            return;
        }
        Thread t = new Thread(JvmWarmups::runAll, "kubetest-warmup");
        t.setDaemon(true);
        t.start();
    }

    private static void runAll() {
        try {
            for (JvmWarmup w : ServiceLoader.load(JvmWarmup.class, JvmWarmups.class.getClassLoader())) {
                try {
                    w.run();
                } catch (RuntimeException | LinkageError e) {
                    // a warm-up only saves time; whatever it hit, the real first use meets again and reports
                }
            }
        } catch (ServiceConfigurationError e) {
            // as above: nothing depends on a warm-up having run
        }
    }
}
