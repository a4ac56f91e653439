package dev.kubetest.core.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Read-only JSON trees: objects and arrays whose children live in unmodifiable collections, so that any attempt to
 * change one (put, set, remove, add...) throws {@link UnsupportedOperationException}. What the store keeps, and so
 * what every get, list and watch event hands out, is frozen: a caller that modifies what it read changes nothing
 * stored (as client-go's ObjectTracker hands out copies). {@code deepCopy()} of a frozen tree is an ordinary
 * mutable tree. Value nodes are immutable already.
 *
 * <p>Freezing a new version against the previous one shares every part that did not change (a status write
 * shares the spec and metadata of the version before it), so the versions the watch window keeps cost only
 * what changed.
 */
public final class FrozenTrees {
    /** The empty object and array, shared (managedFields' {@code fieldsV1} are mostly {@code {}}). */
    private static final FrozenObject EMPTY_OBJECT = new FrozenObject(new FrozenMap(new String[0], new JsonNode[0]));
    private static final FrozenObject.Array EMPTY_ARRAY = new FrozenObject.Array(List.of());

    /** Text values up to this length are interned when frozen. */
    private static final int SHORT = 40;

    private FrozenTrees() {}

    /** A frozen copy of {@code node} (the node itself when it is already a stored root). */
    public static StoredObject freeze(ObjectNode node) {
        return freeze(node, null);
    }

    /** A frozen copy of {@code node} sharing the parts equal to those of {@code previous} (a frozen tree, or null). */
    public static StoredObject freeze(ObjectNode node, JsonNode previous) {
        if (node instanceof StoredObject s) {
            return s;
        }
        FrozenMap children = children(node, previous instanceof FrozenObject p ? p : null);
        // a root never reuses the previous root itself: a new version is a new object (its resourceVersion differs)
        return new StoredObject(children == null ? children(node, null) : children);
    }

    /** Whether {@code node} is a frozen container. */
    public static boolean isFrozen(JsonNode node) {
        return node instanceof FrozenObject || node instanceof FrozenObject.Array;
    }

    /** The frozen children of {@code o}; null when they are all those of {@code previous}, in its order. */
    private static FrozenMap children(ObjectNode o, ObjectNode previous) {
        String[] keys = new String[o.size()];
        JsonNode[] values = new JsonNode[keys.length];
        boolean same = previous != null && previous.size() == keys.length;
        int i = 0;
        Iterator<Map.Entry<String, JsonNode>> before = same ? previous.fields() : null;
        for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); i++) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode old = previous == null ? null : previous.get(e.getKey());
            keys[i] = e.getKey().intern(); // the same few hundred names in every object (managedFields' "f:..." among them)
            values[i] = freezeNode(e.getValue(), old);
            if (same) {
                Map.Entry<String, JsonNode> b = before.next();
                same = b.getKey() == keys[i] && b.getValue() == values[i];
            }
        }
        return same ? null : new FrozenMap(keys, values);
    }

    private static JsonNode freezeNode(JsonNode node, JsonNode previous) {
        if (node instanceof ObjectNode o) {
            if (isFrozen(o)) {
                return o;
            }
            if (o.isEmpty()) {
                return EMPTY_OBJECT;
            }
            FrozenObject p = previous instanceof FrozenObject f && !(f instanceof StoredObject) ? f : null;
            FrozenMap children = children(o, p);
            return children == null ? p : new FrozenObject(children);
        }
        if (node instanceof ArrayNode a) {
            if (isFrozen(a)) {
                return a;
            }
            if (a.isEmpty()) {
                return EMPTY_ARRAY;
            }
            ArrayNode p = previous instanceof FrozenObject.Array f && f.size() == a.size() ? f : null;
            JsonNode[] children = new JsonNode[a.size()];
            boolean same = p != null;
            int i = 0;
            for (JsonNode e : a) {
                JsonNode old = p == null ? null : p.get(i);
                children[i] = freezeNode(e, old);
                same = same && children[i] == old;
                i++;
            }
            return same ? p : new FrozenObject.Array(List.of(children));
        }
        if (previous != null && previous.getNodeType() == node.getNodeType() && !previous.isContainerNode() && previous.equals(node)) {
            return previous;
        }
        if (node instanceof com.fasterxml.jackson.databind.node.TextNode t && t.textValue().length() <= SHORT) {
            // short values repeat across objects (kinds, managers, phases, timestamps of one second): one String each
            String v = t.textValue();
            String canonical = v.intern();
            return canonical == v ? node : new com.fasterxml.jackson.databind.node.TextNode(canonical);
        }
        return node;
    }
}
