package dev.kubetest.core.api;

import dev.kubetest.core.meta.ResourceType;
import dev.kubetest.core.meta.ListOptions;
import dev.kubetest.core.meta.WriteOptions;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubetest.core.KubeCluster;
import dev.kubetest.core.client.KubeClient;
import dev.kubetest.core.json.Json;
import io.fabric8.kubernetes.api.model.ConfigMap;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What a read hands out cannot change what is stored: get, list, watch events and the in-process client give
 * read-only trees (a change throws) or copies (a change stays with the caller).
 */
class ImmutableReadsTest {
    private final KubeCluster cluster = KubeCluster.builder().withoutController("*").build();
    private final KubeApi api = cluster.api();
    private final ResourceType configMaps = api.registry().find("", "v1", "configmaps").orElseThrow();

    @AfterEach
    void close() {
        cluster.close();
    }

    private void create(String name) {
        ObjectNode o = (ObjectNode) Json.parse("{\"metadata\":{\"name\":\"" + name + "\",\"labels\":{\"app\":\"x\"}},"
                + "\"data\":{\"k\":\"v\"},\"binaryData\":{}}");
        api.create(configMaps, "default", o, WriteOptions.defaults());
    }

    private void assertUnchanged(String name) {
        ObjectNode stored = api.get(configMaps, "default", name);
        assertThat(stored.path("data").path("k").asText()).isEqualTo("v");
        assertThat(stored.path("metadata").path("labels").path("app").asText()).isEqualTo("x");
        assertThat(stored.path("data").has("extra")).isFalse();
    }

    private static void tryToChange(ObjectNode read) {
        assertThatThrownBy(() -> ((ObjectNode) read.get("data")).put("k", "changed"))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> ((ObjectNode) read.get("data")).put("extra", "added"))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> ((ObjectNode) read.get("metadata")).remove("labels"))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> read.putObject("spec")).isInstanceOf(UnsupportedOperationException.class);
        // a copy is the caller's own to change
        ObjectNode copy = read.deepCopy();
        ((ObjectNode) copy.get("data")).put("k", "changed");
        assertThat(copy.path("data").path("k").asText()).isEqualTo("changed");
    }

    @Test
    void getHandsOutAReadOnlyTree() {
        create("get");
        tryToChange(api.get(configMaps, "default", "get"));
        assertUnchanged("get");
    }

    @Test
    void listItemsAreReadOnly() {
        create("listed");
        for (ObjectNode item : api.lists().list(configMaps, "default", ListOptions.all()).items()) {
            tryToChange(item);
        }
        assertUnchanged("listed");
    }

    @Test
    void watchEventsCarryReadOnlyTrees() throws Exception {
        List<ObjectNode> seen = new ArrayList<>();
        try (AutoCloseable watch = api.lists().watch(configMaps, "default", ListOptions.all(), (type, obj) -> seen.add(obj))) {
            create("watched");
            api.mutate(configMaps, "default", "watched", null, WriteOptions.defaults(), o -> {
                ((ObjectNode) o.get("metadata")).with("annotations").put("a", "b");
                return o;
            }, KubeApi.Target.MAIN);
        }
        assertThat(seen).hasSizeGreaterThanOrEqualTo(2);
        seen.forEach(ImmutableReadsTest::tryToChange);
        assertUnchanged("watched");
    }

    @Test
    void theInProcessClientHandsOutCopies() {
        create("client");
        KubeClient client = cluster.client();
        ConfigMap typed = client.get(ConfigMap.class, "default", "client").orElseThrow();
        typed.getData().put("k", "changed");
        typed.getMetadata().getLabels().clear();
        tryToChange(client.get(configMaps, "default", "client"));
        assertUnchanged("client");
    }
}
