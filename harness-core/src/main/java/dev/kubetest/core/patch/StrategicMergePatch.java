package dev.kubetest.core.patch;

import dev.kubetest.core.meta.ApiException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import dev.kubetest.core.schema.ModelSchema;
import dev.kubetest.core.schema.ModelType;

/**
 * Strategic merge patch for built-in kinds: maps merge, lists with a merge key merge entry by entry, lists
 * with the merge strategy and no key form a union, other lists are replaced; the directives {@code $patch},
 * {@code $setElementOrder/}, {@code $retainKeys} and {@code $deleteFromPrimitiveList/} are honoured.
 *
 * <p>Which list merges by which key comes from the kind's structure ({@link ModelSchema}, fed by the patch
 * metadata of the built-in types), field by field along the path, as upstream reads its struct tags.
 */
public final class StrategicMergePatch {
    private StrategicMergePatch() {}

    /** Patches {@code original} (an object of model type {@code rootType}, or null when unknown). */
    public static JsonNode apply(JsonNode original, JsonNode patch, ModelType rootType) {
        if (!patch.isObject()) {
            throw ApiException.badRequest("strategic merge patch must be a JSON object");
        }
        return mergeObject(original != null && original.isObject() ? (ObjectNode) original : null,
                (ObjectNode) patch, rootType);
    }

    private static ModelSchema.Property property(ModelType type, String field) {
        return type == null ? null : ModelSchema.get().properties(type).get(field);
    }

