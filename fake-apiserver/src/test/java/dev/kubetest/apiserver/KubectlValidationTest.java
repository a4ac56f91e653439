package dev.kubetest.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kubetest.apiserver.support.Kubectl;
import dev.kubetest.apiserver.support.TestServer;
import dev.kubetest.core.json.Json;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * kubectl's client-side validation, which reads {@code /openapi/v2} in protobuf whenever the v3 documents do not
 * settle the question: a {@code kind: List} (what {@code kubectl get -o json} writes), an unknown kind, a typo in a
 * List's item.
 */
class KubectlValidationTest {
    static TestServer server;
    static Kubectl kubectl;

    @BeforeAll
    static void start() {
        Kubectl.assumePresent();
        server = new TestServer();
        kubectl = server.kubectl();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aListCanBeCreated() {
        Kubectl.Result created = kubectl.runWithInput("""
                {"apiVersion": "v1", "kind": "List", "items": [
                  {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "listed", "namespace": "default"}, "data": {"a": "1"}},
                  {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "listed", "namespace": "default"},
                   "spec": {"selector": {"matchLabels": {"app": "listed"}}, "template": {"metadata": {"labels": {"app": "listed"}},
                     "spec": {"containers": [{"name": "web", "image": "nginx"}]}}}}]}
                """, "create", "-f", "-").ok();
        assertThat(created.out()).contains("configmap/listed created", "deployment.apps/listed created");
        assertThat(server.fabric8().configMaps().inNamespace("default").withName("listed").get()).isNotNull();
    }

    @Test
    void aTypoInAListItemIsCaughtByClientSideValidation() {
        Kubectl.Result bad = kubectl.runWithInput("""
                {"apiVersion": "v1", "kind": "List", "items": [
                  {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "typo"}, "datta": {"a": "1"}}]}
                """, "create", "-f", "-");
        assertThat(bad.exitCode()).isNotZero();
        assertThat(bad.err()).contains("error validating data: ValidationError(ConfigMap): unknown field \"datta\" "
                + "in io.k8s.api.core.v1.ConfigMap");
    }

    @Test
    void anUnknownKindSaysToInstallItsCrd() {
        Kubectl.Result unknown = kubectl.runWithInput("""
                apiVersion: gadgets.example.com/v1
                kind: Gadget
                metadata: {name: g, namespace: default}
                """, "apply", "-f", "-");
        assertThat(unknown.exitCode()).isNotZero();
        assertThat(unknown.err()).contains("no matches for kind \"Gadget\" in version \"gadgets.example.com/v1\"")
                .contains("ensure CRDs are installed first").doesNotContain("failed to download openapi");
    }

    @Test
    void theV2DocumentCarriesBuiltInKindsAndCustomResources() {
        server.fabric8().apiextensions().v1().customResourceDefinitions().resource(server.fabric8()
                .getKubernetesSerialization().unmarshal("""
                apiVersion: apiextensions.k8s.io/v1
                kind: CustomResourceDefinition
                metadata: {name: gizmos.v2.example.com}
                spec:
                  group: v2.example.com
                  scope: Namespaced
                  names: {plural: gizmos, singular: gizmo, kind: Gizmo}
                  versions:
                  - name: v1
                    served: true
                    storage: true
                    schema:
                      openAPIV3Schema:
                        type: object
                        properties:
                          spec: {type: object, properties: {size: {type: integer}}}
                """, io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition.class)).create();
        await().atMost(Duration.ofSeconds(20)).until(() -> Json.parse(server.fabric8().raw("/openapi/v2"))
                .path("definitions").has("io.k8s.api.v2.example.com.v1.Gizmo"));
        JsonNode doc = Json.parse(server.fabric8().raw("/openapi/v2"));
        assertThat(doc.path("swagger").asText()).isEqualTo("2.0");
        JsonNode pod = doc.path("definitions").path("io.k8s.api.core.v1.Pod");
        assertThat(pod.path("x-kubernetes-group-version-kind").get(0).path("kind").asText()).isEqualTo("Pod");
        assertThat(pod.path("properties").path("spec").path("$ref").asText()).isEqualTo("#/definitions/io.k8s.api.core.v1.PodSpec");
        assertThat(doc.path("definitions").path("io.k8s.api.core.v1.PodSpec").path("properties").path("containers")
                .path("x-kubernetes-patch-merge-key").asText()).isEqualTo("name");
        // a typo in the custom resource is caught the same way
        Kubectl.Result bad = kubectl.runWithInput("""
                {"apiVersion": "v1", "kind": "List", "items": [
                  {"apiVersion": "v2.example.com/v1", "kind": "Gizmo", "metadata": {"name": "g", "namespace": "default"},
                   "spec": {"size": "big"}}]}
                """, "create", "-f", "-");
        assertThat(bad.exitCode()).isNotZero();
        assertThat(bad.err()).contains("error validating data");
    }
}
