package dev.kubetest.core.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/** Merges an applied configuration into the live object, field by field as the apply schema says. Pure. */
final class ApplyMerge {
    private ApplyMerge() {}

    static ObjectNode merge(ObjectNode live, JsonNode config, ApplySchema schema) {
        ObjectNode out = live == null ? dev.kubetest.core.json.Json.object() : live.deepCopy();
        for (Iterator<Map.Entry<String, JsonNode>> it = config.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String k = e.getKey();
            JsonNode v = e.getValue();
            if (v.isNull()) {
                out.remove(k);
                continue;
            }
            ApplySchema.FieldRule rule = schema.field(k);
            out.set(k, value(out.get(k), v, rule, schema, k));
        }
        return out;
    }

    private static JsonNode value(JsonNode live, JsonNode config, ApplySchema.FieldRule rule, ApplySchema parent,
                                  String name) {
        if (config.isObject() && !rule.atomic()) {
            if (rule.isMap()) {
                ObjectNode out = live instanceof ObjectNode o ? o.deepCopy() : dev.kubetest.core.json.Json.object();
                for (Iterator<Map.Entry<String, JsonNode>> it = config.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    if (e.getValue().isNull()) {
                        out.remove(e.getKey());
                    } else if (e.getValue().isObject() && rule.child().type() != null) {
                        out.set(e.getKey(), merge(out.get(e.getKey()) instanceof ObjectNode o ? o : null,
                                e.getValue(), rule.child()));
                    } else {
                        out.set(e.getKey(), e.getValue().deepCopy());
                    }
                }
                return out;
            }
            return merge(live instanceof ObjectNode o ? o : null, config, rule.child());
        }
        if (config.isArray() && live instanceof ArrayNode liveList) {
            if (rule.listType().equals("map") && !rule.keys().isEmpty()) {
                ArrayNode out = liveList.deepCopy();
                boolean atomicElements = parent.elementsAtomic(name);
                for (JsonNode el : config) {
                    String key = FieldPaths.keyOf(el, rule.keys(), rule.keyDefaults());
                    int idx = -1;
                    for (int i = 0; i < out.size(); i++) {
                        if (FieldPaths.keyOf(out.get(i), rule.keys(), rule.keyDefaults()).equals(key)) {
                            idx = i;
                            break;
                        }
                    }
                    JsonNode merged = idx < 0 || atomicElements || !el.isObject() ? el.deepCopy()
                            : merge((ObjectNode) out.get(idx), el, rule.child());
                    if (idx < 0) {
                        out.add(merged);
                    } else {
                        out.set(idx, merged);
                    }
                }
                return out;
            }
            if (rule.listType().equals("set")) {
                ArrayNode out = liveList.deepCopy();
                Set<JsonNode> present = new HashSet<>();
                out.forEach(present::add);
                for (JsonNode el : config) {
                    if (present.add(el)) {
                        out.add(el.deepCopy());
                    }
                }
                return out;
            }
        }
        return config.deepCopy();
    }

    static boolean sameValue(JsonNode a, JsonNode b) {
        if (a == null || b == null) {
            return a == b;
        }
        return a.equals(b);
    }

}
