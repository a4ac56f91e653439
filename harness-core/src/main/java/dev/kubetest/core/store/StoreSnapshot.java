package dev.kubetest.core.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

/**
 * Every object of a store at one revision. Stored objects are immutable, so a snapshot holds references, not
 * copies: taking one costs a map copy per resource, and restoring finds what changed by identity. A restore
 * records the objects it wrote back (the same content at a newer resourceVersion), so the next restore leaves
 * them alone unless they change again.
 */
public final class StoreSnapshot {
    private final long revision;
    private final Map<String, Map<String, ObjectNode>> objects;

    StoreSnapshot(long revision, Map<String, Map<String, ObjectNode>> objects) {
        this.revision = revision;
        this.objects = objects;
    }

    /** The store's revision when the snapshot was taken. */
    public long revision() {
        return revision;
    }

    /** The objects by resource and {@code namespace/name}, read-only. */
    public Map<String, Map<String, ObjectNode>> objects() {
        Map<String, Map<String, ObjectNode>> view = new HashMap<>();
        objects.forEach((k, v) -> view.put(k, Collections.unmodifiableMap(v)));
        return Collections.unmodifiableMap(view);
    }

    Map<String, Map<String, ObjectNode>> live() {
        return objects;
    }

    /** How many objects it holds. */
    public int size() {
        return objects.values().stream().mapToInt(Map::size).sum();
    }
}
