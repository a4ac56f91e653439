package dev.kubetest.runtime.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import dev.kubetest.core.clock.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the Docker runtime leaves on the engine: nothing after close, and nothing of a JVM that was killed. */
class DockerRuntimeTest {

    @BeforeEach
    void engine() {
        Optional<String> why = DockerEngine.unavailable();
        if (why.isPresent()) {
            if (Boolean.getBoolean("kubetest.require.docker")) {
                throw new AssertionError("a Docker engine is required (-Dkubetest.require.docker=true): " + why.get());
            }
            Assumptions.abort(why.get() + ": skipping the Docker test");
        }
    }

    private static List<Container> labelled(DockerClient docker, String key, String value) {
        return docker.listContainersCmd().withShowAll(true).withLabelFilter(Map.of(key, value)).exec();
    }

    @Test
    void leftoversOfADeadJvmAreReapedAndCloseRemovesEverything() {
        try (DockerClient docker = DockerEngine.client()) {
            // what a killed JVM left: a labelled container whose owner (pid 1 started at the epoch) is not running
            String orphan = docker.createContainerCmd("busybox:latest").withCmd("sleep", "600")
                    .withLabels(Map.of(DockerEngine.RUNTIME_LABEL, "docker", DockerEngine.CLUSTER_LABEL, "gone",
                            DockerEngine.OWNER_LABEL, "1@0"))
                    .exec().getId();
            docker.startContainerCmd(orphan).exec();
            Clock clock = Clock.real();
            DockerRuntime runtime = new DockerRuntime(clock);
            try {
                assertThat(labelled(docker, DockerEngine.CLUSTER_LABEL, "gone")).isEmpty();
                String ip = runtime.sandbox(new dev.kubetest.core.runtime.ContainerRuntime.PodSandbox("default", "p", "uid-1",
                        "p", "10.244.0.7", false));
                assertThat(ip).isNotBlank();
                assertThat(labelled(docker, DockerEngine.CLUSTER_LABEL, runtime.clusterId())).hasSize(1)
                        .allSatisfy(c -> assertThat(c.getLabels()).containsEntry(DockerEngine.OWNER_LABEL, DockerEngine.owner()));
            } finally {
                runtime.close();
                clock.close();
            }
            assertThat(labelled(docker, DockerEngine.CLUSTER_LABEL, runtime.clusterId())).isEmpty();
            assertThat(docker.listNetworksCmd().withNameFilter("kubetest-" + runtime.clusterId()).exec()).isEmpty();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void theOwnerLabelNamesThisJvmAndOnlyItIsAlive() {
        assertThat(DockerEngine.alive(DockerEngine.owner())).isTrue();
        assertThat(DockerEngine.alive("1@0")).isFalse();
        assertThat(DockerEngine.alive(null)).isFalse();
    }

    @Test
    void aProbeAnswerIsParsedAsTheKubeletReadsIt() {
        var a = PodConnections.parse(("HTTP/1.1 302 Found\r\nLocation: /login\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5\r\nhello\r\n0\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        assertThat(a.status()).isEqualTo(302);
        assertThat(a.location()).isEqualTo("/login");
        assertThat(a.body()).isEqualTo("hello");
    }
}
