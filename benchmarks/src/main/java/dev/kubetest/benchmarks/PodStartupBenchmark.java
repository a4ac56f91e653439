package dev.kubetest.benchmarks;

import dev.kubetest.core.KubeCluster;
import dev.kubetest.core.meta.ListOptions;
import dev.kubetest.core.meta.ResourceType;
import dev.kubetest.core.meta.WriteOptions;
import dev.kubetest.core.json.Json;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;

/**
 * Creates 100, then 1,000 nginx pods with a readiness probe on a 10-node cluster (simulated runtime, time skipping)
 * and prints the wall time until every pod is Running and Ready, and the heap in use then.
 */
public final class PodStartupBenchmark {
    private PodStartupBenchmark() {}

    public static void main(String[] args) throws Exception {
        for (int count : new int[] {100, 1000}) {
            run(count);
        }
    }

    private static void run(int count) throws Exception {
        try (KubeCluster cluster = KubeCluster.builder().timeMode(KubeCluster.TimeMode.AUTO).nodes(10).build()) {
            ResourceType pods = cluster.registry().find("", "v1", "pods").orElseThrow();
            java.util.Set<String> ready = java.util.concurrent.ConcurrentHashMap.newKeySet();
            java.util.concurrent.CountDownLatch allReady = new java.util.concurrent.CountDownLatch(1);
            // a watch, not polling: a list of every pod each few milliseconds would compete with the cluster
            AutoCloseable watch = cluster.api().lists().watch(pods, "default", ListOptions.all(), (type, p) -> {
                boolean isReady = false;
                for (var c : p.path("status").path("conditions")) {
                    if ("Ready".equals(c.path("type").asText())) {
                        isReady = "True".equals(c.path("status").asText());
                    }
                }
                String name = p.path("metadata").path("name").asText();
                if (isReady && type != dev.kubetest.core.api.WatchEventType.DELETED) {
                    ready.add(name);
                } else {
                    ready.remove(name);
                }
                if (ready.size() == count) {
                    allReady.countDown();
                }
            });
            long start = System.nanoTime();
            for (int i = 0; i < count; i++) {
                ObjectNode pod = (ObjectNode) Json.parse("{\"metadata\":{\"name\":\"web-" + i + "\"},\"spec\":{\"containers\":"
                        + "[{\"name\":\"nginx\",\"image\":\"nginx:1.27\",\"ports\":[{\"containerPort\":80}],"
                        + "\"readinessProbe\":{\"httpGet\":{\"path\":\"/\",\"port\":80},\"periodSeconds\":5}}]}}");
                cluster.api().create(pods, "default", pod, WriteOptions.manager("benchmark"));
            }
            allReady.await();
            watch.close();
            double ms = (System.nanoTime() - start) / 1e6;
            System.gc();
            long heap = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
            System.out.printf(Locale.ROOT, "%d pods on 10 nodes, create to all Running and Ready: %.0f ms wall; heap in use after GC: %d MiB%n",
                    count, ms, heap / (1024 * 1024));
        }
    }
}
