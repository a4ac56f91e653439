package dev.kubetest.junit;

import dev.kubetest.core.KubeCluster;
import dev.kubetest.core.node.NodeConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/**
 * The settings of one {@code @KubeTest} class: each taken from the annotation when set there, else from its JUnit
 * configuration parameter, else the default.
 *
 * <table>
 * <caption>Configuration parameters</caption>
 * <tr><td>{@code kubetest.nodes}</td><td>a number of default nodes (1)</td></tr>
 * <tr><td>{@code kubetest.runtime}</td><td>{@code simulated} or {@code docker} ({@code simulated})</td></tr>
 * <tr><td>{@code kubetest.time}</td><td>{@code auto}, {@code manual} or {@code real} ({@code auto}; {@code real} on Docker)</td></tr>
 * <tr><td>{@code kubetest.controllers.disabled}</td><td>controller names, comma-separated</td></tr>
 * <tr><td>{@code kubetest.manifests}</td><td>manifests applied before the tests, comma-separated</td></tr>
 * <tr><td>{@code kubetest.protocol}</td><td>{@code https} or {@code http} ({@code https})</td></tr>
 * <tr><td>{@code kubetest.kubernetes.version}</td><td>for example {@code 1.31.2} (1.32.4)</td></tr>
 * <tr><td>{@code kubetest.timeout}</td><td>assertions' eventual wait: ISO-8601 ({@code PT2M}) or seconds (30)</td></tr>
 * <tr><td>{@code kubetest.lifetime}</td><td>{@code per_class} or {@code per_method} ({@code per_class})</td></tr>
 * <tr><td>{@code kubetest.isolation}</td><td>{@code namespace}, {@code snapshot}, {@code cluster} or {@code none} ({@code namespace})</td></tr>
 * </table>
 */
