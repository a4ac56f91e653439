package dev.kubetest.core.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collections;
import java.util.Iterator;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The objects of one resource, sorted by {@code namespace/name}, with an index from label key and value to
 * object keys so that namespace and label lookups do not scan the resource. Written only under the store lock.
 */
final class Bucket {
    private final ConcurrentSkipListMap<String, ObjectNode> objects = new ConcurrentSkipListMap<>();
    private final Map<String, Map<String, Set<String>>> labelIndex = new ConcurrentHashMap<>();

    ObjectNode get(String key) {
        return objects.get(key);
    }

    int size() {
        return objects.size();
    }

    void put(String key, ObjectNode object) {
        ObjectNode old = objects.put(key, object);
        if (old != null) {
            unindex(key, old);
        }
        index(key, object);
    }

    void remove(String key) {
        ObjectNode old = objects.remove(key);
        if (old != null) {
            unindex(key, old);
        }
    }

    /** Objects whose key starts with {@code prefix} (a namespace and slash, or "" for all) and sorts after {@code after}. */
    NavigableMap<String, ObjectNode> range(String prefix, String after) {
        NavigableMap<String, ObjectNode> m = prefix.isEmpty() ? objects : objects.subMap(prefix, true, prefix + '\uffff', false);
        if (after != null && !after.isEmpty()) {
            m = m.tailMap(after, false);
        }
        return m;
    }

    /** Keys whose object carries label {@code key=value}. */
    Set<String> keysWithLabel(String key, String value) {
        Map<String, Set<String>> byValue = labelIndex.get(key);
        if (byValue == null) {
            return Set.of();
        }
        Set<String> keys = byValue.get(value);
        return keys == null ? Set.of() : Collections.unmodifiableSet(keys);
    }

    private void index(String key, ObjectNode object) {
        JsonNode labels = object.path("metadata").path("labels");
        for (Iterator<Map.Entry<String, JsonNode>> it = labels.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            labelIndex.computeIfAbsent(e.getKey(), k -> new ConcurrentHashMap<>())
                    .computeIfAbsent(e.getValue().asText(), v -> ConcurrentHashMap.newKeySet())
                    .add(key);
        }
    }

    private void unindex(String key, ObjectNode object) {
        JsonNode labels = object.path("metadata").path("labels");
        for (Iterator<Map.Entry<String, JsonNode>> it = labels.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            Map<String, Set<String>> byValue = labelIndex.get(e.getKey());
            if (byValue != null) {
                Set<String> keys = byValue.get(e.getValue().asText());
                if (keys != null) {
                    keys.remove(key);
                    if (keys.isEmpty()) {
                        byValue.remove(e.getValue().asText());
                    }
                }
            }
        }
    }
}
