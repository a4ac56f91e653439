package dev.kubetest.benchmarks;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubetest.core.KubeCluster;
import dev.kubetest.core.api.WatchEventType;
import dev.kubetest.core.json.Json;
import dev.kubetest.core.meta.ListOptions;
import dev.kubetest.core.meta.ResourceType;
import dev.kubetest.core.meta.WriteOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Pod create to Running and to Ready on the Docker runtime and on the simulated one (issue #27), side by side in one
 * JVM, rounds interleaved: a busybox pod serving with {@code httpd} behind an httpGet readiness probe (period 1 s),
 * one pod at a time ({@code --rounds N}, default 5), then {@code --batch N} (default 10) at once. Both clusters run in
 * real time; the Docker one needs a local engine with {@code busybox:latest} (tools/docker-for-tests.sh).
 */
public final class DockerPodStart {
    private DockerPodStart() {}

    record Timing(double runningMs, double readyMs) {}

    public static void main(String[] args) throws Exception {
        List<String> a = List.of(args);
        int rounds = a.contains("--rounds") ? Integer.parseInt(a.get(a.indexOf("--rounds") + 1)) : 5;
        int batch = a.contains("--batch") ? Integer.parseInt(a.get(a.indexOf("--batch") + 1)) : 10;
        Map<String, List<Timing>> single = new java.util.LinkedHashMap<>();
        Map<String, Timing> batches = new java.util.LinkedHashMap<>();
        try (KubeCluster simulated = KubeCluster.builder().runtime("simulated").timeMode(KubeCluster.TimeMode.REAL).build();
             KubeCluster docker = KubeCluster.builder().runtime("docker").timeMode(KubeCluster.TimeMode.REAL).build()) {
            // warm-up: one pod each (first image inspection, JIT)
            start(simulated, "warm", 1);
            start(docker, "warm", 1);
            for (int r = 0; r < rounds; r++) {
                single.computeIfAbsent("simulated", k -> new ArrayList<>()).add(start(simulated, "one-" + r, 1));
                single.computeIfAbsent("docker", k -> new ArrayList<>()).add(start(docker, "one-" + r, 1));
            }
            batches.put("simulated", start(simulated, "batch", batch));
            batches.put("docker", start(docker, "batch", batch));
        }
        System.out.printf(Locale.ROOT, "%nruntime | one pod: create to Running (median of %d) | to Ready | %d pods at once: all Running | all Ready%n",
                rounds, batch);
        for (String runtime : single.keySet()) {
            List<Timing> t = single.get(runtime);
            System.out.printf(Locale.ROOT, "%s | %.0f ms | %.0f ms | %.0f ms | %.0f ms%n", runtime,
                    median(t.stream().mapToDouble(Timing::runningMs).toArray()), median(t.stream().mapToDouble(Timing::readyMs).toArray()),
                    batches.get(runtime).runningMs(), batches.get(runtime).readyMs());
        }
        System.exit(0);
    }

    /** Creates {@code count} pods and returns when the last one was Running and when the last one was Ready. */
    static Timing start(KubeCluster cluster, String prefix, int count) throws Exception {
        ResourceType pods = cluster.registry().find("", "v1", "pods").orElseThrow();
        Map<String, Long> running = new ConcurrentHashMap<>();
        Map<String, Long> ready = new ConcurrentHashMap<>();
        CountDownLatch allReady = new CountDownLatch(count);
        AutoCloseable watch = cluster.api().lists().watch(pods, "default",
                ListOptions.all().withResourceVersion(Long.toString(cluster.api().lists().currentRevision())), (type, p) -> {
                    String name = p.path("metadata").path("name").asText();
                    if (type == WatchEventType.DELETED || !name.startsWith(prefix + "-")) {
                        return;
                    }
                    if ("Running".equals(p.path("status").path("phase").asText())) {
                        running.putIfAbsent(name, System.nanoTime());
                    }
                    for (var c : p.path("status").path("conditions")) {
                        if ("Ready".equals(c.path("type").asText()) && "True".equals(c.path("status").asText())
                                && ready.putIfAbsent(name, System.nanoTime()) == null) {
                            allReady.countDown();
                        }
                    }
                });
        long t0 = System.nanoTime();
        for (int i = 0; i < count; i++) {
            ObjectNode pod = (ObjectNode) Json.parse("""
                    {"metadata":{"name":"%s-%d"},"spec":{"terminationGracePeriodSeconds":0,"containers":[{"name":"web","image":"busybox",
                     "command":["sh","-c","mkdir -p /www && echo ok > /www/index.html && httpd -f -p 8080 -h /www"],
                     "readinessProbe":{"httpGet":{"path":"/index.html","port":8080},"periodSeconds":1}}]}}"""
                    .formatted(prefix, i));
            cluster.api().create(pods, "default", pod, WriteOptions.manager("benchmark"));
        }
        if (!allReady.await(120, TimeUnit.SECONDS)) {
            throw new IllegalStateException(prefix + ": not all Ready after 120 s");
        }
        watch.close();
        double runningMs = (running.values().stream().mapToLong(Long::longValue).max().orElseThrow() - t0) / 1e6;
        double readyMs = (ready.values().stream().mapToLong(Long::longValue).max().orElseThrow() - t0) / 1e6;
        for (int i = 0; i < count; i++) {
            cluster.api().delete(pods, "default", prefix + "-" + i, dev.kubetest.core.meta.DeleteOptions.defaults());
        }
        return new Timing(runningMs, readyMs);
    }

    private static double median(double[] values) {
        java.util.Arrays.sort(values);
        return values[values.length / 2];
    }
}
