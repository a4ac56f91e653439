package dev.kubetest.benchmarks;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubetest.core.KubeCluster;
import dev.kubetest.core.meta.ListOptions;
import dev.kubetest.core.meta.ResourceType;
import dev.kubetest.core.meta.WriteOptions;
import dev.kubetest.core.json.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A container that exits 1 at once, in a fresh cluster with time skipping: the wall time from creating the pod
 * until its fifth restart (back-off 10, 20, 40, 80 and 160 s of cluster time, as upstream), and the cluster time
 * that passed meanwhile. Five runs, each in a fresh cluster in the same JVM.
 */
public final class CrashLoopBenchmark {
    private CrashLoopBenchmark() {}

    public static void main(String[] args) throws Exception {
        for (int run = 1; run <= 5; run++) {
            run(run);
        }
    }

    private static void run(int run) throws Exception {
        long start = System.nanoTime();
        try (KubeCluster cluster = KubeCluster.builder().timeMode(KubeCluster.TimeMode.AUTO).build()) {
            long booted = System.nanoTime();
            ResourceType pods = cluster.registry().find("", "v1", "pods").orElseThrow();
            CountDownLatch fifth = new CountDownLatch(1);
            AutoCloseable watch = cluster.api().lists().watch(pods, "default", ListOptions.all(), (type, p) -> {
                for (var s : p.path("status").path("containerStatuses")) {
                    if (s.path("restartCount").asInt() >= 5) {
                        fifth.countDown();
                    }
                }
            });
            Instant clusterStart = cluster.clock().now();
            long created = System.nanoTime();
            ObjectNode pod = (ObjectNode) Json.parse("{\"metadata\":{\"name\":\"crasher\"},\"spec\":{\"containers\":"
                    + "[{\"name\":\"app\",\"image\":\"busybox\",\"command\":[\"sh\",\"-c\",\"exit 1\"]}]}}");
            cluster.api().create(pods, "default", pod, WriteOptions.manager("benchmark"));
            if (!fifth.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("no fifth restart within 60 s");
            }
            long done = System.nanoTime();
            watch.close();
            System.out.printf(Locale.ROOT, "run %d: boot %.0f ms; create to fifth restart %.0f ms wall, %d s of cluster time%n",
                    run, (booted - start) / 1e6, (done - created) / 1e6,
                    Duration.between(clusterStart, cluster.clock().now()).toSeconds());
        }
    }
}
