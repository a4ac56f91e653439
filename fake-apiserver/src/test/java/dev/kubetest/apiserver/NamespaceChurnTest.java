package dev.kubetest.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kubetest.apiserver.support.TestServer;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** What every client test suite does: create a namespace, fill it, delete it, and expect it gone. 100 times. */
class NamespaceChurnTest {
    @Test
    void hundredNamespacesCreatedFilledAndDeletedLeaveNothingBehind() {
        try (TestServer server = new TestServer()) {
            KubernetesClient client = server.fabric8();
            for (int i = 0; i < 100; i++) {
                String ns = "churn-" + i;
                client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
                client.configMaps().inNamespace(ns).resource(new ConfigMapBuilder().withNewMetadata().withName("c").endMetadata()
                        .addToData("k", "v").build()).create();
                client.secrets().inNamespace(ns).resource(new SecretBuilder().withNewMetadata().withName("s").endMetadata()
                        .addToStringData("k", "v").build()).create();
                client.serviceAccounts().inNamespace(ns).resource(new ServiceAccountBuilder().withNewMetadata().withName("robot")
                        .endMetadata().build()).create();
                client.namespaces().withName(ns).delete();
                await().atMost(Duration.ofSeconds(20)).until(() -> client.namespaces().withName(ns).get() == null);
            }
            assertThat(client.namespaces().list().getItems()).extracting(n -> n.getMetadata().getName())
                    .noneMatch(n -> n.startsWith("churn-"));
            assertThat(client.configMaps().inAnyNamespace().list().getItems())
                    .noneMatch(c -> c.getMetadata().getNamespace().startsWith("churn-"));
            assertThat(client.serviceAccounts().inAnyNamespace().list().getItems())
                    .noneMatch(c -> c.getMetadata().getNamespace().startsWith("churn-"));
        }
    }
}
