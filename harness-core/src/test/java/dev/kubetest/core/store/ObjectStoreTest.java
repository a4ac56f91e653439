package dev.kubetest.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubetest.core.meta.ApiException;
import dev.kubetest.core.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ObjectStoreTest {
    private static ObjectNode obj(String ns, String name, String label) {
        ObjectNode o = Json.object();
        ObjectNode m = o.putObject("metadata");
        m.put("name", name);
        m.put("namespace", ns);
        if (label != null) {
            m.putObject("labels").put("app", label);
        }
        return o;
    }

    private static long put(ObjectStore store, String ns, String name, String label) {
        return store.write(tx -> {
            ObjectNode o = obj(ns, name, label);
            ((ObjectNode) o.get("metadata")).put("resourceVersion", Long.toString(tx.nextRevision()));
            return tx.put("configmaps", ObjectStore.key(ns, name), o);
        });
    }

    private static List<String> names(ObjectStore.Listing l) {
        List<String> out = new ArrayList<>();
        l.items().forEach(e -> out.add(e.getValue().path("metadata").path("name").asText()));
        return out;
    }

    @Test
    void listsByNamespaceAndLabelWithoutTouchingOthers() {
        ObjectStore store = new ObjectStore();
        put(store, "a", "x", "web");
        put(store, "a", "y", "db");
        put(store, "b", "z", "web");
        assertThat(names(store.list("configmaps", "a", null, -1, Map.of()))).containsExactly("x", "y");
        assertThat(names(store.list("configmaps", null, null, -1, Map.of("app", "web")))).containsExactly("x", "z");
        assertThat(names(store.list("configmaps", "b", null, -1, Map.of("app", "db")))).isEmpty();
    }

    @Test
    void readsAnOlderRevisionByUndoingLaterChanges() {
        ObjectStore store = new ObjectStore();
        put(store, "a", "x", "v1");
        long rev = put(store, "a", "y", "v1");
        put(store, "a", "x", "v2");
        put(store, "a", "z", "v1");
        store.write(tx -> tx.remove("configmaps", ObjectStore.key("a", "y"), obj("a", "y", "v1")));
        ObjectStore.Listing old = store.list("configmaps", "a", null, rev, Map.of());
        assertThat(names(old)).containsExactly("x", "y");
        assertThat(old.items().get(0).getValue().path("metadata").path("labels").path("app").asText()).isEqualTo("v1");
        assertThat(names(store.list("configmaps", "a", null, -1, Map.of()))).containsExactly("x", "z");
    }

    @Test
    void watchResumesFromARevisionAndExpiresBeyondTheWindow() {
        ObjectStore store = new ObjectStore(3);
        long first = put(store, "a", "x", "1");
        put(store, "a", "x", "2");
        long third = put(store, "a", "x", "3");
        List<String> seen = new ArrayList<>();
        try (ObjectStore.Subscription s = store.watch("configmaps", "a", third - 1, e ->
                seen.add(e.type() + ":" + e.object().path("metadata").path("labels").path("app").asText()))) {
            put(store, "a", "x", "4");
            assertThat(seen).containsExactly("MODIFIED:3", "MODIFIED:4");
        }
        put(store, "a", "y", "5");
        assertThatThrownBy(() -> store.watch("configmaps", "a", first, e -> { }))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(410));
        assertThatThrownBy(() -> store.list("configmaps", "a", null, first, Map.of()))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(410));
    }

    @Test
    void watchWithoutRevisionStartsWithTheCurrentObjects() {
        ObjectStore store = new ObjectStore();
        put(store, "a", "x", "1");
        put(store, "b", "y", "1");
        List<String> seen = new ArrayList<>();
        try (ObjectStore.Subscription s = store.watch("configmaps", "a", -1, e -> seen.add(e.type() + " " + e.key()))) {
            put(store, "a", "z", "1");
            put(store, "b", "w", "1");
        }
        assertThat(seen).containsExactly("ADDED a/x", "ADDED a/z");
    }

    @Test
    void watchersHearOnlyTheirResourceAndNamespaceUntilTheyClose() {
        ObjectStore store = new ObjectStore();
        List<String> configMaps = new ArrayList<>();
        List<String> inA = new ArrayList<>();
        List<String> secrets = new ArrayList<>();
        ObjectStore.Subscription all = store.watch("configmaps", null, 0, e -> configMaps.add(e.key()));
        store.watch("configmaps", "a", 0, e -> inA.add(e.key()));
        store.watch("secrets", null, 0, e -> secrets.add(e.key()));
        put(store, "a", "one", null);
        put(store, "b", "two", null);
        all.close();
        put(store, "a", "three", null);
        assertThat(configMaps).containsExactly("a/one", "b/two");
        assertThat(inA).containsExactly("a/one", "a/three");
        assertThat(secrets).isEmpty();
    }
}
