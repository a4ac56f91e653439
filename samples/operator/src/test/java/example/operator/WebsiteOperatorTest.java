package example.operator;

import static dev.kubetest.assertions.KubeAssertions.assertThat;
import static dev.kubetest.assertions.KubeAssertions.assertThatDeployment;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kubetest.junit.KubeTest;
import dev.kubetest.junit.TestNamespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The operator, verified offline: the CRD is applied before the tests, the operator runs in the test JVM against
 * the cluster, a Website becomes a Deployment and a Service with its status written back, and deleting the
 * Website cleans both up. The test uses only the fabric8 client and assertions on fabric8 resources, so it runs
 * unchanged against a real cluster too: {@code mvn test -Dkubetest.cluster=kubeconfig} (see the pom's comment).
 */
@KubeTest(manifests = "classpath:websites.example.com-v1.yml")
class WebsiteOperatorTest {
    static KubernetesClient client;
    static Operator operator;

    @BeforeAll
    static void startTheOperator() {
        operator = new Operator(o -> o.withKubernetesClient(client).withCloseClientOnStop(false));
        operator.register(new WebsiteReconciler());
        operator.start();
    }

    @AfterAll
    static void stopIt() {
        operator.stop();
    }

    @Test
    void aWebsiteBecomesADeploymentAndAServiceAndGoesWithThem(KubernetesClient client, @TestNamespace String namespace) {
        Website site = new Website();
        site.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName("shop").build());
        site.setSpec(new Website.Spec());
        site.getSpec().setReplicas(2);
        client.resources(Website.class).resource(site).create();

        assertThatDeployment(client.apps().deployments().withName("shop")).eventually().isRolledOut().hasReadyReplicas(2);
        assertThat(client.services().withName("shop").get().getSpec().getPorts()).singleElement()
                .satisfies(p -> assertThat(p.getPort()).isEqualTo(80));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Website.Status status = client.resources(Website.class).withName("shop").get().getStatus();
            assertThat(status).isNotNull();
            assertThat(status.getReadyReplicas()).isEqualTo(2);
            assertThat(status.getUrl()).isEqualTo("http://shop." + namespace + ".svc.cluster.local/");
        });

        // scaling the Website scales its Deployment
        client.resources(Website.class).withName("shop").edit(w -> {
            w.getSpec().setReplicas(3);
            return w;
        });
        assertThatDeployment(client.apps().deployments().withName("shop")).eventually().isRolledOut().hasReadyReplicas(3);

        // the Deployment and the Service are the Website's dependents: the garbage collector removes them with it
        client.resources(Website.class).withName("shop").delete();
        assertThatDeployment(client.apps().deployments().withName("shop")).eventually().doesNotExist();
        await().atMost(Duration.ofSeconds(30)).until(() -> client.services().withName("shop").get() == null);
    }
}
