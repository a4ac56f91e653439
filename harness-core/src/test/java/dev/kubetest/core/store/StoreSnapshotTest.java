package dev.kubetest.core.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubetest.core.json.Json;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StoreSnapshotTest {

    private static ObjectNode obj(String name, String value, long rv) {
        ObjectNode o = Json.object();
        o.putObject("metadata").put("name", name).put("resourceVersion", Long.toString(rv));
        o.put("v", value);
        return o;
    }

    private static ObjectNode stamp(ObjectNode o, long rv) {
        ObjectNode c = o.deepCopy();
        ((ObjectNode) c.get("metadata")).put("resourceVersion", Long.toString(rv));
        return c;
    }

    @Test
    void restoreWritesOnlyWhatChangedAndEmitsOrdinaryEvents() {
        ObjectStore store = new ObjectStore();
        store.write(t -> {
            t.put("configmaps", "ns/a", obj("a", "1", t.nextRevision()));
            t.put("configmaps", "ns/b", obj("b", "1", t.nextRevision()));
            t.put("configmaps", "ns/c", obj("c", "1", t.nextRevision()));
            return null;
        });
        StoreSnapshot snap = store.snapshot();
        assertThat(snap.size()).isEqualTo(3);
        store.write(t -> {
            t.put("configmaps", "ns/b", obj("b", "2", t.nextRevision()));
            t.remove("configmaps", "ns/c", obj("c", "1", t.nextRevision()));
            t.put("configmaps", "ns/d", obj("d", "1", t.nextRevision()));
            t.put("secrets", "ns/s", obj("s", "1", t.nextRevision()));
            return null;
        });
        long before = store.currentRevision();
        List<String> events = new ArrayList<>();
        store.watch("configmaps", null, before, e -> events.add(e.type() + " " + e.key() + "@" + e.revision()));
        store.watch("secrets", null, before, e -> events.add(e.type() + " " + e.key() + "@" + e.revision()));

        ObjectStore.Restored r = store.restore(snap, StoreSnapshotTest::stamp);

        assertThat(r.written()).isEqualTo(2);
        assertThat(r.removed()).isEqualTo(2);
        assertThat(store.get("configmaps", "ns/b").path("v").asText()).isEqualTo("1");
        assertThat(store.get("configmaps", "ns/c").path("v").asText()).isEqualTo("1");
        assertThat(store.get("configmaps", "ns/d")).isNull();
        assertThat(store.get("secrets", "ns/s")).isNull();
        assertThat(store.get("configmaps", "ns/a")).isSameAs(snap.objects().get("configmaps").get("ns/a"));
        // new revisions, never a rewind
        assertThat(store.currentRevision()).isEqualTo(before + 4);
        assertThat(Long.parseLong(store.get("configmaps", "ns/b").path("metadata").path("resourceVersion").asText())).isGreaterThan(before);
        assertThat(events).hasSize(4).anyMatch(e -> e.startsWith("MODIFIED ns/b")).anyMatch(e -> e.startsWith("ADDED ns/c"))
                .anyMatch(e -> e.startsWith("DELETED ns/d")).anyMatch(e -> e.startsWith("DELETED ns/s"));

        assertThat(store.restore(snap, StoreSnapshotTest::stamp)).isEqualTo(new ObjectStore.Restored(0, 0));
        assertThat(store.currentRevision()).isEqualTo(before + 4);
    }
}
