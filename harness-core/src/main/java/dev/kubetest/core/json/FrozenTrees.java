package dev.kubetest.core.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Read-only JSON trees: objects and arrays whose children live in unmodifiable collections, so that any attempt to
 * change one (put, set, remove, add...) throws {@link UnsupportedOperationException}. What the store keeps, and so
 * what every get, list and watch event hands out, is frozen: a caller that modifies what it read changes nothing
 * stored (as client-go's ObjectTracker hands out copies). {@code deepCopy()} of a frozen tree is an ordinary
 * mutable tree. Value nodes are immutable already.
 */
public final class FrozenTrees {
    private FrozenTrees() {}

    /** A frozen copy of {@code node} (the node itself when it is already a stored root). */
    public static StoredObject freeze(ObjectNode node) {
        if (node instanceof StoredObject s) {
            return s;
        }
        return new StoredObject(children(node));
    }

    /** Whether {@code node} is a frozen container. */
    public static boolean isFrozen(JsonNode node) {
        return node instanceof FrozenObject || node instanceof FrozenObject.Array;
    }

    private static Map<String, JsonNode> children(ObjectNode o) {
        String[] keys = new String[o.size()];
        JsonNode[] values = new JsonNode[keys.length];
        int i = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); i++) {
            Map.Entry<String, JsonNode> e = it.next();
            keys[i] = e.getKey();
            values[i] = freezeNode(e.getValue());
        }
        return new FrozenMap(keys, values);
    }

    private static JsonNode freezeNode(JsonNode node) {
        if (node instanceof ObjectNode o) {
            return isFrozen(o) ? o : new FrozenObject(children(o));
        }
        if (node instanceof ArrayNode a) {
            if (isFrozen(a)) {
                return a;
            }
            JsonNode[] children = new JsonNode[a.size()];
            int i = 0;
            for (JsonNode e : a) {
                children[i++] = freezeNode(e);
            }
            return new FrozenObject.Array(Collections.unmodifiableList(java.util.Arrays.asList(children)));
        }
        return node;
    }
}
