package dev.kubetest.core.meta;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** An object's {@code metadata.finalizers}: present, added once, removed (the field goes when none is left). */
public final class Finalizers {
    private Finalizers() {}

    public static boolean has(JsonNode obj, String finalizer) {
        for (JsonNode f : obj.path("metadata").path("finalizers")) {
            if (finalizer.equals(f.asText())) {
                return true;
            }
        }
        return false;
    }

    public static void ensure(ObjectNode obj, String finalizer) {
        if (!has(obj, finalizer)) {
            obj.with("metadata").withArray("finalizers").add(finalizer);
        }
    }

    public static void remove(ObjectNode obj, String finalizer) {
        ObjectNode meta = obj.with("metadata");
        ArrayNode kept = meta.arrayNode();
        meta.path("finalizers").forEach(f -> {
            if (!finalizer.equals(f.asText())) {
                kept.add(f);
            }
        });
        if (kept.isEmpty()) {
            meta.remove("finalizers");
        } else {
            meta.set("finalizers", kept);
        }
    }
}