    private static JsonNode mergeObject(ObjectNode original, ObjectNode patch, ModelType type) {
        String directive = patch.path("$patch").asText("");
        if (directive.equals("replace")) {
            ObjectNode copy = patch.deepCopy();
            copy.remove("$patch");
            return copy;
        }
        if (directive.equals("delete")) {
            return null;
        }
        ObjectNode result = original == null ? dev.kubetest.core.json.Json.object() : original.deepCopy();
        Map<String, JsonNode> orders = new LinkedHashMap<>();
        JsonNode retainKeys = null;
        for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String k = e.getKey();
            JsonNode v = e.getValue();
            if (k.equals("$patch")) {
                continue;
            }
            if (k.equals("$retainKeys")) {
                retainKeys = v;
                continue;
            }
            if (k.startsWith("$setElementOrder/")) {
                orders.put(k.substring("$setElementOrder/".length()), v);
                continue;
            }
            if (k.startsWith("$deleteFromPrimitiveList/")) {
                String field = k.substring("$deleteFromPrimitiveList/".length());
                JsonNode cur = result.get(field);
                if (cur instanceof ArrayNode arr) {
                    Set<JsonNode> drop = new HashSet<>();
                    v.forEach(drop::add);
                    ArrayNode kept = result.arrayNode();
                    arr.forEach(x -> {
                        if (!drop.contains(x)) {
                            kept.add(x);
                        }
                    });
                    result.set(field, kept);
                }
                continue;
            }
            ModelSchema.Property p = property(type, k);
            if (v.isNull()) {
                result.remove(k);
            } else if (v.isObject()) {
                if (p != null && p.patch() != null && "replace".equals(p.patch().strategy())) {
                    ObjectNode copy = v.deepCopy();
                    copy.remove("$patch");
                    result.set(k, copy);
                    continue;
                }
                JsonNode merged;
                if (p != null && p.kind() == ModelSchema.Kind.MAP) {
                    merged = mergeMap(result.get(k) instanceof ObjectNode o ? o : null, (ObjectNode) v, p.objectType());
                } else {
                    merged = mergeObject(result.get(k) instanceof ObjectNode o ? o : null, (ObjectNode) v,
                            p == null ? null : p.objectType());
                }
                if (merged == null) {
                    result.remove(k);
                } else {
                    result.set(k, merged);
                }
            } else if (v.isArray()) {
                result.set(k, mergeList(result.get(k), (ArrayNode) v, p));
            } else {
                result.set(k, v.deepCopy());
            }
        }
        for (Map.Entry<String, JsonNode> o : orders.entrySet()) {
            JsonNode cur = result.get(o.getKey());
            if (cur instanceof ArrayNode arr) {
                ModelSchema.Property p = property(type, o.getKey());
                result.set(o.getKey(), reorder(arr, o.getValue(), p == null || p.patch() == null ? null : p.patch().mergeKey()));
            }
        }
        if (retainKeys != null && retainKeys.isArray()) {
            Set<String> keep = new HashSet<>();
            retainKeys.forEach(x -> keep.add(x.asText()));
            List<String> names = new ArrayList<>();
            result.fieldNames().forEachRemaining(names::add);
            for (String n : names) {
                if (!keep.contains(n)) {
                    result.remove(n);
                }
            }
        }
        return result;
    }

    /** A map field: keys merge one by one; object values merge with their own type. */
    private static JsonNode mergeMap(ObjectNode original, ObjectNode patch, ModelType valueType) {
        if (patch.path("$patch").asText("").equals("replace")) {
            ObjectNode copy = patch.deepCopy();
            copy.remove("$patch");
            return copy;
        }
        ObjectNode result = original == null ? dev.kubetest.core.json.Json.object() : original.deepCopy();
        for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equals("$patch")) {
                continue;
            }
            if (e.getValue().isNull()) {
                result.remove(e.getKey());
            } else if (e.getValue().isObject() && valueType != null) {
                JsonNode merged = mergeObject(result.get(e.getKey()) instanceof ObjectNode o ? o : null,
                        (ObjectNode) e.getValue(), valueType);
                if (merged == null) {
                    result.remove(e.getKey());
                } else {
                    result.set(e.getKey(), merged);
                }
            } else {
                result.set(e.getKey(), e.getValue().deepCopy());
            }
        }
        return result;
    }

    private static JsonNode mergeList(JsonNode original, ArrayNode patch, ModelSchema.Property p) {
        boolean merge = p != null && p.patch() != null && p.patch().mergeStrategy();
        String key = merge ? p.patch().mergeKey() : null;
        ModelType elementType = p == null ? null : p.objectType();
        if (patch.size() > 0 && patch.get(patch.size() - 1).path("$patch").asText("").equals("replace")
                && patch.get(patch.size() - 1).size() == 1) {
            ArrayNode copy = patch.deepCopy();
            copy.remove(copy.size() - 1);
            return copy;
        }
        if (!merge || !(original instanceof ArrayNode orig)) {
            ArrayNode out = patch.arrayNode();
            for (JsonNode item : patch) {
                if (item.isObject() && item.has("$patch")) {
                    if (item.path("$patch").asText().equals("delete")) {
                        continue;
                    }
                    ObjectNode c = item.deepCopy();
                    c.remove("$patch");
                    out.add(c);
                } else {
                    out.add(item.deepCopy());
                }
            }
            return out;
        }
        ArrayNode out = orig.deepCopy();
        if (key == null) {
            Set<JsonNode> present = new HashSet<>();
            out.forEach(present::add);
            for (JsonNode item : patch) {
                if (present.add(item)) {
                    out.add(item.deepCopy());
                }
            }
            return out;
        }
        for (JsonNode item : patch) {
            if (!item.isObject()) {
                out.add(item.deepCopy());
                continue;
            }
            JsonNode id = item.get(key);
            int idx = -1;
            for (int i = 0; i < out.size(); i++) {
                if (id != null && id.equals(out.get(i).get(key))) {
                    idx = i;
                    break;
                }
            }
            JsonNode merged = mergeObject(idx >= 0 ? (ObjectNode) out.get(idx) : null, (ObjectNode) item, elementType);
            if (idx >= 0) {
                if (merged == null) {
                    out.remove(idx);
                } else {
                    out.set(idx, merged);
                }
            } else if (merged != null) {
                out.add(merged);
            }
        }
        return out;
    }

    private static ArrayNode reorder(ArrayNode list, JsonNode order, String key) {
        ArrayNode out = list.arrayNode();
        List<JsonNode> remaining = new ArrayList<>();
        list.forEach(remaining::add);
        for (JsonNode o : order) {
            for (Iterator<JsonNode> it = remaining.iterator(); it.hasNext(); ) {
                JsonNode item = it.next();
                boolean match = key == null ? item.equals(o) : item.path(key).equals(o.path(key));
                if (match) {
                    out.add(item);
                    it.remove();
                    break;
                }
            }
        }
        remaining.forEach(out::add);
        return out;
    }
}
