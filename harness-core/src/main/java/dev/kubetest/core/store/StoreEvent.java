package dev.kubetest.core.store;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One change in the store. {@code object} is the state after the change (for DELETED: the last state, carrying
 * the deletion's resourceVersion); {@code previous} the state before (null for ADDED). Both are never mutated.
 */
public record StoreEvent(Type type, String storageKey, String key, ObjectNode object, ObjectNode previous,
                         long revision) {
    /** The kind of change. */
    public enum Type { ADDED, MODIFIED, DELETED }

    /** The namespace part of the key ("" for cluster-scoped objects). */
    public String namespace() {
        return ObjectStore.namespaceOf(key);
    }
}
