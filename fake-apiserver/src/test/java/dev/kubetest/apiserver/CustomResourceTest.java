package dev.kubetest.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kubetest.apiserver.support.Kubectl;
import dev.kubetest.apiserver.support.TestServer;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** CRD schemas applied to custom resources: validation, defaulting, pruning, printer columns, subresources, versions. */
@SuppressWarnings("unchecked")
class CustomResourceTest {
    static TestServer server;
    static KubernetesClient client;
    static Kubectl k;

    private static final String CRD = """
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata: {name: databases.db.example.com}
            spec:
              group: db.example.com
              scope: Namespaced
              names: {plural: databases, singular: database, kind: Database, shortNames: [dbs]}
              versions:
              - name: v1
                served: true
                storage: true
                subresources:
                  status: {}
                  scale: {specReplicasPath: .spec.replicas, statusReplicasPath: .status.replicas, labelSelectorPath: .status.selector}
                additionalPrinterColumns:
                - {name: Engine, type: string, jsonPath: .spec.engine}
                - {name: Replicas, type: integer, jsonPath: .spec.replicas}
                - {name: Age, type: date, jsonPath: .metadata.creationTimestamp}
                schema:
                  openAPIV3Schema:
                    type: object
                    required: [spec]
                    properties:
                      spec:
                        type: object
                        required: [engine]
                        properties:
                          engine: {type: string, enum: [postgres, mysql]}
                          replicas: {type: integer, minimum: 1, maximum: 5, default: 1}
                          name: {type: string, pattern: '^[a-z]+$', maxLength: 10}
                          tags: {type: array, maxItems: 2, items: {type: string}}
                          settings: {type: object, x-kubernetes-preserve-unknown-fields: true}
                      status:
                        type: object
                        properties:
                          replicas: {type: integer}
                          selector: {type: string}
              - name: v1beta1
                served: true
                storage: false
                schema:
                  openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}
            """;

    static final ResourceDefinitionContext DATABASES = new ResourceDefinitionContext.Builder()
            .withGroup("db.example.com").withVersion("v1").withKind("Database").withPlural("databases").withNamespaced(true).build();

    @BeforeAll
    static void start() {
        Kubectl.assumePresent();
        server = new TestServer();
        client = server.fabric8();
        k = server.kubectl();
        k.run("apply", "-f", server.write("crd.yaml", CRD).toString()).ok();
        await().atMost(Duration.ofSeconds(20)).until(() -> server.cluster().registry().findByKind("db.example.com/v1", "Database").isPresent());
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static Kubectl.Result apply(String name, String spec) {
        return k.run("apply", "-f", server.write(name + ".yaml", """
                apiVersion: db.example.com/v1
                kind: Database
                metadata: {name: %s, namespace: default}
                spec: %s
                """.formatted(name, spec)).toString());
    }

    @Test
    void schemaValidationRejectsWithUpstreamMessages() {
        Kubectl.Result bad = apply("bad", "{engine: oracle, replicas: 9, name: Upper, tags: [a, b, c]}");
        assertThat(bad.exitCode()).isNotZero();
        assertThat(bad.err()).contains("The Database \"bad\" is invalid:",
                "spec.engine: Unsupported value: \"oracle\": supported values: \"postgres\", \"mysql\"",
                "spec.replicas: Invalid value: 9: spec.replicas in body should be less than or equal to 5",
                "spec.name: Invalid value: \"Upper\": spec.name in body should match '^[a-z]+$'",
                "spec.tags: Too many: 3: must have at most 2 items");
        Kubectl.Result missing = apply("missing", "{replicas: 2}");
        assertThat(missing.err()).contains("spec.engine: Required value");
        Kubectl.Result wrongType = apply("typed", "{engine: postgres, replicas: many}");
        assertThat(wrongType.err()).contains("spec.replicas: Invalid value: \"string\": spec.replicas in body must be of type integer: \"string\"");
    }

    @Test
    void defaultsArePrunedAndPrintedAsTheCrdSays() {
        Kubectl.Result ok = k.run("apply", "--validate=false", "-f", server.write("good.yaml", """
                apiVersion: db.example.com/v1
                kind: Database
                metadata: {name: good, namespace: default}
                spec:
                  engine: postgres
                  unknown: dropped
                  settings: {anything: kept}
                """).toString()).ok();
        assertThat(ok.out()).contains("database.db.example.com/good created");
        GenericKubernetesResource db = client.genericKubernetesResources(DATABASES).inNamespace("default").withName("good").get();
        Map<String, Object> spec = db.get("spec");
        assertThat(spec).containsEntry("replicas", 1).doesNotContainKey("unknown");
        assertThat((Map<String, Object>) spec.get("settings")).containsEntry("anything", "kept");
        String table = k.run("get", "databases").ok().out();
        assertThat(table.lines().findFirst().orElseThrow()).containsSubsequence("NAME", "ENGINE", "REPLICAS", "AGE");
        assertThat(table).containsPattern("good\\s+postgres\\s+1\\s+\\d+s");
    }

    @Test
    void statusAndScaleSubresourcesAndASecondVersion() {
        apply("scaled", "{engine: mysql, replicas: 2}").ok();
        assertThat(k.run("scale", "database", "scaled", "--replicas=3").ok().out()).contains("database.db.example.com/scaled scaled");
        GenericKubernetesResource db = client.genericKubernetesResources(DATABASES).inNamespace("default").withName("scaled").get();
        assertThat((Map<String, Object>) db.get("spec")).containsEntry("replicas", 3);
        db.setAdditionalProperty("status", Map.of("replicas", 3, "selector", "app=db"));
        client.genericKubernetesResources(DATABASES).inNamespace("default").resource(db).updateStatus();
        assertThat(k.run("get", "database", "scaled", "-o", "jsonpath={.status.replicas}").ok().out()).isEqualTo("3");
        k.run("patch", "database", "scaled", "--type=merge", "-p", "{\"status\":{\"replicas\":9}}").ok();
        assertThat(k.run("get", "database", "scaled", "-o", "jsonpath={.status.replicas}").ok().out())
                .as("the main resource ignores status").isEqualTo("3");
        Kubectl.Result strategic = k.run("patch", "database", "scaled", "--type=strategic", "-p", "{\"spec\":{\"replicas\":4}}");
        assertThat(strategic.exitCode()).isNotZero();
        assertThat(strategic.err()).contains("application/strategic-merge-patch+json is not supported by db.example.com/v1, Kind=Database");
        assertThat(k.run("get", "databases.v1beta1.db.example.com", "scaled", "-o", "jsonpath={.apiVersion}").ok().out())
                .isEqualTo("db.example.com/v1beta1");
    }
}
