package example;

import static dev.kubetest.assertions.KubeAssertions.assertThat;

import dev.kubetest.core.KubeCluster;
import dev.kubetest.junit.KubeTest;
import dev.kubetest.junit.TestNamespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Each StatefulSet pod has its own claim; a deleted pod comes back with the same name, claim and files. */
@KubeTest
class StatefulSetDataTest {

    @Test
    void aPodComesBackToItsData(KubeCluster cluster, KubernetesClient client, @TestNamespace String namespace) throws Exception {
        cluster.apply(Path.of("src/test/resources/db.yaml"), namespace);
        assertThat(cluster.statefulSet(namespace, "db")).eventually().isRolledOut();
        assertThat(cluster.claim(namespace, "data-db-1")).isBound().hasCapacity("1Gi");

        cluster.container(namespace, "db-1", "db").writeFile("/data/orders.csv", "42,widget\n".getBytes(StandardCharsets.UTF_8));
        client.pods().withName("db-1").delete();

        // isReady waits through the old pod's termination to the new db-1 (a terminating pod is never "ready")
        assertThat(cluster.pod(namespace, "db-1")).eventually().isReady()
                .container("db").hasFileContent("/data/orders.csv", "42,widget\n")
                .hasFileContent("/data/boot.log", "started db-1\nstarted db-1\n");
    }
}
