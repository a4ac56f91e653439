package example.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * {@link WebsiteOperatorTest}, unchanged, against an existing cluster: here a KubeTest standalone server in another
 * process stands in for your kind, k3s or CI cluster. With a real one, run {@code mvn test
 * -Dkubetest.cluster=kubeconfig} instead (the kubeconfig from {@code -Dkubetest.kubeconfig}, KUBECONFIG or
 * ~/.kube/config).
 */
class WebsiteOperatorOnAnExistingClusterTest {
    @TempDir
    static Path dir;
    static Process cluster;
    static Path kubeconfig;

    @BeforeAll
    static void startAnotherCluster() throws Exception {
        kubeconfig = dir.resolve("kubeconfig");
        Path log = dir.resolve("cluster.log");
        cluster = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "dev.kubetest.apiserver.Main",
                "--kubeconfig", kubeconfig.toString(), "--time", "auto")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(log) && Files.readString(log).contains("KubeTest ready"));
    }

    @AfterAll
    static void stopIt() throws Exception {
        cluster.destroy();
        cluster.waitFor(20, TimeUnit.SECONDS);
    }

    @Test
    void theOperatorTestPassesAgainstAnExistingCluster() {
        EngineExecutionResults results = EngineTestKit.engine("junit-jupiter")
                .configurationParameters(Map.of("kubetest.cluster", "kubeconfig", "kubetest.kubeconfig", kubeconfig.toString()))
                .selectors(selectClass(WebsiteOperatorTest.class)).execute();
        assertThat(results.allEvents().failed().stream().map(e -> e.getPayload(org.junit.platform.engine.TestExecutionResult.class)
                .flatMap(org.junit.platform.engine.TestExecutionResult::getThrowable).map(Throwable::toString).orElse("?"))).isEmpty();
        results.testEvents().assertStatistics(s -> s.started(1).succeeded(1));
        // it ran there: the other cluster got the CRD from the test's manifests
        try (var client = new io.fabric8.kubernetes.client.KubernetesClientBuilder()
                .withConfig(io.fabric8.kubernetes.client.Config.fromKubeconfig(Files.readString(kubeconfig))).build()) {
            assertThat(client.apiextensions().v1().customResourceDefinitions().withName("websites.example.com").get()).isNotNull();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
