package dev.kubetest.junit;

import static dev.kubetest.assertions.KubeAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kubetest.core.KubeCluster;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * Existing-cluster mode: the same test classes against a cluster a kubeconfig names; here a KubeTest standalone
 * server in another process plays the real cluster.
 */
class ExistingClusterTest {
    static final Map<String, String> SEEN = new ConcurrentHashMap<>();
    @TempDir
    static Path dir;
    static Process server;
    static Path kubeconfig;

    @BeforeAll
    static void startTheOtherCluster() throws Exception {
        kubeconfig = dir.resolve("kubeconfig");
        Path log = dir.resolve("server.log");
        server = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "dev.kubetest.apiserver.Main",
                "--kubeconfig", kubeconfig.toString(), "--time", "auto")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(log) && Files.readString(log).contains("KubeTest ready"));
    }

    @AfterAll
    static void stopIt() throws Exception {
        server.destroy();
        server.waitFor(20, TimeUnit.SECONDS);
    }

    @KubeTest
    static class Portable {
        KubernetesClient client;
        @TestNamespace
        String namespace;
        @Kubeconfig
        Path kubeconfig;

        @Test
        void runsAgainstWhateverClusterItIsGiven() throws Exception {
            client.pods().resource(new PodBuilder().withNewMetadata().withName("web").endMetadata().withNewSpec()
                    .addNewContainer().withName("web").withImage("nginx:1.27").endContainer().endSpec().build()).create();
            assertThat(client.pods().withName("web")).eventually().isReady().container("web").hasRestartCount(0);
            assertThat(Files.readString(kubeconfig)).contains("namespace: " + namespace);
            SEEN.put("server", client.getMasterUrl().toString());
            SEEN.put("namespace", namespace);
        }

        @Test
        void needsTheSimulation(KubeCluster cluster) {
            assertThat(cluster.clock()).isNotNull();
        }
    }

    @KubeTest
    static class HoldsTheCluster {
        KubeCluster cluster;

        @Test
        void anything() {
        }
    }

    private static EngineExecutionResults runAgainstTheOtherCluster(Class<?> fixture) {
        return EngineRuns.run(Map.of("kubetest.cluster", "kubeconfig", "kubetest.kubeconfig", kubeconfig.toString()), fixture);
    }

    @Test
    void theSameTestsRunAgainstAnExistingClusterAndWhatNeedsTheSimulationIsSkipped() throws Exception {
        SEEN.clear();
        EngineExecutionResults results = runAgainstTheOtherCluster(Portable.class);
        assertThat(results.testEvents().failed().stream().map(e -> e.getPayload(TestExecutionResult.class).orElseThrow()
                .getThrowable().orElseThrow())).isEmpty();
        results.testEvents().assertStatistics(s -> s.succeeded(1).aborted(1).failed(0));
        assertThat(results.testEvents().aborted().stream().map(e -> e.getPayload(TestExecutionResult.class).orElseThrow()
                .getThrowable().orElseThrow().getMessage()))
                .containsExactly(KubeTestExtension.NEEDS_SIMULATION + " (a KubeCluster parameter)");
        try (KubernetesClient other = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(Files.readString(kubeconfig))).build()) {
            assertThat(SEEN.get("server")).isEqualTo(other.getMasterUrl().toString());
            // the test's namespace was made on the other cluster, and is going once the test passed
            var ns = other.namespaces().withName(SEEN.get("namespace")).get();
            assertThat(ns == null || ns.getMetadata().getDeletionTimestamp() != null).isTrue();
        }
    }

    @Test
    void aClassThatHoldsTheClusterIsSkippedAsAWhole() {
        EngineExecutionResults results = runAgainstTheOtherCluster(HoldsTheCluster.class);
        assertThat(results.testEvents().started().count()).isZero();
        assertThat(results.containerEvents().aborted().stream().map(e -> e.getPayload(TestExecutionResult.class).orElseThrow()
                .getThrowable().orElseThrow().getMessage()))
                .singleElement().asString().startsWith(KubeTestExtension.NEEDS_SIMULATION).contains("field cluster of");
    }

    @Test
    void andInProcessEverythingRuns() {
        EngineRuns.assertAllPassed(EngineRuns.run(Portable.class), 2);
    }
}
