package dev.kubetest.benchmarks;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubetest.core.KubeCluster;
import dev.kubetest.core.json.Json;
import dev.kubetest.core.meta.ListOptions;
import dev.kubetest.core.meta.ResourceType;
import dev.kubetest.core.meta.WriteOptions;
import dev.kubetest.core.node.NodeConfig;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Locale;

/**
 * Heap and idle CPU of a cluster holding many pods (issue #26), without HTTP: {@code --pods N} pods (default
 * 10,000) created through the API on {@code --nodes M} simulated nodes (default 1: the rest stay Pending, as in
 * the mock comparison; with enough nodes, of {@code --pods-per-node} capacity, they all run). Prints the wall time
 * to create them and to have them all Running (when they can), the heap after GC and the CPU used while idle.
 * {@code --hold} keeps the JVM alive afterwards for a heap histogram ({@code jmap -histo:live}).
 */
public final class HeapAndIdle {
    private HeapAndIdle() {}

    public static void main(String[] args) throws Exception {
        List<String> a = List.of(args);
        int pods = intArg(a, "--pods", 10_000);
        int nodes = intArg(a, "--nodes", 1);
        int perNode = intArg(a, "--pods-per-node", 110);
        long base = usedAfterGc();
        KubeCluster.Builder b = KubeCluster.builder().nodes(0);
        for (int i = 0; i < nodes; i++) {
            b.node(NodeConfig.named("node-" + i).withPods(perNode).withCpu("1000").withMemory("4000Gi"));
        }
        long t0 = System.nanoTime();
        try (KubeCluster cluster = b.build()) {
            cluster.awaitAddons();
            long booted = usedAfterGc();
            ResourceType podType = cluster.registry().find("", "v1", "pods").orElseThrow();
            ResourceType ns = cluster.registry().find("", "v1", "namespaces").orElseThrow();
            ObjectNode n = Json.object();
            n.putObject("metadata").put("name", "pods");
            cluster.api().create(ns, null, n, WriteOptions.manager("bench"));
            long c0 = System.nanoTime();
            for (int i = 0; i < pods; i++) {
                cluster.api().create(podType, "pods", pod(i), WriteOptions.manager("bench"));
            }
            double createS = (System.nanoTime() - c0) / 1e9;
            int expectRunning = Math.min(pods, nodes * perNode - 3);
            long r0 = System.nanoTime();
            int running = 0;
            double maxWait = intArg(a, "--max-wait", 600) * 1e9;
            while (System.nanoTime() - r0 < maxWait) {
                var items = cluster.api().lists().list(podType, "pods", ListOptions.all()).items();
                running = (int) items.stream().filter(p -> "Running".equals(p.path("status").path("phase").asText())).count();
                // settled: every pod has had its scheduling attempt (scheduled, or PodScheduled=False)
                long tried = items.stream().filter(p -> p.path("status").path("conditions").toString().contains("PodScheduled")).count();
                if (running >= expectRunning && tried == pods) {
                    break;
                }
                // a list of every pod costs the cluster too: look less often the more there are
                Thread.sleep(Math.max(200, pods / 50));
            }
            double runS = (System.nanoTime() - c0) / 1e9;
            long held = usedAfterGc();
            double cpu = idleCpu(10);
            System.out.printf(Locale.ROOT, "%d pods on %d node(s): created in %.1f s, %d Running and all tried by the scheduler after %.1f s; heap after GC %.0f MiB"
                            + " (%.1f KB a pod; the booted cluster %.0f MiB, the JVM before %.0f MiB); CPU while idle %.3f cores%n",
                    pods, nodes, createS, running, runS, (held - booted) / 1048576.0, (held - booted) / 1024.0 / pods,
                    (booted - base) / 1048576.0, base / 1048576.0, cpu);
            // one row for docs/scale-growth.csv, which GrowthPlot draws
            System.out.printf(Locale.ROOT, "csv: %d,%d,%d,%.1f,%.1f,%.0f,%.3f%n", pods, nodes, running, createS, runS,
                    (held - booted) / 1048576.0, cpu);
            if (a.contains("--hold")) {
                System.out.println("holding; pid " + ProcessHandle.current().pid());
                Thread.sleep(600_000);
            }
        }
        System.out.printf(Locale.ROOT, "total %.1f s%n", (System.nanoTime() - t0) / 1e9);
        System.exit(0);
    }

    private static int intArg(List<String> a, String name, int dflt) {
        return a.contains(name) ? Integer.parseInt(a.get(a.indexOf(name) + 1)) : dflt;
    }

    private static ObjectNode pod(int i) {
        return (ObjectNode) Json.parse("""
                {"apiVersion":"v1","kind":"Pod","metadata":{"name":"pod-%d","labels":{"app":"bench","half":"%s","group":"g%d"}},
                 "spec":{"containers":[{"name":"app","image":"nginx:1.27","ports":[{"containerPort":80}]}]}}"""
                .formatted(i, i % 2 == 0 ? "a" : "b", i / 100));
    }

    /** The process's CPU use over {@code seconds}, after 30 s for the JIT's compilations of the burst to finish. */
    static double idleCpu(int seconds) throws InterruptedException {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        Thread.sleep(30_000);
        long cpu0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        return (os.getProcessCpuTime() - cpu0) / (double) (System.nanoTime() - t0);
    }

    static long usedAfterGc() throws InterruptedException {
        Runtime rt = Runtime.getRuntime();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(300);
            used = Math.min(used, rt.totalMemory() - rt.freeMemory());
        }
        return used;
    }
}
