package dev.kubetest.benchmarks;

import dev.kubetest.apiserver.ApiServer;
import dev.kubetest.core.KubeCluster;
import dev.kubetest.core.meta.DeleteOptions;
import dev.kubetest.core.meta.ResourceType;
import dev.kubetest.core.meta.WriteOptions;
import dev.kubetest.core.ClusterSnapshot;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * What each of @KubeTest's isolation levels costs a test, measured as the extension pays it: a fresh namespace
 * (create it, wait for its default ServiceAccount, delete it), a snapshot restore of a cluster holding 1,000
 * ConfigMaps after a test changed a few of them (and after it changed none, and all), and a fresh cluster (boot
 * the cluster and its HTTPS server, close both). Prints medians in milliseconds.
 */
public final class IsolationBenchmark {
    private IsolationBenchmark() {}

    public static void main(String[] args) throws Exception {
        try (KubeCluster cluster = KubeCluster.builder().timeMode(KubeCluster.TimeMode.AUTO).build()) {
            var api = cluster.api();
            ResourceType namespaces = api.registry().find("", "v1", "namespaces").orElseThrow();
            ResourceType accounts = api.registry().find("", "v1", "serviceaccounts").orElseThrow();
            List<Double> namespace = new ArrayList<>();
            for (int i = 0; i < 220; i++) {
                String name = "test-" + i;
                long t0 = System.nanoTime();
                var ns = dev.kubetest.core.json.Json.object();
                ns.put("apiVersion", "v1").put("kind", "Namespace").putObject("metadata").put("name", name);
                api.create(namespaces, null, ns, WriteOptions.manager("bench"));
                while (api.find(accounts, name, "default").isEmpty()) {
                    Thread.onSpinWait();
                }
                api.deleteIfPresent(namespaces, null, name, DeleteOptions.defaults());
                if (i >= 20) {
                    namespace.add((System.nanoTime() - t0) / 1e6);
                }
            }
            print("fresh namespace (create, default ServiceAccount ready, delete)", namespace);

            for (int i = 0; i < 1000; i++) {
                cluster.client().create(new ConfigMapBuilder().withNewMetadata().withName("cm-" + i).withNamespace("default")
                        .endMetadata().addToData("v", "0").build());
            }
            ClusterSnapshot baseline = cluster.snapshot();
            System.out.printf(Locale.ROOT, "snapshot holds %d objects%n", baseline.size());
            List<Double> few = new ArrayList<>();
            List<Double> none = new ArrayList<>();
            List<Double> take = new ArrayList<>();
            for (int i = 0; i < 220; i++) {
                // a test: three edits, one create, one delete
                for (int k = 0; k < 3; k++) {
                    ConfigMap c = cluster.client().get(ConfigMap.class, "default", "cm-" + ((i * 3 + k) % 1000)).orElseThrow();
                    c.getData().put("v", "changed-" + i);
                    cluster.client().update(c);
                }
                cluster.client().create(new ConfigMapBuilder().withNewMetadata().withName("extra-" + i).withNamespace("default").endMetadata().build());
                cluster.client().delete(ConfigMap.class, "default", "cm-" + ((i * 7 + 500) % 1000), DeleteOptions.defaults());
                long t0 = System.nanoTime();
                cluster.restore(baseline);
                long t1 = System.nanoTime();
                cluster.restore(baseline);
                long t2 = System.nanoTime();
                cluster.snapshot();
                long t3 = System.nanoTime();
                if (i >= 20) {
                    few.add((t1 - t0) / 1e6);
                    none.add((t2 - t1) / 1e6);
                    take.add((t3 - t2) / 1e6);
                }
            }
            print("snapshot restore, 1,000 objects, a test changed 5", few);
            print("snapshot restore, 1,000 objects, nothing changed", none);
            print("taking a snapshot of 1,000 objects", take);
            List<Double> all = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                for (int k = 0; k < 1000; k++) {
                    ConfigMap c = cluster.client().get(ConfigMap.class, "default", "cm-" + k).orElseThrow();
                    c.getData().put("v", "all-" + i);
                    cluster.client().update(c);
                }
                long t0 = System.nanoTime();
                cluster.restore(baseline);
                if (i >= 2) {
                    all.add((System.nanoTime() - t0) / 1e6);
                }
            }
            print("snapshot restore, 1,000 objects, all 1,000 changed", all);
        }

        List<Double> fresh = new ArrayList<>();
        for (int i = 0; i < 13; i++) {
            long t0 = System.nanoTime();
            try (KubeCluster c = KubeCluster.builder().timeMode(KubeCluster.TimeMode.AUTO).build();
                 ApiServer s = ApiServer.builder(c).start()) {
                c.tls().join();
            }
            if (i >= 3) {
                fresh.add((System.nanoTime() - t0) / 1e6);
            }
        }
        print("fresh cluster (boot with its HTTPS server, close)", fresh);
    }

    private static void print(String what, List<Double> millis) {
        List<Double> sorted = new ArrayList<>(millis);
        Collections.sort(sorted);
        System.out.printf(Locale.ROOT, "%-60s median %8.3f ms   p90 %8.3f ms   (%d runs)%n", what,
                sorted.get(sorted.size() / 2), sorted.get((int) (sorted.size() * 0.9)), sorted.size());
    }
}
