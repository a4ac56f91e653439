package dev.kubetest.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import dev.kubetest.apiserver.support.TestServer;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The patch and apply details operators hit: json-patch v4 semantics and its failures, ObjectMeta's list types on
 * custom resources, atomic list elements in managedFields, managedFields sent by an update, emptied maps.
 */
class PatchDetailsTest {
    static TestServer server;
    static KubernetesClient client;
    static final ResourceDefinitionContext WIDGETS = new ResourceDefinitionContext.Builder()
            .withGroup("patch.example.com").withVersion("v1").withKind("Widget").withPlural("widgets").withNamespaced(true).build();

    @BeforeAll
    static void start() {
        server = new TestServer();
        client = server.fabric8();
        client.apiextensions().v1().customResourceDefinitions().resource(client.getKubernetesSerialization().unmarshal("""
                apiVersion: apiextensions.k8s.io/v1
                kind: CustomResourceDefinition
                metadata: {name: widgets.patch.example.com}
                spec:
                  group: patch.example.com
                  scope: Namespaced
                  names: {plural: widgets, singular: widget, kind: Widget}
                  versions:
                  - name: v1
                    served: true
                    storage: true
                    schema:
                      openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}
                """, CustomResourceDefinition.class)).create();
        await().atMost(Duration.ofSeconds(20)).until(() ->
                server.cluster().registry().findByKind("patch.example.com/v1", "Widget").isPresent());
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void jsonPatchReplaceOfAMissingMemberSetsIt() {
        var cm = client.configMaps().inNamespace("default").resource(new ConfigMapBuilder().withNewMetadata()
                .withName("v4").endMetadata().addToData("a", "1").build());
        cm.create();
        cm.patch(PatchContext.of(PatchType.JSON), "[{\"op\": \"replace\", \"path\": \"/data/b\", \"value\": \"2\"},"
                + "{\"op\": \"replace\", \"path\": \"/metadata/labels\", \"value\": {\"x\": \"y\"}}]");
        assertThat(cm.get().getData()).containsEntry("a", "1").containsEntry("b", "2");
        assertThat(cm.get().getMetadata().getLabels()).containsEntry("x", "y");
        // negative indices count from the end; a test of a missing member against null passes
        cm.patch(PatchContext.of(PatchType.JSON), "[{\"op\": \"add\", \"path\": \"/metadata/finalizers\", \"value\": "
                + "[\"a.example.com/x\", \"b.example.com/y\"]}, {\"op\": \"remove\", \"path\": \"/metadata/finalizers/-1\"},"
                + "{\"op\": \"test\", \"path\": \"/data/absent\", \"value\": null}]");
        assertThat(cm.get().getMetadata().getFinalizers()).containsExactly("a.example.com/x");
        cm.patch(PatchContext.of(PatchType.JSON), "[{\"op\": \"remove\", \"path\": \"/metadata/finalizers\"}]");
    }

    @Test
    void aFailedJsonPatchIsUpstreams422NamingTheOperation() {
        var cm = client.configMaps().inNamespace("default").resource(new ConfigMapBuilder().withNewMetadata()
                .withName("fails").endMetadata().addToData("a", "1").build());
        cm.create();
        Map<String, String> failures = Map.of(
                "[{\"op\": \"replace\", \"path\": \"/spec/x\", \"value\": 1}]",
                "replace operation does not apply: doc is missing path: /spec/x: missing value",
                "[{\"op\": \"remove\", \"path\": \"/data/nope\"}]",
                "error in remove for path: '/data/nope': Unable to remove nonexistent key: nope: missing value",
                "[{\"op\": \"add\", \"path\": \"/nope/x\", \"value\": 1}]",
                "add operation does not apply: doc is missing path: \"/nope/x\": missing value",
                "[{\"op\": \"test\", \"path\": \"/data/a\", \"value\": \"2\"}]",
                "testing value /data/a failed: test failed",
                "[{\"op\": \"move\", \"from\": \"/nope/a\", \"path\": \"/data/b\"}]",
                "move operation does not apply: doc is missing from path: /nope/a: missing value");
        failures.forEach((patch, text) -> {
            KubernetesClientException e = catchThrowableOfType(() -> cm.patch(PatchContext.of(PatchType.JSON), patch),
                    KubernetesClientException.class);
            assertThat(e).as(patch).isNotNull();
            assertThat(e.getCode()).isEqualTo(422);
            assertThat(e.getStatus().getReason()).isEqualTo("Invalid");
            assertThat(e.getStatus().getMessage()).isEqualTo("the server rejected our request due to an error in our request");
            assertThat(e.getStatus().getDetails().getCauses()).singleElement()
                    .satisfies(c -> assertThat(c.getMessage()).isEqualTo(text));
        });
        assertThat(cm.get().getData()).containsExactly(Map.entry("a", "1"));
    }

    private static GenericKubernetesResource widget(String name, Map<String, Object> metadata, Map<String, Object> spec) {
        Map<String, Object> meta = new java.util.HashMap<>(metadata);
        meta.put("name", name);
        meta.put("namespace", "default");
        Map<String, Object> w = new java.util.LinkedHashMap<>();
        w.put("apiVersion", "patch.example.com/v1");
        w.put("kind", "Widget");
        w.put("metadata", meta);
        if (spec != null) {
            w.put("spec", spec);
        }
        return client.getKubernetesSerialization().convertValue(w, GenericKubernetesResource.class);
    }

    private static PatchContext apply(String manager) {
        return new PatchContext.Builder().withPatchType(PatchType.SERVER_SIDE_APPLY).withFieldManager(manager).build();
    }

    @Test
    void finalizersOfCustomResourcesMergeAcrossManagers() {
        var widgets = client.genericKubernetesResources(WIDGETS).inNamespace("default");
        widgets.resource(widget("shared", Map.of("finalizers", List.of("one.example.com/f")), Map.of("size", 1)))
                .patch(apply("first"));
        GenericKubernetesResource after = widgets.resource(widget("shared",
                Map.of("finalizers", List.of("two.example.com/f")), null)).patch(apply("second"));
        assertThat(after.getMetadata().getFinalizers()).containsExactlyInAnyOrder("one.example.com/f", "two.example.com/f");
        ManagedFieldsEntry second = after.getMetadata().getManagedFields().stream()
                .filter(m -> m.getManager().equals("second")).findFirst().orElseThrow();
        assertThat(second.getFieldsV1().getAdditionalProperties()).isEqualTo(Map.of("f:metadata",
                Map.of("f:finalizers", Map.of("v:\"two.example.com/f\"", Map.of()))));
        // the first manager dropping its finalizer leaves the second's
        GenericKubernetesResource dropped = widgets.resource(widget("shared", Map.of(), Map.of("size", 1))).patch(apply("first"));
        assertThat(dropped.getMetadata().getFinalizers()).containsExactly("two.example.com/f");
        widgets.withName("shared").edit(w -> {
            w.getMetadata().setFinalizers(List.of());
            return w;
        });
    }

    @Test
    void anAtomicListElementIsOwnedWhole() {
        var owner = client.configMaps().inNamespace("default").resource(new ConfigMapBuilder().withNewMetadata()
                .withName("owner").endMetadata().build()).create();
        String uid = owner.getMetadata().getUid();
        GenericKubernetesResource applied = client.genericKubernetesResources(WIDGETS).inNamespace("default")
                .resource(widget("owned", Map.of("ownerReferences", List.of(Map.of("apiVersion", "v1", "kind", "ConfigMap",
                        "name", "owner", "uid", uid))), null)).patch(apply("owner-setter"));
        Object fields = applied.getMetadata().getManagedFields().get(0).getFieldsV1().getAdditionalProperties();
        assertThat(fields).isEqualTo(Map.of("f:metadata", Map.of("f:ownerReferences",
                Map.of("k:{\"uid\":\"" + uid + "\"}", Map.of()))));
    }

    @Test
    void managedFieldsSentByAnUpdateReplaceTheRecordedOnes() {
        var cm = client.configMaps().inNamespace("default");
        cm.resource(new ConfigMapBuilder().withNewMetadata().withName("migrated").endMetadata().addToData("a", "1").build())
                .patch(apply("old-manager"));
        // the documented migration: rename the manager in managedFields with an update
        var current = cm.withName("migrated").get();
        ManagedFieldsEntry entry = current.getMetadata().getManagedFields().get(0);
        entry.setManager("new-manager");
        current.getMetadata().setManagedFields(List.of(entry));
        current.getData().put("b", "2");
        var updated = client.configMaps().inNamespace("default").resource(current).update();
        assertThat(updated.getMetadata().getManagedFields()).extracting(ManagedFieldsEntry::getManager)
                .hasSize(2).first().isEqualTo("new-manager");
        // [{}] resets them
        current = cm.withName("migrated").get();
        current.getMetadata().setManagedFields(List.of(new ManagedFieldsEntry()));
        current.getData().put("c", "3");
        updated = client.configMaps().inNamespace("default").resource(current).update();
        assertThat(updated.getMetadata().getManagedFields()).extracting(ManagedFieldsEntry::getManager)
                .singleElement().isNotEqualTo("new-manager");
    }

    @Test
    void anApplyThatDropsEveryFieldOfAMapDropsTheMap() {
        var widgets = client.genericKubernetesResources(WIDGETS).inNamespace("default");
        widgets.resource(widget("emptied", Map.of(), Map.of("size", 1, "color", "red"))).patch(apply("owner"));
        GenericKubernetesResource after = widgets.resource(widget("emptied", Map.of("labels", Map.of("a", "b")), null))
                .patch(apply("owner"));
        assertThat(after.getAdditionalProperties()).doesNotContainKey("spec");
        assertThat(after.getMetadata().getLabels()).containsEntry("a", "b");
    }
}
