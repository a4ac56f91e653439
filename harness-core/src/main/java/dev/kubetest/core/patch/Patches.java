package dev.kubetest.core.patch;

import com.fasterxml.jackson.databind.JsonNode;
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

    /** RFC 6902 with json-patch v4's semantics ({@link JsonPatch}); a failed operation is upstream's 422. */
    public static JsonNode jsonPatch(JsonNode target, JsonNode ops) {
        return JsonPatch.apply(target, ops);
    }
}
