package dev.kubetest.core.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * The root of a frozen tree as the store keeps it: read-only, and holding its own JSON once it has been written
 * (as kube-apiserver's watch cache keeps each version's serialized bytes), so that every get, list and watch
 * event that hands it out writes those bytes instead of walking the tree again. Safe because the tree never changes.
 */
public final class StoredObject extends FrozenObject {
    private static final long serialVersionUID = 1L;
    private transient volatile byte[] json;

    StoredObject(Map<String, JsonNode> children) {
        super(children);
    }

    /** The object as compact JSON (written on first use, then kept). Callers must not change the array. */
    public byte[] json() {
        byte[] j = json;
        if (j == null) {
            try {
                j = JsonTrees.treeBytes(this);
            } catch (JsonTrees.NotPlainJson e) {
                throw new IllegalStateException("a stored object holds only plain JSON", e);
            }
            json = j;
        }
        return j;
    }

    /** Whether its JSON has been written already. */
    public boolean hasJson() {
        return json != null;
    }
}
