package dev.kubetest.core.patch;

import dev.kubetest.core.meta.ApiException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * RFC 6902 JSON Patch with the semantics of evanphx/json-patch v4, which kube-apiserver uses: {@code replace} of a
 * member an object lacks sets it, negative array indices count from the end, a {@code test} of a missing member
 * against null passes. A failed operation is upstream's 422 ("the server rejected our request due to an error in
 * our request"), with the library's own text ("replace operation does not apply: doc is missing path: ...") as its
 * cause. Pure: the target is copied, never changed.
 */
final class JsonPatch {
    private JsonPatch() {}

    /** The failure of one operation, in json-patch v4's words. */
    static final class Failure extends RuntimeException {
        Failure(String message) {
            super(message, null, false, false);
        }
    }

    /** A document being patched: the root may be replaced by a whole-document operation. */
    private static final class Doc {
        JsonNode root;

        Doc(JsonNode root) {
            this.root = root;
        }
    }

    /** Where a path points: the container holding its last token, and that token. */
    private record Location(JsonNode container, String key) {}

    static JsonNode apply(JsonNode target, JsonNode ops) {
        if (!ops.isArray()) {
            throw ApiException.badRequest("json: cannot unmarshal " + dev.kubetest.core.schema.FieldTypes.jsonTypeOf(ops)
                    + " into Go value of type jsonpatch.Patch");
        }
        Doc doc = new Doc(target.deepCopy());
        try {
            for (JsonNode op : ops) {
                apply(doc, op);
            }
        } catch (Failure f) {
            throw new ApiException(422, "Invalid", "the server rejected our request due to an error in our request",
                    null, null, null, List.of(new ApiException.Cause(null, f.getMessage(), null)));
        }
        return doc.root;
    }

    private static void apply(Doc doc, JsonNode op) {
        String kind = op.path("op").asText("");
        switch (kind) {
            case "add" -> add(doc, path(op), value(op));
            case "remove" -> remove(doc, path(op));
            case "replace" -> replace(doc, path(op), value(op));
            case "move" -> move(doc, from(op), path(op));
            case "copy" -> copy(doc, from(op), path(op));
            case "test" -> test(doc, path(op), op.get("value"));
            default -> throw new Failure("Unexpected kind: " + kind);
        }
    }

    private static String path(JsonNode op) {
        if (!op.path("path").isTextual()) {
            throw new Failure("operation missing path field: missing value");
        }
        return op.get("path").asText();
    }

    private static String from(JsonNode op) {
        if (!op.path("from").isTextual()) {
            throw new Failure("operation, missing from field: missing value");
        }
        return op.get("from").asText();
    }

    private static JsonNode value(JsonNode op) {
        if (!op.has("value")) {
            throw new Failure("operation, missing value field: missing value");
        }
        return op.get("value").deepCopy();
    }

    /** json-patch's findObject: the container of the path's last token, or null when any step is missing. */
    private static Location locate(Doc doc, String path) {
        String[] parts = path.split("/", -1);
        if (parts.length < 2) {
            return null;
        }
        JsonNode n = doc.root;
        for (int i = 1; i < parts.length - 1; i++) {
            JsonNode next = child(n, decode(parts[i]));
            if (next == null || !(next.isObject() || next.isArray())) {
                return null;
            }
            n = next;
        }
        return new Location(n, decode(parts[parts.length - 1]));
    }

    private static String decode(String token) {
        return token.replace("~1", "/").replace("~0", "~");
    }

    /** An object's member, or an array's element at a valid index; null otherwise. */
    private static JsonNode child(JsonNode container, String key) {
        if (container instanceof ObjectNode o) {
            return o.get(key);
        }
        if (container instanceof ArrayNode a) {
            try {
                return a.get(arrayIndex(a, key, a.size()));
            } catch (Failure f) {
                return null;
            }
        }
        return null;
    }

    /** An index into an array of {@code size} elements, negative ones counted from the end. */
    private static int arrayIndex(ArrayNode a, String key, int size) {
        int idx;
        try {
            idx = Integer.parseInt(key);
        } catch (NumberFormatException e) {
            throw new Failure("strconv.Atoi: parsing \"" + key + "\": invalid syntax");
        }
        int resolved = idx < 0 ? idx + size : idx;
        if (resolved < 0 || resolved >= size) {
            throw new Failure("Unable to access invalid index: " + idx + ": invalid index referenced");
        }
        return resolved;
    }

    /** Adds into a container; the message of a failure is the container's own (wrapped by the caller). */
    private static void addTo(JsonNode container, String key, JsonNode value) {
        if (container instanceof ObjectNode o) {
            o.set(key, value);
            return;
        }
        ArrayNode a = (ArrayNode) container;
        if (key.equals("-")) {
            a.add(value);
            return;
        }
        int idx;
        try {
            idx = Integer.parseInt(key);
        } catch (NumberFormatException e) {
            throw new Failure("value was not a proper array index: '" + key + "': strconv.Atoi: parsing \"" + key
                    + "\": invalid syntax");
        }
        a.insert(arrayIndex(a, Integer.toString(idx), a.size() + 1), value);
    }

