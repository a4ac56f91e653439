package dev.kubetest.core.api;

import dev.kubetest.core.meta.ApiException;
import dev.kubetest.core.meta.ResourceType;
import dev.kubetest.core.meta.WriteOptions;
import dev.kubetest.core.meta.DeleteOptions;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubetest.core.KubeCluster;
import dev.kubetest.core.json.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** API semantics through the in-process API, the same code the HTTP server calls. */
class KubeApiTest {
    private final KubeCluster cluster = KubeCluster.builder().withoutController("*").build();
    private final KubeApi api = cluster.api();
    private final ResourceType configMaps = api.registry().find("", "v1", "configmaps").orElseThrow();
    private final ResourceType namespaces = api.registry().find("", "v1", "namespaces").orElseThrow();

    @AfterEach
    void close() {
        cluster.close();
    }

    private static ObjectNode cm(String name) {
        return (ObjectNode) Json.parse("{\"metadata\":{\"name\":\"" + name + "\"},\"data\":{\"k\":\"v\"}}");
    }

    private static ApiException error(Runnable r) {
        try {
            r.run();
        } catch (ApiException e) {
            return e;
        }
        throw new AssertionError("expected an ApiException");
    }

    @Test
    void systemNamespacesExistAndCannotBeDeleted() {
        for (String ns : KubeCluster.SYSTEM_NAMESPACES) {
            assertThat(api.get(namespaces, null, ns).path("status").path("phase").asText()).isEqualTo("Active");
            ApiException e = error(() -> api.delete(namespaces, null, ns, DeleteOptions.defaults()));
            assertThat(e.code()).isEqualTo(403);
            assertThat(e.getMessage()).isEqualTo("namespaces \"" + ns + "\" is forbidden: this namespace may not be deleted");
        }
    }

    @Test
    void generateNameAppendsFiveCharacters() {
        ObjectNode o = Json.object();
        o.putObject("metadata").put("generateName", "web-");
        ObjectNode created = api.create(configMaps, "default", o, WriteOptions.defaults());
        assertThat(created.path("metadata").path("name").asText()).matches("web-[bcdfghjklmnpqrstvwxz2456789]{5}");
    }

    @Test
    void dryRunCreatesNothing() {
        long before = api.store().currentRevision();
        ObjectNode created = api.create(configMaps, "default", cm("dry"), new WriteOptions(true, null, null, false));
        assertThat(created.path("metadata").path("uid").asText()).isNotEmpty();
        assertThat(api.store().currentRevision()).isEqualTo(before);
        assertThat(error(() -> api.get(configMaps, "default", "dry")).code()).isEqualTo(404);
    }

    @Test
    void finalizersHoldDeletionUntilTheLastIsRemoved() {
        ObjectNode o = cm("held");
        ((ObjectNode) o.get("metadata")).putArray("finalizers").add("example.com/hold");
        api.create(configMaps, "default", o, WriteOptions.defaults());
        KubeApi.Deletion d = api.delete(configMaps, "default", "held", DeleteOptions.defaults());
        assertThat(d.deleted()).isFalse();
        ObjectNode marked = api.get(configMaps, "default", "held");
        assertThat(marked.path("metadata").path("deletionTimestamp").asText()).isNotEmpty();

        ObjectNode more = marked.deepCopy();
        ((com.fasterxml.jackson.databind.node.ArrayNode) more.path("metadata").path("finalizers")).add("new/one");
        assertThat(error(() -> api.update(configMaps, "default", "held", more, KubeApi.Target.MAIN, WriteOptions.defaults())).code())
                .isEqualTo(422);

        ObjectNode released = marked.deepCopy();
        ((ObjectNode) released.get("metadata")).remove("finalizers");
        api.update(configMaps, "default", "held", released, KubeApi.Target.MAIN, WriteOptions.defaults());
        assertThat(error(() -> api.get(configMaps, "default", "held")).code()).isEqualTo(404);
    }

    @Test
    void terminatingNamespaceRefusesNewContent() {
        ObjectNode ns = Json.object();
        ns.putObject("metadata").put("name", "going");
        api.create(namespaces, null, ns, WriteOptions.defaults());
        api.delete(namespaces, null, "going", DeleteOptions.defaults());
        assertThat(api.get(namespaces, null, "going").path("status").path("phase").asText()).isEqualTo("Terminating");
        ApiException e = error(() -> api.create(configMaps, "going", cm("late"), WriteOptions.defaults()));
        assertThat(e.code()).isEqualTo(403);
        assertThat(e.getMessage()).isEqualTo("configmaps \"late\" is forbidden: unable to create new content in "
                + "namespace going because it is being terminated");
    }

    @Test
    void noOpUpdateKeepsTheResourceVersion() {
        ObjectNode created = api.create(configMaps, "default", cm("same"), WriteOptions.defaults());
        ObjectNode again = api.update(configMaps, "default", "same", created, KubeApi.Target.MAIN, WriteOptions.defaults());
        assertThat(again.path("metadata").path("resourceVersion").asText())
                .isEqualTo(created.path("metadata").path("resourceVersion").asText());
    }

    @Test
    void deletePreconditionsAreChecked() {
        api.create(configMaps, "default", cm("pre"), WriteOptions.defaults());
        ApiException e = error(() -> api.delete(configMaps, "default", "pre",
                new DeleteOptions(null, null, "wrong-uid", null, false, null)));
        assertThat(e.code()).isEqualTo(409);
        assertThat(e.getMessage()).contains("Precondition failed: UID in precondition: wrong-uid");
        assertThatThrownBy(() -> api.delete(configMaps, "default", "pre",
                new DeleteOptions(null, null, null, "1", false, null))).isInstanceOf(ApiException.class);
    }
}
