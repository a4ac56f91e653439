package dev.kubetest.core.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubetest.core.meta.ApiException.Cause;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A CustomResourceDefinition version's structural OpenAPI v3 schema, applied as the API server does to custom
 * resources: pruning of unknown fields, defaulting, then validation with upstream's messages. Pure functions.
 */
public final class StructuralSchema {
    private StructuralSchema() {}

    /** Removes fields the schema does not declare (unless it preserves unknown fields); returns their paths. */
    public static List<String> prune(ObjectNode obj, JsonNode schema) {
        List<String> out = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = obj.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String k = e.getKey();
            if (k.equals("apiVersion") || k.equals("kind") || k.equals("metadata")) {
                continue;
            }
            JsonNode child = schema.path("properties").get(k);
            if (child == null) {
                if (!preserves(schema)) {
                    out.add(k);
                }
                continue;
            }
            pruneValue(e.getValue(), child, k, out);
        }
        removeTopLevel(obj, schema, out);
        return out;
    }

    private static void removeTopLevel(ObjectNode obj, JsonNode schema, List<String> removed) {
        if (preserves(schema)) {
            return;
        }
        List<String> drop = new ArrayList<>();
        obj.fieldNames().forEachRemaining(n -> {
            if (!n.equals("apiVersion") && !n.equals("kind") && !n.equals("metadata") && !schema.path("properties").has(n)) {
                drop.add(n);
            }
        });
        drop.forEach(obj::remove);
    }

    private static boolean preserves(JsonNode schema) {
        return schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
    }

    private static void pruneValue(JsonNode value, JsonNode schema, String path, List<String> out) {
        if (value instanceof ObjectNode o) {
            if (schema.has("properties")) {
                List<String> drop = new ArrayList<>();
                for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    JsonNode child = schema.path("properties").get(e.getKey());
                    if (child == null) {
                        if (!preserves(schema)) {
                            drop.add(e.getKey());
                            out.add(path + "." + e.getKey());
                        }
                    } else {
                        pruneValue(e.getValue(), child, path + "." + e.getKey(), out);
                    }
                }
                drop.forEach(o::remove);
            } else if (schema.path("additionalProperties").isObject()) {
                for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    pruneValue(e.getValue(), schema.get("additionalProperties"), path + "[" + e.getKey() + "]", out);
                }
            } else if (!preserves(schema) && "object".equals(schema.path("type").asText()) && !o.isEmpty()
                    && !schema.path("x-kubernetes-embedded-resource").asBoolean(false)) {
                o.fieldNames().forEachRemaining(n -> out.add(path + "." + n));
                o.removeAll();
            }
        } else if (value instanceof ArrayNode a && schema.has("items")) {
            for (int i = 0; i < a.size(); i++) {
                pruneValue(a.get(i), schema.get("items"), path + "[" + i + "]", out);
            }
        }
    }

    /** Fills in {@code default}s of missing properties wherever their parent object exists. */
    public static void applyDefaults(JsonNode value, JsonNode schema) {
        if (value instanceof ObjectNode o) {
            for (Iterator<Map.Entry<String, JsonNode>> it = schema.path("properties").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!o.has(e.getKey()) && e.getValue().has("default")) {
                    o.set(e.getKey(), e.getValue().get("default").deepCopy());
                }
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                JsonNode child = schema.path("properties").get(e.getKey());
                if (child == null && schema.path("additionalProperties").isObject()) {
                    child = schema.get("additionalProperties");
                }
                if (child != null) {
                    applyDefaults(e.getValue(), child);
                }
            }
        } else if (value instanceof ArrayNode a && schema.has("items")) {
            a.forEach(item -> applyDefaults(item, schema.get("items")));
        }
    }

    /** Every violation of the schema, as field errors with upstream's messages. */
    public static List<Cause> validate(JsonNode obj, JsonNode schema) {
        List<Cause> out = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = schema.path("properties").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String k = e.getKey();
            if (k.equals("metadata") || k.equals("apiVersion") || k.equals("kind")) {
                continue;
            }
            if (obj.has(k)) {
                check(obj.get(k), e.getValue(), k, out);
            }
        }
        for (JsonNode r : schema.path("required")) {
            if (!obj.has(r.asText()) || obj.get(r.asText()).isNull()) {
                out.add(new Cause("FieldValueRequired", "Required value", r.asText()));
            }
        }
        return out;
    }

    private static void check(JsonNode v, JsonNode s, String path, List<Cause> out) {
        if (v.isNull()) {
            if (!s.path("nullable").asBoolean(false)) {
                out.add(new Cause("FieldValueTypeInvalid", "Invalid value: \"null\": " + path + " in body must be of type "
                        + s.path("type").asText("object") + ": \"null\"", path));
            }
            return;
        }
        boolean intOrString = s.path("x-kubernetes-int-or-string").asBoolean(false);
        String type = s.path("type").asText("");
        if (intOrString) {
            if (!v.isIntegralNumber() && !v.isTextual()) {
                out.add(typeError(v, path, "integer or string"));
                return;
            }
        } else if (!type.isEmpty() && !typeMatches(v, type)) {
            out.add(typeError(v, path, type));
            return;
        }
        if (s.has("enum")) {
            boolean found = false;
            List<String> allowed = new ArrayList<>();
            for (JsonNode e : s.get("enum")) {
                found |= e.equals(v);
                allowed.add(e.toString());
            }
            if (!found) {
                out.add(new Cause("FieldValueNotSupported", "Unsupported value: " + v + ": supported values: "
                        + String.join(", ", allowed), path));
            }
        }
        if (v.isTextual()) {
            String text = v.asText();
            if (s.has("pattern") && !Pattern.compile(s.get("pattern").asText()).matcher(text).find()) {
                out.add(invalid(v, path, path + " in body should match '" + s.get("pattern").asText() + "'"));
            }
            if (s.has("minLength") && text.codePointCount(0, text.length()) < s.get("minLength").asInt()) {
                out.add(invalid(v, path, path + " in body should be at least " + s.get("minLength").asInt() + " chars long"));
            }
            if (s.has("maxLength") && text.codePointCount(0, text.length()) > s.get("maxLength").asInt()) {
                out.add(new Cause("FieldValueTooLong", "Too long: may not be more than " + s.get("maxLength").asInt()
                        + " bytes", path));
            }
            String format = s.path("format").asText("");
            if (!format.isEmpty() && !Formats.valid(format, text)) {
                out.add(invalid(v, path, path + " in body must be of type " + format + ": " + v));
            }
        }
        if (v.isNumber()) {
            double d = v.asDouble();
            if (s.has("minimum")) {
                double min = s.get("minimum").asDouble();
                boolean excl = s.path("exclusiveMinimum").asBoolean(false);
                if (excl ? d <= min : d < min) {
                    out.add(invalid(v, path, path + " in body should be greater than " + (excl ? "" : "or equal to ")
                            + number(s.get("minimum"))));
                }
            }
            if (s.has("maximum")) {
                double max = s.get("maximum").asDouble();
                boolean excl = s.path("exclusiveMaximum").asBoolean(false);
                if (excl ? d >= max : d > max) {
                    out.add(invalid(v, path, path + " in body should be less than " + (excl ? "" : "or equal to ")
                            + number(s.get("maximum"))));
                }
            }
        }
        if (v instanceof ArrayNode a) {
            if (s.has("minItems") && a.size() < s.get("minItems").asInt()) {
                out.add(invalid(Json(a.size()), path, path + " in body should have at least " + s.get("minItems").asInt() + " items"));
            }
            if (s.has("maxItems") && a.size() > s.get("maxItems").asInt()) {
                out.add(new Cause("FieldValueTooMany", "Too many: " + a.size() + ": must have at most "
                        + s.get("maxItems").asInt() + " items", path));
            }
            String listType = s.path("x-kubernetes-list-type").asText("");
            if (listType.equals("set") || s.path("uniqueItems").asBoolean(false)) {
                Set<JsonNode> seen = new HashSet<>();
                for (int i = 0; i < a.size(); i++) {
                    if (!seen.add(a.get(i))) {
                        out.add(new Cause("FieldValueDuplicate", "Duplicate value: " + a.get(i), path + "[" + i + "]"));
                    }
                }
            } else if (listType.equals("map")) {
                Set<String> keys = new HashSet<>();
                for (int i = 0; i < a.size(); i++) {
                    StringBuilder key = new StringBuilder();
                    for (JsonNode k : s.path("x-kubernetes-list-map-keys")) {
                        key.append(a.get(i).path(k.asText())).append('\u0000');
                    }
                    if (!keys.add(key.toString())) {
                        out.add(new Cause("FieldValueDuplicate", "Duplicate value: " + a.get(i), path + "[" + i + "]"));
                    }
                }
            }
            if (s.has("items")) {
                for (int i = 0; i < a.size(); i++) {
                    check(a.get(i), s.get("items"), path + "[" + i + "]", out);
                }
            }
        }
        if (v instanceof ObjectNode o) {
            if (s.has("maxProperties") && o.size() > s.get("maxProperties").asInt()) {
                out.add(new Cause("FieldValueTooMany", "Too many: " + o.size() + ": must have at most "
                        + s.get("maxProperties").asInt() + " items", path));
            }
            if (s.has("minProperties") && o.size() < s.get("minProperties").asInt()) {
                out.add(invalid(Json(o.size()), path, path + " in body should have at least "
                        + s.get("minProperties").asInt() + " properties"));
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                JsonNode child = s.path("properties").get(e.getKey());
                if (child != null) {
                    check(e.getValue(), child, path + "." + e.getKey(), out);
                } else if (s.path("additionalProperties").isObject()) {
                    check(e.getValue(), s.get("additionalProperties"), path + "." + e.getKey(), out);
                }
            }
            for (JsonNode r : s.path("required")) {
                if (!o.has(r.asText())) {
                    out.add(new Cause("FieldValueRequired", "Required value", path + "." + r.asText()));
                }
            }
        }
    }

    private static JsonNode Json(int n) {
        return dev.kubetest.core.json.Json.NODES.numberNode(n);
    }

    private static String number(JsonNode n) {
        return n.isIntegralNumber() || n.asDouble() == Math.rint(n.asDouble()) ? Long.toString(n.asLong()) : n.asText();
    }

    private static boolean typeMatches(JsonNode v, String type) {
        return switch (type) {
            case "string" -> v.isTextual();
            case "integer" -> v.isIntegralNumber() || v.isNumber() && v.asDouble() == Math.rint(v.asDouble());
            case "number" -> v.isNumber();
            case "boolean" -> v.isBoolean();
            case "object" -> v.isObject();
            case "array" -> v.isArray();
            default -> true;
        };
    }

    private static Cause typeError(JsonNode v, String path, String type) {
        String actual = v.isTextual() ? "string" : v.isBoolean() ? "boolean" : v.isIntegralNumber() ? "integer"
                : v.isNumber() ? "number" : v.isArray() ? "array" : "object";
        return new Cause("FieldValueTypeInvalid", "Invalid value: \"" + actual + "\": " + path
                + " in body must be of type " + type + ": \"" + actual + "\"", path);
    }

    private static Cause invalid(JsonNode v, String path, String detail) {
        return new Cause("FieldValueInvalid", "Invalid value: " + v + ": " + detail, path);
    }
}
