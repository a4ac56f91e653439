package example;

import static dev.kubetest.assertions.KubeAssertions.assertThat;

import dev.kubetest.core.KubeCluster;
import dev.kubetest.junit.KubeTest;
import dev.kubetest.junit.TestNamespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A ConfigMap mounted as a volume: each key a file, read by the container, updated in place when the map changes. */
@KubeTest
class ConfigMapVolumeTest {

    @Test
    void theContainerReadsEachKeyAsAFile(KubeCluster cluster, KubernetesClient client, @TestNamespace String namespace)
            throws Exception {
        cluster.apply(Path.of("src/test/resources/config.yaml"), namespace);

        assertThat(cluster.pod(namespace, "reader")).eventually().isReady()
                .container("reader")
                .hasFileContent("/etc/config/game.properties", "enemies=aliens\nlives=3\n")
                .hasFileContaining("/etc/config/ui.properties", "color.good=purple")
                .hasLogLine("lives=3");

        // the kubelet refreshes mounted ConfigMaps: an edit reaches the file without a restart
        client.configMaps().withName("game-config").edit(cm -> {
            cm.setData(Map.of("game.properties", "enemies=robots\nlives=5\n"));
            return cm;
        });
        assertThat(cluster.pod(namespace, "reader")).eventually()
                .container("reader").hasFileContent("/etc/config/game.properties", "enemies=robots\nlives=5\n")
                .hasRestartCount(0);
    }
}
