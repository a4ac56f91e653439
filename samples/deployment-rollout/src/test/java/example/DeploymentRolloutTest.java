package example;

import static dev.kubetest.assertions.KubeAssertions.assertThat;

import dev.kubetest.core.KubeCluster;
import dev.kubetest.junit.KubeTest;
import dev.kubetest.junit.TestNamespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** A Deployment rolls out, rolls forward to a new image, and rolls back to the old one as a new revision. */
@KubeTest
class DeploymentRolloutTest {

    @Test
    void rollOutUpdateAndRollBack(KubeCluster cluster, KubernetesClient client, @TestNamespace String namespace) throws Exception {
        cluster.apply(Path.of("src/test/resources/web.yaml"), namespace);
        assertThat(cluster.deployment(namespace, "web")).eventually().isRolledOut().isAvailable().hasRevision(1);

        client.apps().deployments().withName("web").updateImage("nginx:1.28");
        assertThat(cluster.deployment(namespace, "web")).eventually().isRolledOut().hasRevision(2).hasUpdatedReplicas(3);

        // as `kubectl rollout undo deploy/web`: the old template comes back as revision 3
        client.apps().deployments().withName("web").rolling().undo();
        assertThat(cluster.deployment(namespace, "web")).eventually().hasRevision(3).isRolledOut();
        client.pods().withLabel("app", "web").list().getItems().forEach(p ->
                assertThat(cluster.pod(namespace, p.getMetadata().getName())).container("nginx").hasImage("nginx:1.27"));
    }
}
