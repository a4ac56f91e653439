package dev.kubetest.core.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Removes the fields a built-in kind does not have (as decoding into upstream's Go structs does) and reports
 * their paths in upstream's form ({@code spec.containers[0].foo}), for {@code fieldValidation}.
 */
public final class UnknownFields {
    private UnknownFields() {}

    /** Prunes {@code obj} (an object of model type {@code type}) in place; returns the paths removed. */
    public static List<String> prune(ObjectNode obj, ModelType type) {
        List<String> out = new ArrayList<>();
        walk(obj, type, "", out);
        return out;
    }

    private static void walk(ObjectNode obj, ModelType type, String prefix, List<String> out) {
        Map<String, ModelSchema.Property> props = ModelSchema.get().properties(type);
        if (props.isEmpty()) {
            return; // a free-form type (FieldsV1, RawExtension...): anything goes
        }
        List<String> unknown = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = obj.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            ModelSchema.Property p = props.get(e.getKey());
            String path = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
            if (p == null) {
                unknown.add(e.getKey());
                out.add(path);
                continue;
            }
            descend(e.getValue(), p, path, out);
        }
        unknown.forEach(obj::remove);
    }

    private static void descend(JsonNode v, ModelSchema.Property p, String path, List<String> out) {
        if (p.objectType() == null) {
            return;
        }
        switch (p.kind()) {
            case OBJECT -> {
                if (v instanceof ObjectNode o) {
                    walk(o, p.objectType(), path, out);
                }
            }
            case ARRAY -> {
                if (v instanceof ArrayNode a) {
                    for (int i = 0; i < a.size(); i++) {
                        if (a.get(i) instanceof ObjectNode o) {
                            walk(o, p.objectType(), path + "[" + i + "]", out);
                        }
                    }
                }
            }
            case MAP -> {
                if (v instanceof ObjectNode m) {
                    for (Iterator<Map.Entry<String, JsonNode>> it = m.fields(); it.hasNext(); ) {
                        Map.Entry<String, JsonNode> e = it.next();
                        if (e.getValue() instanceof ObjectNode o) {
                            walk(o, p.objectType(), path + "[" + e.getKey() + "]", out);
                        }
                    }
                }
            }
            default -> { }
        }
    }
}
