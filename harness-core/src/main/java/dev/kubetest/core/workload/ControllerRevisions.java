package dev.kubetest.core.workload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubetest.core.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * ControllerRevisions of StatefulSets and DaemonSets, as upstream's history package makes them: the revision's data is
 * the patch that restores the template ({@code {"spec":{"template":{..., "$patch":"replace"}}}}), its name
 * {@code <owner>-<hash>} with the hash of that data (FNV-1a, upstream's alphabet; the collision count mixed in),
 * labelled with the owner's selector and {@code controller.kubernetes.io/hash}. Pure.
 */
public final class ControllerRevisions {
    public static final String HASH_LABEL = "controller.kubernetes.io/hash";
    public static final String POD_LABEL = "controller-revision-hash";

    private ControllerRevisions() {}

    /** The revision data of an owner's current template. */
    public static ObjectNode data(JsonNode owner) {
        ObjectNode data = Json.object();
        ObjectNode template = owner.path("spec").path("template").deepCopy();
        template.put("$patch", "replace");
        data.putObject("spec").set("template", template);
        return data;
    }

    public static String hash(JsonNode data, Integer collisionCount) {
        int h = PodTemplateHash.fnv(0x811c9dc5, PodTemplateHash.canonical(data).getBytes(StandardCharsets.UTF_8));
        if (collisionCount != null) {
            int c = collisionCount;
            h = PodTemplateHash.fnv(h, new byte[] {(byte) c, (byte) (c >>> 8), (byte) (c >>> 16), (byte) (c >>> 24)});
        }
        return PodTemplateHash.safeEncode(Integer.toUnsignedString(h));
    }

    /** A new revision of {@code owner} (kind apps/v1 {@code ownerKind}) with {@code number}. */
    public static ObjectNode revision(JsonNode owner, String ownerKind, ObjectNode data, long number, Integer collisionCount) {
        String hash = hash(data, collisionCount);
        ObjectNode rev = Json.object();
        rev.put("apiVersion", "apps/v1");
        rev.put("kind", "ControllerRevision");
        ObjectNode meta = rev.putObject("metadata");
        meta.put("name", owner.path("metadata").path("name").asText() + "-" + hash);
        meta.put("namespace", owner.path("metadata").path("namespace").asText());
        ObjectNode labels = meta.putObject("labels");
        owner.path("spec").path("selector").path("matchLabels").fields()
                .forEachRemaining(e -> labels.set(e.getKey(), e.getValue()));
        labels.put(HASH_LABEL, hash);
        meta.putArray("ownerReferences").add(ControllerRefs.to(owner, "apps/v1", ownerKind));
        rev.set("data", data);
        rev.put("revision", number);
        return rev;
    }

    /** The existing revision whose data equals {@code data}, if there is one. */
    public static Optional<JsonNode> matching(List<? extends JsonNode> revisions, JsonNode data) {
        String wanted = PodTemplateHash.canonical(data);
        return revisions.stream().filter(r -> PodTemplateHash.canonical(r.path("data")).equals(wanted))
                .map(r -> (JsonNode) r).findFirst();
    }

    public static long maxRevision(List<? extends JsonNode> revisions) {
        return revisions.stream().mapToLong(r -> r.path("revision").asLong()).max().orElse(0);
    }

    /** The template a revision restores. */
    public static JsonNode template(JsonNode revision) {
        ObjectNode t = revision.path("data").path("spec").path("template").deepCopy();
        t.remove("$patch");
        return t;
    }
}
