package dev.kubetest.benchmarks;

import dev.kubetest.apiserver.ApiServer;
import dev.kubetest.core.KubeCluster;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Creates 100 namespaces in a row through fabric8, each holding a ConfigMap, a Secret and a ServiceAccount (plus
 * the default ServiceAccount and kube-root-ca.crt the controllers add), deletes each, and prints the median
 * time from the DELETE request to the namespace's DELETED watch event.
 */
public final class NamespaceChurnBenchmark {
    private NamespaceChurnBenchmark() {}

    public static void main(String[] args) throws Exception {
        try (KubeCluster cluster = KubeCluster.start();
             ApiServer server = ApiServer.builder(cluster).start();
             KubernetesClient client = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(server.kubeconfig())).build()) {
            Map<String, CountDownLatch> gone = new ConcurrentHashMap<>();
            try (Watch w = client.namespaces().watch(new Watcher<>() {
                @Override
                public void eventReceived(Action action, Namespace ns) {
                    if (action == Action.DELETED) {
                        CountDownLatch l = gone.get(ns.getMetadata().getName());
                        if (l != null) {
                            l.countDown();
                        }
                    }
                }

                @Override
                public void onClose(WatcherException cause) {
                }
            })) {
                List<Double> millis = new ArrayList<>();
                for (int i = 0; i < 120; i++) {
                    String ns = "churn-" + i;
                    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
                    client.configMaps().inNamespace(ns).resource(new ConfigMapBuilder().withNewMetadata().withName("c").endMetadata().build()).create();
                    client.secrets().inNamespace(ns).resource(new SecretBuilder().withNewMetadata().withName("s").endMetadata().build()).create();
                    client.serviceAccounts().inNamespace(ns).resource(new ServiceAccountBuilder().withNewMetadata().withName("robot").endMetadata().build()).create();
                    CountDownLatch latch = new CountDownLatch(1);
                    gone.put(ns, latch);
                    long t = System.nanoTime();
                    client.namespaces().withName(ns).delete();
                    if (!latch.await(30, TimeUnit.SECONDS)) {
                        throw new IllegalStateException(ns + " was not deleted");
                    }
                    if (i >= 20) {
                        millis.add((System.nanoTime() - t) / 1e6);
                    }
                }
                Collections.sort(millis);
                System.out.printf(Locale.ROOT, "namespace delete to gone (fabric8 over HTTPS, 100 namespaces after 20 warm-up): median %.1f ms, p90 %.1f ms, max %.1f ms%n",
                        millis.get(millis.size() / 2), millis.get((int) (millis.size() * 0.9)), millis.get(millis.size() - 1));
            }
        }
    }
}
