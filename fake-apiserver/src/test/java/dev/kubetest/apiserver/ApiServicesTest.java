package dev.kubetest.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kubetest.apiserver.support.Kubectl;
import dev.kubetest.apiserver.support.TestServer;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** apiregistration.k8s.io/v1 APIServices: the local ones a kube-apiserver registers, following CRDs. */
class ApiServicesTest {
    static TestServer server;
    static KubernetesClient client;
    static final ResourceDefinitionContext API_SERVICES = new ResourceDefinitionContext.Builder()
            .withGroup("apiregistration.k8s.io").withVersion("v1").withKind("APIService").withPlural("apiservices")
            .withNamespaced(false).build();

    @BeforeAll
    static void start() {
        server = new TestServer();
        client = server.fabric8();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static GenericKubernetesResource apiService(String name) {
        return client.genericKubernetesResources(API_SERVICES).withName(name).get();
    }

    @Test
    void everyBuiltInGroupVersionHasALocalAvailableApiService() {
        await().atMost(Duration.ofSeconds(10)).until(() -> apiService("v1.") != null && apiService("v1.apps") != null);
        GenericKubernetesResource core = apiService("v1.");
        assertThat(core.getMetadata().getLabels()).containsEntry("kube-aggregator.kubernetes.io/automanaged", "onstart");
        assertThat(core.get("spec", "version").toString()).isEqualTo("v1");
        assertThat(((Number) core.get("spec", "groupPriorityMinimum")).intValue()).isEqualTo(18000);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> conditions = (List<Map<String, Object>>) apiService("v1.apps").get("status", "conditions");
            assertThat(conditions).singleElement().satisfies(c -> {
                assertThat(c).containsEntry("type", "Available").containsEntry("status", "True").containsEntry("reason", "Local")
                        .containsEntry("message", "Local APIServices are always available");
            });
        });
        List<String> names = client.genericKubernetesResources(API_SERVICES).list().getItems().stream()
                .map(s -> s.getMetadata().getName()).toList();
        assertThat(names).contains("v1.", "v1.apps", "v1.batch", "v2.autoscaling", "v1.apiregistration.k8s.io");
        Kubectl.assumePresent();
        String table = server.kubectl().run("get", "apiservices").ok().out();
        assertThat(table).containsPattern("NAME\\s+SERVICE\\s+AVAILABLE\\s+AGE")
                .containsPattern("\\nv1\\.apps\\s+Local\\s+True\\s+");
    }

    @Test
    void aCrdGroupVersionGetsOneWhileTheCrdExists() {
        client.apiextensions().v1().customResourceDefinitions().resource(client.getKubernetesSerialization().unmarshal("""
                apiVersion: apiextensions.k8s.io/v1
                kind: CustomResourceDefinition
                metadata: {name: things.reg.example.com}
                spec:
                  group: reg.example.com
                  scope: Namespaced
                  names: {plural: things, singular: thing, kind: Thing}
                  versions:
                  - {name: v1, served: true, storage: true, schema: {openAPIV3Schema: {type: object}}}
                  - {name: v1beta1, served: true, storage: false, schema: {openAPIV3Schema: {type: object}}}
                """, CustomResourceDefinition.class)).create();
        await().atMost(Duration.ofSeconds(20)).until(() -> apiService("v1.reg.example.com") != null
                && apiService("v1beta1.reg.example.com") != null);
        assertThat(apiService("v1.reg.example.com").getMetadata().getLabels())
                .containsEntry("kube-aggregator.kubernetes.io/automanaged", "true");
        client.apiextensions().v1().customResourceDefinitions().withName("things.reg.example.com").delete();
        await().atMost(Duration.ofSeconds(20)).until(() -> apiService("v1.reg.example.com") == null
                && apiService("v1beta1.reg.example.com") == null);
        assertThat(apiService("v1.apps")).isNotNull();
    }
}
