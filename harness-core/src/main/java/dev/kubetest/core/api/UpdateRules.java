package dev.kubetest.core.api;

import dev.kubetest.core.meta.ApiException;
import dev.kubetest.core.meta.ResourceType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubetest.core.json.Json;
import java.util.List;
import java.util.Set;

/**
 * What every update does to the proposed object, whichever verb made it: fields clients cannot change are
 * kept, the status subresource rules apply, generation follows the spec, and finalizers cannot be added to an
 * object being deleted. Pure functions of the old and proposed objects.
 */
final class UpdateRules {
    private static final List<String> METADATA_DROPPED_WHEN_EMPTY = List.of("annotations", "labels", "finalizers",
            "ownerReferences", "managedFields");

    private UpdateRules() {}

    /** Keeps what a client cannot change, applies the status rules, and bumps generation on spec changes. */
    static ObjectNode finishUpdate(ResourceType type, ObjectNode old, ObjectNode proposed, KubeApi.Target target) {
        ObjectNode oldMeta = (ObjectNode) old.get("metadata");
        ObjectNode next;
        if (target == KubeApi.Target.BIND) {
            next = old.deepCopy();
            Json.with(next, "spec").set("nodeName", proposed.path("spec").path("nodeName").deepCopy());
            next.set("status", proposed.path("status").deepCopy());
        } else if (target == KubeApi.Target.FINALIZE) {
            next = old.deepCopy();
            JsonNode finalizers = proposed.path("spec").get("finalizers");
            if (finalizers == null || finalizers.isNull()) {
                Json.with(next, "spec").remove("finalizers");
            } else {
                Json.with(next, "spec").set("finalizers", finalizers.deepCopy());
            }
        } else if (target == KubeApi.Target.EPHEMERAL_CONTAINERS) {
            // pods/ephemeralcontainers changes the ephemeral containers and nothing else of the pod
            next = old.deepCopy();
            JsonNode ephemeral = proposed.path("spec").get("ephemeralContainers");
            if (ephemeral == null || ephemeral.isNull()) {
                Json.with(next, "spec").remove("ephemeralContainers");
            } else {
                Json.with(next, "spec").set("ephemeralContainers", ephemeral.deepCopy());
            }
        } else if (target == KubeApi.Target.APPROVAL) {
            // certificatesigningrequests/approval: the conditions change, nothing else
            next = old.deepCopy();
            JsonNode conditions = proposed.path("status").get("conditions");
            if (conditions == null || conditions.isNull()) {
                Json.with(next, "status").remove("conditions");
            } else {
                Json.with(next, "status").set("conditions", conditions.deepCopy());
            }
        } else if (target == KubeApi.Target.STATUS) {
            next = old.deepCopy();
            if (proposed.has("status")) {
                next.set("status", proposed.get("status").deepCopy());
            } else {
                next.remove("status");
            }
        } else {
            next = proposed;
            if (type.hasStatus()) {
                if (old.has("status")) {
                    next.set("status", old.get("status").deepCopy());
                } else {
                    next.remove("status");
                }
            }
            ObjectDefaults.prepareForUpdate(type, next, old);
        }
        next.put("apiVersion", old.path("apiVersion").asText(type.apiVersion()));
        next.put("kind", type.kind());
        ObjectNode meta = Json.with(next, "metadata");
        String uid = meta.path("uid").asText("");
        if (!uid.isEmpty() && !uid.equals(oldMeta.path("uid").asText())) {
            throw ApiException.conflict(type, oldMeta.path("name").asText(), "Precondition failed: UID in precondition: "
                    + uid + ", UID in object meta: " + oldMeta.path("uid").asText());
        }
        if (target != KubeApi.Target.MAIN) {
            JsonNode mf = proposed.path("metadata").get("managedFields");
            if (mf != null) {
                meta.set("managedFields", mf.deepCopy());
            }
        }
        for (String f : List.of("name", "namespace", "uid", "creationTimestamp", "deletionTimestamp",
                "deletionGracePeriodSeconds", "generation")) {
            if (oldMeta.has(f)) {
                meta.set(f, oldMeta.get(f).deepCopy());
            } else {
                meta.remove(f);
            }
        }
        if (oldMeta.hasNonNull("deletionTimestamp")) {
            checkNoNewFinalizers(type, oldMeta, meta);
        }
        for (String f : METADATA_DROPPED_WHEN_EMPTY) {
            if (meta.has(f) && (meta.get(f).isNull() || meta.get(f).isContainerNode() && meta.get(f).isEmpty())) {
                meta.remove(f);
            }
        }
        if (type.tracksGeneration() && target == KubeApi.Target.MAIN && specChanged(old, next)) {
            meta.put("generation", oldMeta.path("generation").asLong(0) + 1);
        }
        return next;
    }

    private static void checkNoNewFinalizers(ResourceType type, ObjectNode oldMeta, ObjectNode meta) {
        Set<String> before = new java.util.HashSet<>();
        oldMeta.path("finalizers").forEach(f -> before.add(f.asText()));
        for (JsonNode f : meta.path("finalizers")) {
            if (!before.contains(f.asText())) {
                throw ApiException.invalid(type, oldMeta.path("name").asText(), List.of(new ApiException.Cause(
                        "FieldValueForbidden", "Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{\""
                        + f.asText() + "\"}", "metadata.finalizers")));
            }
        }
    }

    private static boolean specChanged(ObjectNode old, ObjectNode next) {
        ObjectNode a = old.deepCopy();
        ObjectNode b = next.deepCopy();
        for (ObjectNode o : List.of(a, b)) {
            o.remove("metadata");
            o.remove("status");
        }
        return !a.equals(b);
    }

    /** The object without what a no-op write may change: resourceVersion and managedFields times. */
    static ObjectNode stripVolatile(ObjectNode o) {
        ObjectNode c = o.deepCopy();
        ObjectNode m = (ObjectNode) c.get("metadata");
        m.remove("resourceVersion");
        for (JsonNode e : m.path("managedFields")) {
            ((ObjectNode) e).remove("time");
        }
        return c;
    }
}
