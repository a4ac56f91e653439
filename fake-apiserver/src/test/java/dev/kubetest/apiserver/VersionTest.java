package dev.kubetest.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kubetest.apiserver.support.TestServer;
import dev.kubetest.core.KubeCluster;
import org.junit.jupiter.api.Test;

/** The Kubernetes version is set once, on the cluster: /version and every node's kubelet report it. */
class VersionTest {
    @Test
    void theClustersVersionIsWhatTheServerAndTheNodesReport() {
        try (TestServer server = new TestServer(KubeCluster.builder().kubernetesVersion("1.30.2"))) {
            assertThat(server.fabric8().getKubernetesVersion().getGitVersion()).isEqualTo("v1.30.2");
            assertThat(server.fabric8().getKubernetesVersion().getMinor()).isEqualTo("30");
            assertThat(server.fabric8().nodes().list().getItems()).allSatisfy(n ->
                    assertThat(n.getStatus().getNodeInfo().getKubeletVersion()).isEqualTo("v1.30.2"));
        }
        try (TestServer server = new TestServer()) {
            assertThat(server.fabric8().getKubernetesVersion().getGitVersion()).isEqualTo("v" + KubeCluster.DEFAULT_VERSION);
            assertThat(server.fabric8().nodes().list().getItems()).allSatisfy(n ->
                    assertThat(n.getStatus().getNodeInfo().getKubeletVersion()).isEqualTo("v" + KubeCluster.DEFAULT_VERSION));
        }
        assertThatThrownBy(() -> KubeCluster.builder().kubernetesVersion("latest")).isInstanceOf(IllegalArgumentException.class);
    }
}
