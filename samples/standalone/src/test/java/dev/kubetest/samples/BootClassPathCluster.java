package dev.kubetest.samples;

import dev.kubetest.apiserver.ApiServer;
import dev.kubetest.core.KubeCluster;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

/**
 * What a test does, run by {@link BootClassPathArchiveTest} in a JVM that has KubeTest on the boot class path and
 * this module's test class path (directories first, as surefire's) on the class path: boots a cluster and its
 * HTTPS server, and has fabric8, loaded from the class path, write and read a ConfigMap. Prints {@code OK}, then
 * which loader defined KubeTest's classes.
 */
public final class BootClassPathCluster {
    private BootClassPathCluster() {}

    public static void main(String[] args) throws Exception {
        try (KubeCluster cluster = KubeCluster.builder().build();
             ApiServer server = ApiServer.builder(cluster).start();
             KubernetesClient client = new KubernetesClientBuilder()
                     .withConfig(Config.fromKubeconfig(server.kubeconfig())).build()) {
            client.configMaps().inNamespace("default").resource(new ConfigMapBuilder()
                    .withNewMetadata().withName("from-the-class-path").endMetadata()
                    .addToData("loader", String.valueOf(KubeCluster.class.getClassLoader())).build()).create();
            String read = client.configMaps().inNamespace("default").withName("from-the-class-path").get()
                    .getData().get("loader");
            System.out.println("OK kubetest loader=" + read + " fabric8 loader="
                    + (KubernetesClient.class.getClassLoader() == null ? "boot" : "application"));
        }
        System.exit(0);
    }
}
