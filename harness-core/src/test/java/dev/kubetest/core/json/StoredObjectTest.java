package dev.kubetest.core.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class StoredObjectTest {
    private static ObjectNode pod() {
        ObjectNode o = (ObjectNode) Json.parse("""
                {"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","labels":{"a":"1","b":"2"}},
                 "spec":{"containers":[{"name":"c","image":"nginx","ports":[{"containerPort":80}]}]},"status":{"phase":"Pending"}}""");
        ObjectNode data = o.putObject("data");
        for (int i = 0; i < 40; i++) {
            data.put("k" + (39 - i), "v" + i);
        }
        return o;
    }

    @Test
    void aStoredObjectWritesTheSameBytesAsItsTreeAndKeepsThem() {
        ObjectNode tree = pod();
        StoredObject stored = FrozenTrees.freeze(tree);
        assertThat(stored.hasJson()).isFalse();
        byte[] once = Json.bytes(stored);
        assertThat(new String(once, StandardCharsets.UTF_8)).isEqualTo(new String(Json.bytes(tree), StandardCharsets.UTF_8));
        assertThat(stored.hasJson()).isTrue();
        assertThat(Json.bytes(stored)).isSameAs(once);
        assertThat(Json.string(stored)).isEqualTo(Json.string(tree));

        // inside a list envelope or a watch event, its kept bytes are spliced in where the tree would be written
        ObjectNode list = Json.object();
        list.put("kind", "PodList");
        list.putArray("items").add(stored).add(FrozenTrees.freeze(pod()));
        ObjectNode plain = list.deepCopy();
        assertThat(new String(Json.bytes(list), StandardCharsets.UTF_8)).isEqualTo(new String(Json.bytes(plain), StandardCharsets.UTF_8));
        assertThat(Json.string(list)).isEqualTo(Json.string(plain));
    }

    @Test
    void frozenObjectsAreReadOnlyLookUpEveryKeyAndEqualTheirTrees() {
        ObjectNode tree = pod();
        StoredObject stored = FrozenTrees.freeze(tree);
        assertThat(stored).isEqualTo(tree);
        assertThat(tree).isEqualTo(stored);
        assertThat(stored.hashCode()).isEqualTo(tree.hashCode());
        JsonNode data = stored.get("data");
        for (int i = 0; i < 40; i++) {
            assertThat(data.get("k" + (39 - i)).asText()).isEqualTo("v" + i);
        }
        assertThat(data.get("missing")).isNull();
        assertThat(data.fieldNames()).toIterable().first().isEqualTo("k39");
        assertThat(FrozenTrees.isFrozen(stored)).isTrue();
        assertThat(FrozenTrees.isFrozen(stored.get("spec").get("containers"))).isTrue();
        assertThat(FrozenTrees.isFrozen(tree)).isFalse();
        assertThatThrownBy(() -> stored.remove("status")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> stored.remove("no-such-field")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> ((ObjectNode) stored.get("metadata")).put("name", "x")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> ((com.fasterxml.jackson.databind.node.ArrayNode) stored.get("spec").get("containers")).add(1))
                .isInstanceOf(UnsupportedOperationException.class);
        // a copy is an ordinary tree again
        ObjectNode copy = stored.deepCopy();
        copy.put("x", 1);
        assertThat(copy.get("x").asInt()).isEqualTo(1);
        // freezing a tree that holds frozen parts shares them
        ObjectNode next = Json.object();
        next.set("spec", stored.get("spec"));
        assertThat(FrozenTrees.freeze(next).get("spec")).isSameAs(stored.get("spec"));
    }

    @Test
    void aNewVersionSharesWhatDidNotChangeWithThePreviousOne() {
        StoredObject v1 = FrozenTrees.freeze(pod());
        ObjectNode edit = v1.deepCopy();
        ((ObjectNode) edit.get("status")).put("phase", "Running");
        ((ObjectNode) edit.get("metadata")).put("resourceVersion", "2");
        StoredObject v2 = FrozenTrees.freeze(edit, v1);
        assertThat(v2).isNotSameAs(v1);
        assertThat(v2.get("spec")).isSameAs(v1.get("spec"));
        assertThat(v2.get("data")).isSameAs(v1.get("data"));
        assertThat(v2.get("metadata").get("labels")).isSameAs(v1.get("metadata").get("labels"));
        assertThat(v2.get("metadata")).isNotSameAs(v1.get("metadata"));
        assertThat(v2.get("status")).isNotSameAs(v1.get("status"));
        assertThat(v2.get("status").get("phase").asText()).isEqualTo("Running");
        assertThat(v1.get("status").get("phase").asText()).as("the old version unchanged").isEqualTo("Pending");
        assertThat(Json.string(v2)).isEqualTo(Json.string(edit));
        // an element changed in an array: the others are shared, the array is new
        ObjectNode edit2 = v2.deepCopy();
        ((ObjectNode) edit2.get("spec").get("containers").get(0)).put("image", "nginx:2");
        StoredObject v3 = FrozenTrees.freeze(edit2, v2);
        assertThat(v3.get("spec").get("containers").get(0).get("ports")).isSameAs(v2.get("spec").get("containers").get(0).get("ports"));
        assertThat(v3.get("spec").get("containers").get(0).get("image").asText()).isEqualTo("nginx:2");
        assertThat(v2.get("spec").get("containers").get(0).get("image").asText()).isEqualTo("nginx");
        // a field removed or reordered is not the previous object
        ObjectNode edit3 = v3.deepCopy();
        ((ObjectNode) edit3.get("metadata").get("labels")).remove("a");
        assertThat(FrozenTrees.freeze(edit3, v3).get("metadata").get("labels").toString()).isEqualTo("{\"b\":\"2\"}");
    }
}
