package dev.kubetest.core.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubetest.core.json.Json;
import java.util.Iterator;
import java.util.Map;

/**
 * Writes an object as upstream's Go types serialise it: a field without {@code omitempty} ({@link RequiredFields})
 * is present even at its zero value ({@code status.replicas: 0}, {@code rules: null}), and a kind's {@code spec}
 * and {@code status}, which are structs rather than pointers, are present even when empty. Applied to what is
 * stored, so every read, list and watch event carries them, as on a real cluster. Mutates the object it is given.
 */
public final class GoZeroValues {
    private GoZeroValues() {}

    /** Fills the zero values of a built-in kind's object of model type {@code type}. */
    public static void fill(ObjectNode obj, ModelType type) {
        Map<String, ModelSchema.Property> props = ModelSchema.get().properties(type);
        for (String struct : new String[] {"spec", "status"}) {
            ModelSchema.Property p = props.get(struct);
            if (p != null && p.kind() == ModelSchema.Kind.OBJECT && p.objectType() != null && !obj.has(struct)) {
                obj.putObject(struct);
            }
        }
        walk(obj, type);
    }

    private static void walk(ObjectNode obj, ModelType type) {
        Map<String, ModelSchema.Property> props = ModelSchema.get().properties(type);
        if (props.isEmpty()) {
            return;
        }
        for (String name : RequiredFields.get().of(type)) {
            ModelSchema.Property p = props.get(name);
            if (p != null && !obj.has(name)) {
                obj.set(name, zero(p));
            }
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = obj.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            ModelSchema.Property p = props.get(e.getKey());
            if (p == null || p.objectType() == null) {
                continue;
            }
            JsonNode v = e.getValue();
            if (p.kind() == ModelSchema.Kind.OBJECT && v instanceof ObjectNode o) {
                walk(o, p.objectType());
            } else if (p.kind() == ModelSchema.Kind.ARRAY && v instanceof ArrayNode a) {
                a.forEach(el -> {
                    if (el instanceof ObjectNode o) {
                        walk(o, p.objectType());
                    }
                });
            } else if (p.kind() == ModelSchema.Kind.MAP && v instanceof ObjectNode m) {
                m.forEach(el -> {
                    if (el instanceof ObjectNode o) {
                        walk(o, p.objectType());
                    }
                });
            }
        }
    }

    /** Go's encoding of a field's zero value: nil slices and maps are null, structs are {} (with their own zeros). */
    private static JsonNode zero(ModelSchema.Property p) {
        if (p.kind() == ModelSchema.Kind.STRING && (p.name().endsWith("Time") || p.name().endsWith("Timestamp"))) {
            return Json.NODES.nullNode(); // a zero metav1.Time or MicroTime is written as null
        }
        return switch (p.kind()) {
            case STRING -> Json.NODES.textNode("");
            case INTEGER, INT_OR_STRING -> Json.NODES.numberNode(0);
            case NUMBER -> Json.NODES.numberNode(0.0);
            case BOOLEAN -> Json.NODES.booleanNode(false);
            case QUANTITY -> Json.NODES.textNode("0");
            case OBJECT -> {
                ObjectNode o = Json.object();
                if (p.objectType() != null) {
                    walk(o, p.objectType());
                }
                yield o;
            }
            default -> Json.NODES.nullNode();
        };
    }
}
