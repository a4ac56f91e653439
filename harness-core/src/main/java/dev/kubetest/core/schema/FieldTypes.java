package dev.kubetest.core.schema;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;

/**
 * Checks a built-in object's values against its model's types, as decoding JSON into upstream's Go structs does,
 * and describes the first mismatch with Go's {@code encoding/json} message ("json: cannot unmarshal string into Go
 * struct field ContainerPort.spec.containers.ports.containerPort of type int32"). Unknown fields are not its
 * business ({@link UnknownFields}). Pure.
 */
public final class FieldTypes {
    private FieldTypes() {}

    /** The decoding error of the first value whose JSON type the model does not accept, if any. */
    public static Optional<String> firstMismatch(JsonNode obj, ModelType type) {
        return object(obj, type, "");
    }

    private static Optional<String> object(JsonNode obj, ModelType type, String path) {
        Map<String, ModelSchema.Property> props = ModelSchema.get().properties(type);
        if (props.isEmpty()) {
            return Optional.empty();
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = obj.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            ModelSchema.Property p = props.get(e.getKey());
            if (p == null) {
                continue;
            }
            String fieldPath = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
            Optional<String> m = value(e.getValue(), p.kind(), p, type, fieldPath, false);
            if (m.isPresent()) {
                return m;
            }
        }
        return Optional.empty();
    }

    /**
     * Checks {@code v} as a value of {@code kind}; {@code element} says whether it is an array's or a map's element
     * (whose kind is {@code p.elementKind()}).
     */
    private static Optional<String> value(JsonNode v, ModelSchema.Kind kind, ModelSchema.Property p, ModelType owner,
                                          String path, boolean element) {
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        switch (kind) {
            case STRING -> {
                if (!v.isTextual()) {
                    return mismatch(v, owner, path, "string");
                }
            }
            case BOOLEAN -> {
                if (!v.isBoolean()) {
                    return mismatch(v, owner, path, "bool");
                }
            }
            case INTEGER -> {
                String goType = p.integer64() ? "int64" : "int32";
                if (!v.isNumber()) {
                    return mismatch(v, owner, path, goType);
                }
                boolean fits = v.isIntegralNumber() && (p.integer64() ? v.canConvertToLong() : v.canConvertToInt());
                if (!fits) { // Go's decoder takes no fraction or exponent into an integer, nor an overflow
                    return Optional.of("json: cannot unmarshal number " + v.asText() + " into Go struct field "
                            + owner.simpleName() + "." + path + " of type " + goType);
                }
            }
            case NUMBER -> {
                if (!v.isNumber()) {
                    return mismatch(v, owner, path, "float64");
                }
            }
            case INT_OR_STRING -> {
                if (!v.isTextual() && !v.isIntegralNumber()) {
                    return mismatch(v, owner, path, "int32");
                }
            }
            case QUANTITY -> {
                if (!v.isTextual() && !v.isNumber()) {
                    return Optional.of("quantities must match the regular expression "
                            + "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'");
                }
            }
            case OBJECT -> {
                if (!v.isObject()) {
                    return mismatch(v, owner, path, goName(p, element));
                }
                if (p.objectType() != null) {
                    return object(v, p.objectType(), path);
                }
            }
            case ARRAY -> {
                if (!v.isArray()) {
                    return mismatch(v, owner, path, goName(p, false));
                }
                for (JsonNode item : v) {
                    Optional<String> m = value(item, p.elementKind() == null ? ModelSchema.Kind.ANY : p.elementKind(), p,
                            owner, path, true);
                    if (m.isPresent()) {
                        return m;
                    }
                }
            }
            case MAP -> {
                if (!v.isObject()) {
                    return mismatch(v, owner, path, goName(p, false));
                }
                for (JsonNode item : v) {
                    Optional<String> m = value(item, p.elementKind() == null ? ModelSchema.Kind.ANY : p.elementKind(), p,
                            owner, path, true);
                    if (m.isPresent()) {
                        return m;
                    }
                }
            }
            default -> { }
        }
        return Optional.empty();
    }

    private static Optional<String> mismatch(JsonNode v, ModelType owner, String path, String goType) {
        return Optional.of("json: cannot unmarshal " + jsonTypeOf(v) + " into Go struct field " + owner.simpleName() + "."
                + path + " of type " + goType);
    }

    /** How Go's decoder names a JSON value's type. */
    public static String jsonTypeOf(JsonNode v) {
        if (v.isTextual()) {
            return "string";
        }
        if (v.isNumber()) {
            return "number";
        }
        if (v.isBoolean()) {
            return "bool";
        }
        if (v.isArray()) {
            return "array";
        }
        return "object";
    }

    /** The Go type of a property (or of its element), as {@code reflect.Type.String()} prints it. */
    static String goName(ModelSchema.Property p, boolean element) {
        if (element) {
            return goScalar(p.elementKind(), p);
        }
        return switch (p.kind()) {
            case ARRAY -> "[]" + goScalar(p.elementKind(), p);
            case MAP -> "map[string]" + goScalar(p.elementKind(), p);
            default -> goScalar(p.kind(), p);
        };
    }

    private static String goScalar(ModelSchema.Kind kind, ModelSchema.Property p) {
        if (kind == null) {
            return "interface {}";
        }
        return switch (kind) {
            case STRING -> "string";
            case BOOLEAN -> "bool";
            case INTEGER -> p.integer64() ? "int64" : "int32";
            case NUMBER -> "float64";
            case INT_OR_STRING -> "intstr.IntOrString";
            case QUANTITY -> "resource.Quantity";
            case OBJECT -> p.objectType() == null ? "map[string]interface {}" : "v1." + p.objectType().simpleName();
            default -> "interface {}";
        };
    }
}
