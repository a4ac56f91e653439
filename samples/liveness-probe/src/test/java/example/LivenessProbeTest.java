package example;

import static dev.kubetest.assertions.KubeAssertions.assertThat;

import dev.kubetest.core.KubeCluster;
import dev.kubetest.junit.KubeTest;
import dev.kubetest.junit.TestNamespace;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The documentation's liveness example: the container removes its health file after 30 s, the probe fails three
 * times in a row and the kubelet restarts it. With the default auto time, the minute this takes passes in
 * milliseconds.
 */
@KubeTest
class LivenessProbeTest {

    @Test
    void aFailingLivenessProbeRestartsTheContainer(KubeCluster cluster, @TestNamespace String namespace) throws Exception {
        cluster.apply(Path.of("src/test/resources/exec-liveness.yaml"), namespace);

        assertThat(cluster.pod(namespace, "liveness-exec")).eventually(Duration.ofMinutes(5))
                .hasProbeFailure("Liveness")
                .hasEvent("Killing", "Container liveness failed liveness probe, will be restarted")
                .container("liveness").hasRestartCountAtLeast(1).isRunning();
    }
}
