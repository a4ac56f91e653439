package dev.kubetest.core.api;

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

/**
 * Strategic merge patch for built-in kinds: maps merge, lists with a merge key merge entry by entry, lists
 * with the merge strategy and no key form a union, other lists are replaced; the directives {@code $patch},
 * {@code $setElementOrder/}, {@code $retainKeys} and {@code $deleteFromPrimitiveList/} are honoured.
 *
 * <p>Merge keys come from a {@link MergeKeys} lookup by field name (see {@link #DEFAULT_KEYS}); a lookup by full
 * field path will replace it (docs/limitations.md).
 */
public final class StrategicMergePatch {
    /** The merge strategy of a list field: its merge key, {@code ""} for a scalar union, or null to replace. */
    @FunctionalInterface
    public interface MergeKeys {
        String keyFor(String field);
    }

    public static final MergeKeys DEFAULT_KEYS = field -> switch (field) {
        case "containers", "initContainers", "ephemeralContainers", "volumes", "env", "volumeMounts",
                "imagePullSecrets", "secrets", "resourceClaims", "schedulingGates" -> "name";
        case "ports" -> "containerPort";
        case "volumeDevices" -> "devicePath";
        case "conditions" -> "type";
        case "finalizers" -> "";
        case "ownerReferences" -> "uid";
        case "hostAliases" -> "ip";
        case "topologySpreadConstraints" -> "topologyKey";
        case "readinessGates" -> "conditionType";
        default -> null;
    };

    private StrategicMergePatch() {}

    public static JsonNode apply(JsonNode original, JsonNode patch, MergeKeys keys) {
        if (!patch.isObject()) {
            throw ApiException.badRequest("strategic merge patch must be a JSON object");
        }
        return mergeObject(original != null && original.isObject() ? (ObjectNode) original : null,
                (ObjectNode) patch, keys);
    }

    private static JsonNode mergeObject(ObjectNode original, ObjectNode patch, MergeKeys keys) {
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
            if (v.isNull()) {
                result.remove(k);
            } else if (v.isObject()) {
                JsonNode merged = mergeObject(result.get(k) instanceof ObjectNode o ? o : null, (ObjectNode) v, keys);
                if (merged == null) {
                    result.remove(k);
                } else {
                    result.set(k, merged);
                }
            } else if (v.isArray()) {
                result.set(k, mergeList(result.get(k), (ArrayNode) v, keys.keyFor(k), keys));
            } else {
                result.set(k, v.deepCopy());
            }
        }
        for (Map.Entry<String, JsonNode> o : orders.entrySet()) {
            JsonNode cur = result.get(o.getKey());
            if (cur instanceof ArrayNode arr) {
                result.set(o.getKey(), reorder(arr, o.getValue(), keys.keyFor(o.getKey())));
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

    private static JsonNode mergeList(JsonNode original, ArrayNode patch, String key, MergeKeys keys) {
        if (patch.size() > 0 && patch.get(patch.size() - 1).path("$patch").asText("").equals("replace")
                && patch.get(patch.size() - 1).size() == 1) {
            ArrayNode copy = patch.deepCopy();
            copy.remove(copy.size() - 1);
            return copy;
        }
        if (key == null || !(original instanceof ArrayNode orig)) {
            ArrayNode out = patch.arrayNode();
            for (JsonNode p : patch) {
                if (p.isObject() && p.has("$patch")) {
                    if (p.path("$patch").asText().equals("delete")) {
                        continue;
                    }
                    ObjectNode c = p.deepCopy();
                    c.remove("$patch");
                    out.add(c);
                } else {
                    out.add(p.deepCopy());
                }
            }
            return out;
        }
        ArrayNode out = orig.deepCopy();
        if (key.isEmpty()) {
            Set<JsonNode> present = new HashSet<>();
            out.forEach(present::add);
            for (JsonNode p : patch) {
                if (present.add(p)) {
                    out.add(p.deepCopy());
                }
            }
            return out;
        }
        for (JsonNode p : patch) {
            if (!p.isObject()) {
                out.add(p.deepCopy());
                continue;
            }
            JsonNode id = p.get(key);
            int idx = -1;
            for (int i = 0; i < out.size(); i++) {
                if (id != null && id.equals(out.get(i).get(key))) {
                    idx = i;
                    break;
                }
            }
            JsonNode merged = mergeObject(idx >= 0 ? (ObjectNode) out.get(idx) : null, (ObjectNode) p, keys);
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
                boolean match = key == null || key.isEmpty() ? item.equals(o)
                        : item.path(key).equals(o.path(key));
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
