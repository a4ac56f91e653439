package dev.kubetest.apiserver;

import static org.awaitility.Awaitility.await;

import dev.kubetest.core.KubeCluster;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.time.Duration;

/**
 * The first cluster of a fresh JVM, run by {@link FreshJvmClusterTest} in a JVM of its own (the CA and the server
 * threads are made once per JVM). Mode {@code http}: a plain-HTTP cluster, which needs no TLS itself, still
 * publishes {@code kube-root-ca.crt} holding its CA (a fabric8 client reads it). Mode {@code close}: soon after its
 * cluster and HTTPS server are closed, the JVM holds no thread that keeps it from exiting. Prints
 * {@code OK <mode>} when every check passed.
 */
public final class FreshJvmCluster {
    private FreshJvmCluster() {}

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        try (KubeCluster cluster = KubeCluster.builder().build()) {
            switch (mode) {
                case "http" -> {
                    try (ApiServer server = ApiServer.builder(cluster).plainHttp().start()) {
                        Config config = new ConfigBuilder().withMasterUrl(server.url()).build();
                        try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build()) {
                            check(client.namespaces().withName("default").get() != null, "no namespace default");
                            ConfigMap root = await().atMost(Duration.ofSeconds(30)).until(
                                    () -> client.configMaps().inNamespace("default").withName("kube-root-ca.crt").get(),
                                    cm -> cm != null);
                            checkPem(root.getData().get("ca.crt"), cluster);
                        }
                    }
                }
                case "close" -> {
                    try (ApiServer server = ApiServer.builder(cluster).start();
                         KubernetesClient client = new KubernetesClientBuilder().withConfig(
                                 Config.fromKubeconfig(server.kubeconfig())).build()) {
                        check(client.namespaces().withName("default").get() != null, "no namespace default");
                    }
                }
                default -> throw new IllegalArgumentException(mode);
            }
        }
        if (mode.equals("close")) {
            // Netty's global executor (which channel groups and the client use) ends its non-daemon thread ~1 s after
            // its last task; the server threads' own stop, 5 s after the last server closes, must not hold it longer
            await().pollInSameThread().atMost(Duration.ofSeconds(4)).untilAsserted(() -> {
                for (Thread t : Thread.getAllStackTraces().keySet()) {
                    check(t.isDaemon() || t == Thread.currentThread() || !t.isAlive() || t.getName().equals("DestroyJavaVM"),
                            "after close, a thread keeps the JVM from exiting: " + t.getName());
                }
            });
        }
        System.out.println("OK " + mode);
    }

    private static void checkPem(String pem, KubeCluster cluster) throws Exception {
        check(pem != null && pem.startsWith("-----BEGIN CERTIFICATE-----"), "ca.crt is not a PEM certificate: " + pem);
        check(pem.equals(cluster.tls().get().caPem()), "ca.crt is not the cluster's CA");
    }

    private static void check(boolean condition, String failure) {
        if (!condition) {
            throw new AssertionError(failure);
        }
    }
}