    private static void removeFrom(JsonNode container, String key) {
        if (container instanceof ObjectNode o) {
            if (!o.has(key)) {
                throw new Failure("Unable to remove nonexistent key: " + key + ": missing value");
            }
            o.remove(key);
            return;
        }
        ArrayNode a = (ArrayNode) container;
        a.remove(arrayIndex(a, key, a.size()));
    }

    private static void add(Doc doc, String path, JsonNode value) {
        if (path.isEmpty()) {
            doc.root = value;
            return;
        }
        Location at = locate(doc, path);
        if (at == null) {
            throw new Failure("add operation does not apply: doc is missing path: \"" + path + "\": missing value");
        }
        try {
            addTo(at.container(), at.key(), value);
        } catch (Failure f) {
            throw new Failure("error in add for path: '" + path + "': " + f.getMessage());
        }
    }

    private static void remove(Doc doc, String path) {
        Location at = locate(doc, path);
        if (at == null) {
            throw new Failure("remove operation does not apply: doc is missing path: \"" + path + "\": missing value");
        }
        try {
            removeFrom(at.container(), at.key());
        } catch (Failure f) {
            throw new Failure("error in remove for path: '" + path + "': " + f.getMessage());
        }
    }

    private static void replace(Doc doc, String path, JsonNode value) {
        if (path.isEmpty()) {
            if (!value.isObject() && !value.isArray()) {
                throw new Failure("replace operation value must be object or array");
            }
            doc.root = value;
            return;
        }
        Location at = locate(doc, path);
        if (at == null) {
            throw new Failure("replace operation does not apply: doc is missing path: " + path + ": missing value");
        }
        if (at.container() instanceof ObjectNode o) {
            o.set(at.key(), value); // v4: a missing member is set, not refused
            return;
        }
        ArrayNode a = (ArrayNode) at.container();
        int idx;
        try {
            idx = arrayIndex(a, at.key(), a.size());
        } catch (Failure f) {
            throw new Failure("replace operation does not apply: doc is missing key: " + path + ": missing value");
        }
        a.set(idx, value);
    }

    private static void move(Doc doc, String from, String path) {
        Location source = locate(doc, from);
        if (source == null) {
            throw new Failure("move operation does not apply: doc is missing from path: " + from + ": missing value");
        }
        JsonNode value = child(source.container(), source.key());
        try {
            removeFrom(source.container(), source.key());
        } catch (Failure f) {
            throw new Failure("error in move for path: '" + source.key() + "': " + f.getMessage());
        }
        Location target = locate(doc, path);
        if (target == null) {
            throw new Failure("move operation does not apply: doc is missing destination path: " + path + ": missing value");
        }
        try {
            addTo(target.container(), target.key(), value);
        } catch (Failure f) {
            throw new Failure("error in move for path: '" + path + "': " + f.getMessage());
        }
    }

    private static void copy(Doc doc, String from, String path) {
        Location source = locate(doc, from);
        if (source == null) {
            throw new Failure("copy operation does not apply: doc is missing from path: " + from + ": missing value");
        }
        JsonNode value = child(source.container(), source.key());
        if (value == null) {
            throw new Failure("error in copy for from: '" + from + "': missing value");
        }
        Location target = locate(doc, path);
        if (target == null) {
            throw new Failure("copy operation does not apply: doc is missing destination path: " + path + ": missing value");
        }
        try {
            addTo(target.container(), target.key(), value.deepCopy());
        } catch (Failure f) {
            throw new Failure("error while adding value during copy: " + f.getMessage());
        }
    }

    private static void test(Doc doc, String path, JsonNode expected) {
        if (path.isEmpty()) {
            if (!doc.root.equals(expected)) {
                throw new Failure("testing value " + path + " failed: test failed");
            }
            return;
        }
        Location at = locate(doc, path);
        if (at == null) {
            throw new Failure("test operation does not apply: is missing path: " + path + ": missing value");
        }
        JsonNode actual;
        if (at.container() instanceof ArrayNode a) {
            try {
                actual = a.get(arrayIndex(a, at.key(), a.size()));
            } catch (Failure f) {
                throw new Failure("error in test for path: '" + path + "': " + f.getMessage());
            }
        } else {
            actual = at.container().get(at.key());
        }
        boolean expectedNull = expected == null || expected.isNull();
        if (actual == null ? !expectedNull : expected == null || !actual.equals(expected)) {
            throw new Failure("testing value " + path + " failed: test failed");
        }
    }
}
