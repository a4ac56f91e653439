package dev.kubetest.apiserver.support;

import dev.kubetest.apiserver.ApiServer;
import dev.kubetest.core.KubeCluster;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.util.ClientBuilder;
import io.kubernetes.client.util.KubeConfig;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A cluster behind an HTTPS server, with a kubeconfig on disk and the three clients pointed at it. */
public final class TestServer implements AutoCloseable {
    private final KubeCluster cluster;
    private final ApiServer server;
    private final Path dir;
    private final Path kubeconfig;
    private KubernetesClient fabric8;

    public TestServer() {
        this(KubeCluster.builder());
    }

    public TestServer(KubeCluster.Builder builder) {
        try {
            this.cluster = builder.build();
            this.server = ApiServer.builder(cluster).start();
            this.dir = Files.createTempDirectory("kubetest-");
            this.kubeconfig = server.writeKubeconfig(dir.resolve("kubeconfig"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public KubeCluster cluster() {
        return cluster;
    }

    public ApiServer server() {
        return server;
    }

    public Path dir() {
        return dir;
    }

    /** A kubectl with its own discovery cache (a fresh one per call of this method). */
    public Kubectl kubectl() {
        try {
            return new Kubectl(kubeconfig, Files.createTempDirectory(dir, "kubectl-cache-"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public synchronized KubernetesClient fabric8() {
        if (fabric8 == null) {
            fabric8 = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(server.kubeconfig())).build();
        }
        return fabric8;
    }

    public ApiClient clientJava() {
        try {
            return ClientBuilder.kubeconfig(KubeConfig.loadKubeConfig(new StringReader(server.kubeconfig()))).build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path write(String name, String content) {
        try {
            return Files.writeString(dir.resolve(name), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Creates pod {@code name} in {@code default} with one busybox container, {@code shell}, running
     * {@code sh -c script}, and waits until it is ready (through fabric8).
     */
    public void runShellPod(String name, String script) {
        fabric8().pods().inNamespace("default").resource(new io.fabric8.kubernetes.api.model.PodBuilder()
                .withNewMetadata().withName(name).endMetadata()
                .withNewSpec().addNewContainer().withName("shell").withImage("busybox").withCommand("sh", "-c", script)
                .endContainer().endSpec().build()).create();
        fabric8().pods().inNamespace("default").withName(name).waitUntilReady(30, java.util.concurrent.TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        if (fabric8 != null) {
            fabric8.close();
        }
        server.close();
        cluster.close();
    }
}
