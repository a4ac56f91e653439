package dev.kubetest.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubetest.core.KubeCluster;
import dev.kubetest.core.api.WatchEventType;
import dev.kubetest.core.json.Json;
import dev.kubetest.core.meta.ListOptions;
import dev.kubetest.core.meta.ResourceType;
import dev.kubetest.core.meta.WriteOptions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The workloads issue's three figures, with the simulated runtime and time skipping, through the in-process API:
 * a 3-replica Deployment from create until it is complete and Available (20 in a row: the first and the median);
 * a rollout of 100 replicas (from the template change until complete); 100 Deployments of 10 replicas on 100
 * nodes (from the first create until all are complete).
 */
public final class DeploymentBenchmark {
    private DeploymentBenchmark() {}

    public static void main(String[] args) throws Exception {
        threeReplicas();
        rollout(100);
        manyDeployments(100, 10, 100);
    }

    private static ObjectNode deployment(String name, int replicas, String image) {
        return (ObjectNode) Json.parse(("{\"metadata\":{\"name\":\"%s\"},\"spec\":{\"replicas\":%d,"
                + "\"selector\":{\"matchLabels\":{\"app\":\"%s\"}},\"template\":{\"metadata\":{\"labels\":{\"app\":\"%s\"}},"
                + "\"spec\":{\"containers\":[{\"name\":\"web\",\"image\":\"%s\"}]}}}}").formatted(name, replicas, name, name, image));
    }

    /** Complete: every replica updated and available, the latest generation observed. */
    static boolean complete(JsonNode d) {
        int replicas = d.path("spec").path("replicas").asInt();
        JsonNode s = d.path("status");
        return s.path("observedGeneration").asLong() >= d.path("metadata").path("generation").asLong()
                && s.path("updatedReplicas").asInt() == replicas && s.path("availableReplicas").asInt() == replicas
                && s.path("replicas").asInt() == replicas;
    }

    /** Latches that open when the named Deployment is complete at a generation at least the one asked for. */
    private static final class Completion implements AutoCloseable {
        final Map<String, CountDownLatch> latches = new ConcurrentHashMap<>();
        final Map<String, Long> generations = new ConcurrentHashMap<>();
        final AutoCloseable watch;

        Completion(KubeCluster cluster, ResourceType deployments) {
            watch = cluster.api().lists().watch(deployments, "default", ListOptions.all(), (type, d) -> {
                String name = d.path("metadata").path("name").asText();
                CountDownLatch l = latches.get(name);
                if (l != null && type != WatchEventType.DELETED && complete(d)
                        && d.path("metadata").path("generation").asLong() >= generations.getOrDefault(name, 1L)) {
                    l.countDown();
                }
            });
        }

        CountDownLatch expect(String name, long generation) {
            generations.put(name, generation);
            return latches.computeIfAbsent(name, n -> new CountDownLatch(1));
        }

        @Override
        public void close() throws Exception {
            watch.close();
        }
    }

    private static void threeReplicas() throws Exception {
        try (KubeCluster cluster = KubeCluster.builder().timeMode(KubeCluster.TimeMode.AUTO).build()) {
            ResourceType deployments = cluster.registry().find("apps", "v1", "deployments").orElseThrow();
            List<Double> millis = new ArrayList<>();
            try (Completion done = new Completion(cluster, deployments)) {
                for (int i = 0; i < 20; i++) {
                    String name = "web-" + i;
                    CountDownLatch l = done.expect(name, 1);
                    long start = System.nanoTime();
                    cluster.api().create(deployments, "default", deployment(name, 3, "nginx:1.27"), WriteOptions.manager("bench"));
                    if (!l.await(60, TimeUnit.SECONDS)) {
                        throw new IllegalStateException(name + " did not complete");
                    }
                    millis.add((System.nanoTime() - start) / 1e6);
                }
            }
            double first = millis.get(0);
            Collections.sort(millis);
            System.out.printf(Locale.ROOT, "3-replica Deployment, create to complete and Available: first %.1f ms, median of 20 %.1f ms%n",
                    first, millis.get(millis.size() / 2));
        }
    }

    private static void rollout(int replicas) throws Exception {
        try (KubeCluster cluster = KubeCluster.builder().timeMode(KubeCluster.TimeMode.AUTO).nodes(10).build()) {
            ResourceType deployments = cluster.registry().find("apps", "v1", "deployments").orElseThrow();
            try (Completion done = new Completion(cluster, deployments)) {
                CountDownLatch created = done.expect("big", 1);
                long start = System.nanoTime();
                cluster.api().create(deployments, "default", deployment("big", replicas, "nginx:1.26"), WriteOptions.manager("bench"));
                if (!created.await(120, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("big did not complete");
                }
                double createMs = (System.nanoTime() - start) / 1e6;
                done.latches.remove("big");
                CountDownLatch rolled = done.expect("big", 2);
                start = System.nanoTime();
                cluster.api().mutate(deployments, "default", "big", null, WriteOptions.manager("bench"), d -> {
                    ((ObjectNode) d.with("spec").with("template").with("spec").withArray("containers").get(0))
                            .put("image", "nginx:1.27");
                    return d;
                }, dev.kubetest.core.api.KubeApi.Target.MAIN);
                if (!rolled.await(300, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the rollout did not complete");
                }
                double rolloutMs = (System.nanoTime() - start) / 1e6;
                System.out.printf(Locale.ROOT, "%d-replica Deployment on 10 nodes: create to complete %.0f ms; rollout to a new image %.0f ms%n",
                        replicas, createMs, rolloutMs);
            }
        }
    }

    private static void manyDeployments(int count, int replicas, int nodes) throws Exception {
        try (KubeCluster cluster = KubeCluster.builder().timeMode(KubeCluster.TimeMode.AUTO).nodes(nodes).build()) {
            ResourceType deployments = cluster.registry().find("apps", "v1", "deployments").orElseThrow();
            try (Completion done = new Completion(cluster, deployments)) {
                List<CountDownLatch> latches = new ArrayList<>();
                for (int i = 0; i < count; i++) {
                    latches.add(done.expect("app-" + i, 1));
                }
                long start = System.nanoTime();
                for (int i = 0; i < count; i++) {
                    cluster.api().create(deployments, "default", deployment("app-" + i, replicas, "nginx:1.27"),
                            WriteOptions.manager("bench"));
                }
                for (CountDownLatch l : latches) {
                    if (!l.await(600, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("not all Deployments completed");
                    }
                }
                double ms = (System.nanoTime() - start) / 1e6;
                Runtime rt = Runtime.getRuntime();
                System.gc();
                System.out.printf(Locale.ROOT, "%d Deployments x %d replicas on %d nodes: create to all complete %.0f ms, heap in use %d MiB%n",
                        count, replicas, nodes, ms, (rt.totalMemory() - rt.freeMemory()) >> 20);
            }
        }
    }
}