public record KubeTestSettings(List<NodeConfig> nodes, KubeTest.Runtime runtime, KubeCluster.TimeMode time,
                               List<String> disabledControllers, List<String> manifests, boolean https,
                               String kubernetesVersion, KubeTest.Lifetime lifetime, KubeTest.Isolation isolation,
                               java.time.Duration timeout) {

    public static final String PREFIX = "kubetest.";

    /** A test class's settings: {@code annotation} over the configuration parameters ({@code parameters}). */
    static KubeTestSettings resolve(Class<?> testClass, KubeTest annotation, Function<String, Optional<String>> parameters) {
        String where = "@KubeTest on " + testClass.getName();
        List<NodeConfig> nodes = new ArrayList<>();
        int count = annotation.nodes() >= 0 ? annotation.nodes()
                : parameters.apply(PREFIX + "nodes").map(v -> parseInt(v, PREFIX + "nodes")).orElse(annotation.nodeSpecs().length > 0 ? 0 : 1);
        if (count < 0) {
            throw new ExtensionConfigurationException(where + ": nodes must not be negative, got " + count);
        }
        for (int i = 1; i <= count; i++) {
            nodes.add(NodeConfig.named("kubetest-node-" + i));
        }
        for (KubeTest.Node spec : annotation.nodeSpecs()) {
            nodes.add(node(spec, where));
        }
        if (nodes.isEmpty()) {
            throw new ExtensionConfigurationException(where + ": a cluster needs at least one node; "
                    + "set nodes = 1 or more, or give nodeSpecs");
        }
        if (nodes.stream().map(NodeConfig::name).distinct().count() < nodes.size()) {
            throw new ExtensionConfigurationException(where + ": two nodes share a name; give each node spec its own "
                    + "name (the default nodes are kubetest-node-1..n)");
        }
        KubeTest.Runtime runtime = pick(annotation.runtime(), KubeTest.Runtime.DEFAULT, parameters, "runtime", KubeTest.Runtime.class,
                KubeTest.Runtime.SIMULATED);
        if (runtime == KubeTest.Runtime.DOCKER) {
            java.util.Optional<String> why = dev.kubetest.runtime.docker.DockerEngine.unavailable();
            if (why.isPresent()) {
                if (Boolean.getBoolean("kubetest.require.docker")) {
                    throw new ExtensionConfigurationException(where + ": runtime = DOCKER, and a Docker engine is required "
                            + "(-Dkubetest.require.docker=true): " + why.get());
                }
                throw new org.opentest4j.TestAbortedException(where + ": runtime = DOCKER, but " + why.get()
                        + "; skipping (set DOCKER_HOST, or start dockerd)");
            }
        }
        // real containers run in real time unless the test chooses otherwise
        KubeTest.Time time = pick(annotation.time(), KubeTest.Time.DEFAULT, parameters, "time", KubeTest.Time.class,
                runtime == KubeTest.Runtime.DOCKER ? KubeTest.Time.REAL : KubeTest.Time.AUTO);
        List<String> disabled = annotation.disabledControllers().length > 0 ? List.of(annotation.disabledControllers())
                : parameters.apply(PREFIX + "controllers.disabled").map(KubeTestSettings::list).orElse(List.of());
        List<String> manifests = annotation.manifests().length > 0 ? List.of(annotation.manifests())
                : parameters.apply(PREFIX + "manifests").map(KubeTestSettings::list).orElse(List.of());
        KubeTest.Protocol protocol = pick(annotation.protocol(), KubeTest.Protocol.DEFAULT, parameters, "protocol",
                KubeTest.Protocol.class, KubeTest.Protocol.HTTPS);
        String version = !annotation.kubernetesVersion().isEmpty() ? annotation.kubernetesVersion()
                : parameters.apply(PREFIX + "kubernetes.version").orElse(KubeCluster.DEFAULT_VERSION);
        if (!version.matches("1\\.\\d+\\.\\d+")) {
            throw new ExtensionConfigurationException(where + ": kubernetesVersion \"" + version
                    + "\" is not a version such as 1.32.4");
        }
        KubeTest.Lifetime lifetime = pick(annotation.lifetime(), KubeTest.Lifetime.DEFAULT, parameters, "lifetime",
                KubeTest.Lifetime.class, null);
        KubeTest.Isolation isolation = pick(annotation.isolation(), KubeTest.Isolation.DEFAULT, parameters, "isolation",
                KubeTest.Isolation.class, null);
        if (lifetime == KubeTest.Lifetime.PER_METHOD && isolation != null && isolation != KubeTest.Isolation.CLUSTER) {
            throw new ExtensionConfigurationException(where + ": lifetime = PER_METHOD gives each test its own cluster, "
                    + "which contradicts isolation = " + isolation + "; drop one of them (or use isolation = CLUSTER)");
        }
        if (isolation == KubeTest.Isolation.CLUSTER) {
            lifetime = KubeTest.Lifetime.PER_METHOD;
        }
        if (lifetime == null) {
            lifetime = KubeTest.Lifetime.PER_CLASS;
        }
        if (isolation == null) {
            isolation = lifetime == KubeTest.Lifetime.PER_METHOD ? KubeTest.Isolation.CLUSTER : KubeTest.Isolation.NAMESPACE;
        }
        KubeCluster.TimeMode mode = switch (time) {
            case MANUAL -> KubeCluster.TimeMode.MANUAL;
            case REAL -> KubeCluster.TimeMode.REAL;
            default -> KubeCluster.TimeMode.AUTO;
        };
        String timeoutText = !annotation.timeout().isEmpty() ? annotation.timeout()
                : parameters.apply(PREFIX + "timeout").orElse("30");
        java.time.Duration timeout;
        try {
            timeout = timeoutText.toUpperCase(Locale.ROOT).startsWith("P") ? java.time.Duration.parse(timeoutText)
                    : java.time.Duration.ofMillis((long) (Double.parseDouble(timeoutText.trim()) * 1000));
        } catch (RuntimeException e) {
            throw new ExtensionConfigurationException(where + ": timeout \"" + timeoutText
                    + "\" is neither an ISO-8601 duration such as PT2M nor a number of seconds");
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new ExtensionConfigurationException(where + ": timeout must be positive, got " + timeoutText);
        }
        return new KubeTestSettings(List.copyOf(nodes), runtime, mode, disabled, manifests,
                protocol != KubeTest.Protocol.HTTP, version, lifetime, isolation, timeout);
    }

    /** A builder for a cluster of these settings. */
    KubeCluster.Builder clusterBuilder() {
        KubeCluster.Builder b = KubeCluster.builder().timeMode(time).kubernetesVersion(kubernetesVersion).waitTimeout(timeout)
                .runtime(runtime == KubeTest.Runtime.DOCKER ? "docker" : "simulated");
        nodes.forEach(b::node);
        disabledControllers.forEach(b::withoutController);
        return b;
    }

    private static NodeConfig node(KubeTest.Node spec, String where) {
        NodeConfig n = NodeConfig.named(spec.name()).withCpu(spec.cpu()).withMemory(spec.memory()).withPods(spec.pods());
        for (String label : spec.labels()) {
            int eq = label.indexOf('=');
            if (eq <= 0) {
                throw new ExtensionConfigurationException(where + ": node " + spec.name() + " has label \"" + label
                        + "\"; write labels as key=value");
            }
            n = n.withLabel(label.substring(0, eq), label.substring(eq + 1));
        }
        for (String taint : spec.taints()) {
            if (!taint.matches("[^=:]+(=[^:]*)?:(NoSchedule|PreferNoSchedule|NoExecute)")) {
                throw new ExtensionConfigurationException(where + ": node " + spec.name() + " has taint \"" + taint
                        + "\"; write taints as key=value:Effect or key:Effect, the effect NoSchedule, PreferNoSchedule or NoExecute");
            }
            n = n.withTaint(taint);
        }
        return n;
    }

    private static <E extends Enum<E>> E pick(E fromAnnotation, E unset, Function<String, Optional<String>> parameters,
                                              String key, Class<E> type, E fallback) {
        if (fromAnnotation != unset) {
            return fromAnnotation;
        }
        Optional<String> value = parameters.apply(PREFIX + key);
        if (value.isEmpty()) {
            return fallback;
        }
        String v = value.get().trim().toUpperCase(Locale.ROOT).replace('-', '_');
        try {
            E e = Enum.valueOf(type, v);
            if (e != unset) {
                return e;
            }
        } catch (IllegalArgumentException ignored) {
            // reported below
        }
        throw new ExtensionConfigurationException("configuration parameter " + PREFIX + key + " = \"" + value.get()
                + "\" is not one of " + Arrays.stream(type.getEnumConstants()).filter(c -> c != unset)
                .map(c -> c.name().toLowerCase(Locale.ROOT)).toList());
    }

    private static int parseInt(String v, String key) {
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new ExtensionConfigurationException("configuration parameter " + key + " = \"" + v + "\" is not a number");
        }
    }

    private static List<String> list(String v) {
        return Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}
