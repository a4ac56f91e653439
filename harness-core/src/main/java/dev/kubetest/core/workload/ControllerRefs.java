package dev.kubetest.core.workload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubetest.core.json.Json;
import java.util.Optional;

/** Controller references: the one owner reference with {@code controller: true} that says who manages an object. */
public final class ControllerRefs {
    private ControllerRefs() {}

    /** The object's controller reference, if it has one. */
    public static Optional<JsonNode> of(JsonNode obj) {
        for (JsonNode ref : obj.path("metadata").path("ownerReferences")) {
            if (ref.path("controller").asBoolean(false)) {
                return Optional.of(ref);
            }
        }
        return Optional.empty();
    }

    /** The UID of the object's controller, or "" when it has none. */
    public static String uidOf(JsonNode obj) {
        return of(obj).map(r -> r.path("uid").asText("")).orElse("");
    }

    /** Whether {@code owner} (by UID) controls {@code obj}. */
    public static boolean controlledBy(JsonNode obj, JsonNode owner) {
        return uidOf(obj).equals(owner.path("metadata").path("uid").asText());
    }

    /** A controller reference to {@code owner}, as upstream's controllers set it (blockOwnerDeletion true). */
    public static ObjectNode to(JsonNode owner, String apiVersion, String kind) {
        ObjectNode ref = Json.object();
        ref.put("apiVersion", apiVersion);
        ref.put("kind", kind);
        ref.put("name", owner.path("metadata").path("name").asText());
        ref.put("uid", owner.path("metadata").path("uid").asText());
        ref.put("controller", true);
        ref.put("blockOwnerDeletion", true);
        return ref;
    }

    /** Adds {@code ref} to the object's owner references. */
    public static void add(ObjectNode obj, ObjectNode ref) {
        ArrayNode refs = Json.with(obj, "metadata").withArray("ownerReferences");
        refs.add(ref);
    }

    /** Removes the owner reference to {@code ownerUid}; the object is left without the field when none remain. */
    public static void remove(ObjectNode obj, String ownerUid) {
        ObjectNode meta = Json.with(obj, "metadata");
        ArrayNode kept = meta.arrayNode();
        for (JsonNode ref : meta.path("ownerReferences")) {
            if (!ownerUid.equals(ref.path("uid").asText())) {
                kept.add(ref);
            }
        }
        if (kept.isEmpty()) {
            meta.remove("ownerReferences");
        } else {
            meta.set("ownerReferences", kept);
        }
    }
}
