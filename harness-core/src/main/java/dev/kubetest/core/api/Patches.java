package dev.kubetest.core.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;

/** JSON Patch (RFC 6902) and JSON Merge Patch (RFC 7386), as pure functions over JSON trees. */
public final class Patches {
    private Patches() {}

    /** RFC 7386: objects merge, null removes, everything else (lists included) replaces. */
    public static JsonNode mergePatch(JsonNode target, JsonNode patch) {
        if (!patch.isObject()) {
            return patch.deepCopy();
        }
        ObjectNode result = target != null && target.isObject() ? ((ObjectNode) target).deepCopy() : dev.kubetest.core.json.Json.object();
        for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getValue().isNull()) {
                result.remove(e.getKey());
            } else {
                result.set(e.getKey(), mergePatch(result.get(e.getKey()), e.getValue()));
            }
        }
        return result;
    }

    /** RFC 6902; a failed {@code test} or a missing path is a 422 as upstream. */
    public static JsonNode jsonPatch(JsonNode target, JsonNode ops) {
        if (!ops.isArray()) {
            throw ApiException.badRequest("json: cannot unmarshal object into Go value of type jsonpatch.Patch");
        }
        JsonNode doc = target.deepCopy();
        for (JsonNode op : ops) {
            String kind = op.path("op").asText();
            String path = op.path("path").asText();
            switch (kind) {
                case "add" -> doc = add(doc, path, op.get("value").deepCopy());
                case "remove" -> doc = remove(doc, path);
                case "replace" -> {
                    doc = remove(doc, path);
                    doc = add(doc, path, op.get("value").deepCopy());
                }
                case "move" -> {
                    JsonNode v = get(doc, op.path("from").asText());
                    doc = remove(doc, op.path("from").asText());
                    doc = add(doc, path, v);
                }
                case "copy" -> doc = add(doc, path, get(doc, op.path("from").asText()).deepCopy());
                case "test" -> {
                    JsonNode actual = get(doc, path);
                    if (!actual.equals(op.get("value"))) {
                        throw invalid("testing value " + path + " failed: test failed");
                    }
                }
                default -> throw invalid("Unexpected kind: " + kind);
            }
        }
        return doc;
    }

    private static ApiException invalid(String message) {
        return new ApiException(422, "Invalid", message, null, null, null, null);
    }

    private static String[] split(String path) {
        if (path.isEmpty()) {
            return new String[0];
        }
        if (!path.startsWith("/")) {
            throw invalid("add operation does not apply: doc is missing path: \"" + path + "\"");
        }
        String[] parts = path.substring(1).split("/", -1);
        for (int i = 0; i < parts.length; i++) {
            parts[i] = parts[i].replace("~1", "/").replace("~0", "~");
        }
        return parts;
    }

    private static JsonNode get(JsonNode doc, String path) {
        JsonNode n = doc;
        for (String p : split(path)) {
            n = n.isArray() ? n.get(index(p, n.size(), path)) : n.get(p);
            if (n == null) {
                throw invalid("doc is missing path: \"" + path + "\": missing value");
            }
        }
        return n;
    }

    private static int index(String p, int size, String path) {
        try {
            int i = Integer.parseInt(p);
            if (i < 0 || i >= size) {
                throw invalid("doc is missing path: \"" + path + "\": missing value");
            }
            return i;
        } catch (NumberFormatException e) {
            throw invalid("doc is missing path: \"" + path + "\": missing value");
        }
    }

    private static JsonNode parentOf(JsonNode doc, String[] parts, String path) {
        JsonNode n = doc;
        for (int i = 0; i < parts.length - 1; i++) {
            n = n.isArray() ? n.get(index(parts[i], n.size(), path)) : n.get(parts[i]);
            if (n == null) {
                throw invalid("add operation does not apply: doc is missing path: \"" + path + "\": missing value");
            }
        }
        return n;
    }

    private static JsonNode add(JsonNode doc, String path, JsonNode value) {
        String[] parts = split(path);
        if (parts.length == 0) {
            return value;
        }
        JsonNode parent = parentOf(doc, parts, path);
        String last = parts[parts.length - 1];
        if (parent instanceof ArrayNode arr) {
            if (last.equals("-")) {
                arr.add(value);
            } else {
                int i = Integer.parseInt(last);
                if (i < 0 || i > arr.size()) {
                    throw invalid("add operation does not apply: doc is missing path: \"" + path + "\"");
                }
                arr.insert(i, value);
            }
        } else if (parent instanceof ObjectNode obj) {
            obj.set(last, value);
        } else {
            throw invalid("add operation does not apply: doc is missing path: \"" + path + "\"");
        }
        return doc;
    }

    private static JsonNode remove(JsonNode doc, String path) {
        String[] parts = split(path);
        JsonNode parent = parentOf(doc, parts, path);
        String last = parts[parts.length - 1];
        if (parent instanceof ArrayNode arr) {
            arr.remove(index(last, arr.size(), path));
        } else if (parent instanceof ObjectNode obj && obj.has(last)) {
            obj.remove(last);
        } else {
            throw invalid("remove operation does not apply: doc is missing path: \"" + path + "\"");
        }
        return doc;
    }
}
