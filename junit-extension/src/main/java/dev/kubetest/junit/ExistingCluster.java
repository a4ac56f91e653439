package dev.kubetest.junit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.kubetest.core.KubeCluster;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/**
 * An existing cluster named by a kubeconfig ({@code kubetest.cluster=kubeconfig} or {@code KUBETEST_KUBECONFIG}):
 * the same tests, through the same clients, against a real cluster. Nothing is simulated, so there is no
 * {@link KubeCluster}; the cluster settings of {@code @KubeTest} (nodes, time, protocol, version, controllers) do
 * not apply, manifests do.
 */
final class ExistingCluster implements ClusterTarget {
    static final String TEST_NAMESPACE_LABEL = "kubetest.dev/test-namespace";
    private static final ObjectMapper YAML = new ObjectMapper(YAMLFactory.builder()
            .enable(com.fasterxml.jackson.dataformat.yaml.YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .disable(com.fasterxml.jackson.dataformat.yaml.YAMLGenerator.Feature.WRITE_DOC_START_MARKER).build());

    private final Path source;
    private final ObjectNode kubeconfig;
    private final Path dir;
    private KubernetesClient client;
    private boolean closed;

    private ExistingCluster(Path source, ObjectNode kubeconfig, Path dir) {
        this.source = source;
        this.kubeconfig = kubeconfig;
        this.dir = dir;
    }

    /** The kubeconfig the suite names, if it runs against an existing cluster. */
    static Optional<Path> configured(java.util.function.Function<String, Optional<String>> parameters) {
        String env = System.getenv("KUBETEST_KUBECONFIG");
        Optional<String> mode = parameters.apply(KubeTestSettings.PREFIX + "cluster").filter(v -> !v.isBlank());
        if (mode.isPresent() && !mode.get().equals("kubeconfig") && !mode.get().equals("simulated")) {
            throw new ExtensionConfigurationException("configuration parameter kubetest.cluster = \"" + mode.get()
                    + "\" is not one of [simulated, kubeconfig]");
        }
        if (mode.map("simulated"::equals).orElse(false)) {
            return Optional.empty();
        }
        Optional<String> explicit = parameters.apply(KubeTestSettings.PREFIX + "kubeconfig").filter(v -> !v.isBlank());
        if (explicit.isPresent()) {
            return Optional.of(Path.of(explicit.get()));
        }
        if (env != null && !env.isBlank()) {
            return Optional.of(Path.of(env));
        }
        if (mode.isEmpty()) {
            return Optional.empty();
        }
        String kubeconfigVar = System.getenv("KUBECONFIG");
        if (kubeconfigVar != null && !kubeconfigVar.isBlank()) {
            return Optional.of(Path.of(kubeconfigVar.split(java.io.File.pathSeparator)[0]));
        }
        return Optional.of(Path.of(System.getProperty("user.home"), ".kube", "config"));
    }

    static ExistingCluster open(Path kubeconfigFile, Class<?> owner, java.util.List<String> manifests) {
        ObjectNode parsed;
        try {
            parsed = (ObjectNode) YAML.readTree(Files.readString(kubeconfigFile));
        } catch (IOException | ClassCastException e) {
            throw new ExtensionConfigurationException("KubeTest cannot read the kubeconfig " + kubeconfigFile
                    + " named by kubetest.kubeconfig, KUBETEST_KUBECONFIG or KUBECONFIG: " + e.getMessage(), e);
        }
        Path dir;
        try {
            dir = Files.createTempDirectory("kubetest-existing-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ExistingCluster c = new ExistingCluster(kubeconfigFile, parsed, dir);
        try {
            for (String m : manifests) {
                c.apply(m, owner);
            }
        } catch (RuntimeException e) {
            c.close();
            throw e;
        }
        return c;
    }

    private void apply(String location, Class<?> owner) {
        try {
            InputStream in;
            if (location.startsWith("classpath:")) {
                URL url = owner.getClassLoader().getResource(location.substring("classpath:".length()).replaceFirst("^/", ""));
                if (url == null) {
                    throw new ExtensionConfigurationException("@KubeTest on " + owner.getName() + ": manifest " + location
                            + " is not on the class path");
                }
                in = url.openStream();
            } else {
                in = Files.newInputStream(Path.of(location));
            }
            try (in) {
                client().load(in).inNamespace("default").serverSideApply();
            }
        } catch (IOException e) {
            throw new ExtensionConfigurationException("@KubeTest on " + owner.getName() + ": manifest " + location
                    + " cannot be read: " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<KubeCluster> cluster() {
        return Optional.empty();
    }

    @Override
    public synchronized KubernetesClient client() {
        if (client == null) {
            client = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(kubeconfig("default"))).build();
        }
        return client;
    }

    /** The kubeconfig with its current context's namespace set. */
    @Override
    public String kubeconfig(String namespace) {
        ObjectNode copy = kubeconfig.deepCopy();
        String current = copy.path("current-context").asText("");
        for (JsonNode ctx : copy.path("contexts")) {
            if (current.equals(ctx.path("name").asText()) && ctx.path("context") instanceof ObjectNode c) {
                c.put("namespace", namespace);
            }
        }
        try {
            return YAML.writeValueAsString(copy);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Path kubeconfigFile(String namespace) {
        Path file = dir.resolve("kubeconfig-" + namespace);
        if (!Files.exists(file)) {
            try {
                Files.writeString(file, kubeconfig(namespace));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return file;
    }

    @Override
    public void createNamespace(String name) {
        client().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name)
                .addToLabels(TEST_NAMESPACE_LABEL, "true").endMetadata().build()).create();
        Awaitility.await("the default ServiceAccount of namespace " + name).atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(50)).pollDelay(Duration.ZERO)
                .until(() -> client().serviceAccounts().inNamespace(name).withName("default").get() != null);
    }

    @Override
    public void deleteNamespace(String name) {
        client().namespaces().withName(name).delete();
    }

    /** Pods and events through the client (the in-process cluster's dump has kubectl's tables and the logs too). */
    @Override
    public String dump(String namespace) {
        StringBuilder sb = new StringBuilder("KubeTest: namespace ").append(namespace).append(" on ").append(source).append('\n');
        sb.append("\nPODS\n");
        for (Pod p : client().pods().inNamespace(namespace).list().getItems()) {
            sb.append("  ").append(p.getMetadata().getName()).append(": ")
                    .append(dev.kubetest.assertions.Describe.pod(p)).append('\n');
        }
        sb.append("\nEVENTS (oldest first)\n");
        client().v1().events().inNamespace(namespace).list().getItems().stream()
                .sorted(Comparator.comparing((Event e) -> String.valueOf(e.getLastTimestamp())))
                .forEach(e -> sb.append("  ").append(e.getType()).append(' ').append(e.getReason()).append(' ')
                        .append(e.getInvolvedObject().getKind().toLowerCase(java.util.Locale.ROOT)).append('/')
                        .append(e.getInvolvedObject().getName()).append(": ").append(e.getMessage()).append('\n'));
        return sb.toString();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (client != null) {
            client.close();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // a temporary folder left behind is harmless
        }
    }
}
