package dev.kubetest.junit;

import static dev.kubetest.assertions.KubeAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kubetest.core.KubeCluster;
import dev.kubetest.runtime.docker.DockerEngine;
import dev.kubetest.runtime.docker.DockerRuntime;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/** {@code @KubeTest(runtime = DOCKER)}: the same test, assertions and file checks against real containers. */
class DockerRuntimeExtensionTest {

    @KubeTest(runtime = KubeTest.Runtime.DOCKER)
    static class OnDocker {
        @Test
        void aPodRunsInARealContainer(KubernetesClient client, KubeCluster cluster, @TestNamespace String ns) {
            assertThat(cluster.runtime()).isInstanceOf(DockerRuntime.class);
            client.pods().resource(new PodBuilder().withNewMetadata().withName("writer").endMetadata().withNewSpec()
                    .addNewContainer().withName("app").withImage("busybox")
                    .withCommand("sh", "-c", "echo started; echo saved > /data/out.txt; sleep 600")
                    .addNewVolumeMount().withName("data").withMountPath("/data").endVolumeMount().endContainer()
                    .addNewVolume().withName("data").withNewEmptyDir().endEmptyDir().endVolume()
                    .endSpec().build()).create();
            assertThat(cluster.pod(ns, "writer")).eventually(Duration.ofSeconds(60)).isRunning().isReady()
                    .container("app").hasLogLine("started").hasFileContent("/data/out.txt", "saved\n");
        }
    }

    @Test
    void runtimeDockerRunsTheTestAgainstTheEngine() {
        EngineExecutionResults results = EngineRuns.run(OnDocker.class);
        if (DockerEngine.unavailable().isPresent() && !Boolean.getBoolean("kubetest.require.docker")) {
            // no engine here: the class is skipped with the reason, not failed
            assertThat(results.containerEvents().aborted().count()).isEqualTo(1);
            return;
        }
        EngineRuns.assertAllPassed(results, 1);
    }

    @Test
    void theRuntimeCanAlsoBeChosenByConfigurationParameterAndThenRunsInRealTime() {
        org.junit.jupiter.api.Assumptions.assumeTrue(DockerEngine.unavailable().isEmpty() || Boolean.getBoolean("kubetest.require.docker"),
                "no Docker engine here");
        KubeTestSettings settings = KubeTestSettings.resolve(Plain.class, Plain.class.getAnnotation(KubeTest.class),
                key -> java.util.Optional.ofNullable(Map.of("kubetest.runtime", "docker").get(key)));
        assertThat(settings.runtime()).isEqualTo(KubeTest.Runtime.DOCKER);
        assertThat(settings.time()).isEqualTo(KubeCluster.TimeMode.REAL);
    }

    @KubeTest
    static class Plain {
    }
}
