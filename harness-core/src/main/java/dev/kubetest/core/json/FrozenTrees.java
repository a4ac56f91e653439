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

    /** A frozen copy of {@code node} (the node itself when it is already frozen or a value). */
    public static ObjectNode freeze(ObjectNode node) {
        return (ObjectNode) freezeNode(node);
    }

    /** Whether {@code node} is a frozen container. */
    public static boolean isFrozen(JsonNode node) {
        if (node instanceof ObjectNode o) {
            try {
                o.remove("\u0000kubetest-probe");
                return false;
            } catch (UnsupportedOperationException e) {
                return true;
            }
        }
        return false;
    }

    private static JsonNode freezeNode(JsonNode node) {
        if (node instanceof ObjectNode o) {
            Map<String, JsonNode> children = new LinkedHashMap<>(o.size() * 4 / 3 + 1);
            for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                children.put(e.getKey(), freezeNode(e.getValue()));
            }
            return new ObjectNode(Json.NODES, Collections.unmodifiableMap(children));
        }
        if (node instanceof ArrayNode a) {
            List<JsonNode> children = new ArrayList<>(a.size());
            for (JsonNode e : a) {
                children.add(freezeNode(e));
            }
            return new ArrayNode(Json.NODES, Collections.unmodifiableList(children));
        }
        return node;
    }
}
