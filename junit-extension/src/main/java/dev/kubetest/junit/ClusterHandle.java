package dev.kubetest.junit;

import dev.kubetest.apiserver.ApiServer;
import dev.kubetest.core.KubeCluster;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/**
 * One running cluster of the extension: the in-process cluster, its API server, a folder for kubeconfig files and a
 * fabric8 client on the {@code default} namespace (made when first asked for). Closed once, by whoever owns it.
 */
final class ClusterHandle implements ClusterTarget {
    private final KubeTestSettings settings;
    private final KubeCluster cluster;
    private final ApiServer server;
    private final Path dir;
    private KubernetesClient client;
    private boolean closed;
    private dev.kubetest.core.ClusterSnapshot baseline;

    private ClusterHandle(KubeTestSettings settings, KubeCluster cluster, ApiServer server, Path dir) {
        this.settings = settings;
        this.cluster = cluster;
        this.server = server;
        this.dir = dir;
    }

    /** Boots a cluster of these settings and applies its manifests ({@code owner} names the test class for errors). */
    static ClusterHandle start(KubeTestSettings settings, Class<?> owner) {
        KubeCluster cluster = settings.clusterBuilder().build();
        ApiServer.Builder serverBuilder = ApiServer.builder(cluster);
        if (!settings.https()) {
            serverBuilder.plainHttp();
        }
        ApiServer server;
        Path dir;
        try {
            server = serverBuilder.start();
            dir = Files.createTempDirectory("kubetest-");
        } catch (IOException | RuntimeException e) {
            cluster.close();
            throw new IllegalStateException("KubeTest could not start a cluster for " + owner.getName() + ": " + e, e);
        }
        ClusterHandle handle = new ClusterHandle(settings, cluster, server, dir);
        try {
            // every manifest's objects in order, applied as one batch: Namespaces and CRDs first, and a custom
            // resource waits for its CRD to be established even when they are in different files
            java.util.List<com.fasterxml.jackson.databind.node.ObjectNode> objects = new java.util.ArrayList<>();
            for (String manifest : settings.manifests()) {
                objects.addAll(read(manifest, owner));
            }
            if (!objects.isEmpty()) {
                dev.kubetest.core.manifest.Manifests.apply(cluster.api(), objects, "kubetest", "default");
            }
        } catch (dev.kubetest.core.meta.ApiException e) {
            handle.close();
            throw new ExtensionConfigurationException("@KubeTest on " + owner.getName() + ": a manifest was refused by the "
                    + "API server (" + e.code() + "): " + e.getMessage(), e);
        } catch (RuntimeException e) {
            handle.close();
            throw e;
        }
        return handle;
    }

    /** The objects of one manifest: a {@code classpath:} resource or a path, a file or a directory. */
    private static java.util.List<com.fasterxml.jackson.databind.node.ObjectNode> read(String location, Class<?> owner) {
        try {
            if (location.startsWith("classpath:")) {
                String resource = location.substring("classpath:".length()).replaceFirst("^/", "");
                URL url = owner.getClassLoader().getResource(resource);
                if (url == null) {
                    throw new ExtensionConfigurationException("@KubeTest on " + owner.getName() + ": manifest " + location
                            + " is not on the class path; put it under src/test/resources/" + resource);
                }
                if ("file".equals(url.getProtocol())) {
                    return dev.kubetest.core.manifest.Manifests.read(Path.of(url.toURI()));
                }
                try (InputStream in = url.openStream()) {
                    return dev.kubetest.core.manifest.Manifests.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                }
            }
            Path path = Path.of(location.trim());
            if (!Files.exists(path)) {
                throw new ExtensionConfigurationException("@KubeTest on " + owner.getName() + ": manifest " + location
                        + " does not exist (relative paths start at " + Path.of("").toAbsolutePath()
                        + "); use classpath: for resources");
            }
            return dev.kubetest.core.manifest.Manifests.read(path);
        } catch (IOException | URISyntaxException e) {
            throw new ExtensionConfigurationException("@KubeTest on " + owner.getName() + ": manifest " + location
                    + " cannot be read: " + e.getMessage(), e);
        }
    }

    KubeTestSettings settings() {
        return settings;
    }

    KubeCluster kubeCluster() {
        return cluster;
    }

    @Override
    public java.util.Optional<KubeCluster> cluster() {
        return java.util.Optional.of(cluster);
    }

    ApiServer server() {
        return server;
    }

    @Override
    public synchronized KubernetesClient client() {
        if (client == null) {
            client = fabric8(server.kubeconfig());
        }
        return client;
    }

    static KubernetesClient fabric8(String kubeconfig) {
        return new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(kubeconfig)).build();
    }

    @Override
    public String kubeconfig(String namespace) {
        return server.kubeconfig(namespace);
    }

    @Override
    public Path kubeconfigFile(String namespace) {
        Path file = dir.resolve("kubeconfig-" + namespace);
        if (!Files.exists(file)) {
            dev.kubetest.apiserver.Kubeconfig.write(file, server.kubeconfig(namespace));
        }
        return file;
    }

    /** Takes the baseline snapshot, unless there is one (the first test of a class, after its set-up). */
    synchronized void snapshotOnce() {
        if (baseline == null) {
            baseline = cluster.snapshot();
        }
    }

    /** Puts the baseline back (SNAPSHOT isolation, after each test). */
    synchronized void restoreBaseline() {
        if (baseline != null) {
            cluster.restore(baseline);
        }
    }

    @Override
    public void createNamespace(String name) {
        var api = cluster.api();
        var namespaces = api.registry().find("", "v1", "namespaces").orElseThrow();
        var accounts = api.registry().find("", "v1", "serviceaccounts").orElseThrow();
        var ns = dev.kubetest.core.json.Json.object();
        ns.put("apiVersion", "v1").put("kind", "Namespace").putObject("metadata").put("name", name)
                .putObject("labels").put(ExistingCluster.TEST_NAMESPACE_LABEL, "true");
        api.create(namespaces, null, ns, dev.kubetest.core.meta.WriteOptions.manager("kubetest"));
        org.awaitility.Awaitility.await("the default ServiceAccount of namespace " + name).atMost(java.time.Duration.ofSeconds(30))
                .pollInterval(java.time.Duration.ofMillis(2)).pollDelay(java.time.Duration.ZERO)
                .until(() -> api.find(accounts, name, "default").isPresent());
    }

    @Override
    public void deleteNamespace(String name) {
        var api = cluster.api();
        api.deleteIfPresent(api.registry().find("", "v1", "namespaces").orElseThrow(), null, name,
                dev.kubetest.core.meta.DeleteOptions.defaults());
    }

    @Override
    public String dump(String namespace) {
        return NamespaceDump.of(cluster, namespace);
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (client != null) {
                client.close();
            }
        } finally {
            try {
                server.close();
            } finally {
                cluster.close();
                deleteQuietly(dir);
            }
        }
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // a temporary folder left behind is harmless
        }
    }
}
