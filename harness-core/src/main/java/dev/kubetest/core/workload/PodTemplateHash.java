package dev.kubetest.core.workload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubetest.core.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code pod-template-hash} of a Deployment's template, as upstream's ComputeHash: FNV-1a (32 bit) of the
 * template and then of the collision count (four bytes, little-endian), its decimal digits written with the
 * alphabet {@code bcdfghjklmnpqrstvwxz2456789}. Upstream hashes Go's printout of the struct; this hashes the
 * template's JSON with sorted keys, so the same template always gives the same hash here, but not the one a real
 * cluster gives. Both the hash and the comparison of templates treat a null, an empty list and an empty map as an
 * absent field, as Go's semantic equality does ({@code creationTimestamp: null}, which Go clients send in templates,
 * is the same template as none).
 */
public final class PodTemplateHash {
    public static final String LABEL = "pod-template-hash";
    private static final String ALPHANUMS = "bcdfghjklmnpqrstvwxz2456789";
    private static final int FNV_OFFSET = 0x811c9dc5;
    private static final int FNV_PRIME = 0x01000193;

    private PodTemplateHash() {}

    /** The hash of {@code template} with {@code collisionCount} (null: none). */
    public static String of(JsonNode template, Integer collisionCount) {
        int h = fnv(FNV_OFFSET, canonical(template).getBytes(StandardCharsets.UTF_8));
        if (collisionCount != null) {
            int c = collisionCount;
            h = fnv(h, new byte[] {(byte) c, (byte) (c >>> 8), (byte) (c >>> 16), (byte) (c >>> 24)});
        }
        return safeEncode(Integer.toUnsignedString(h));
    }

    /** Whether two templates are the same once the {@code pod-template-hash} label is left out of both. */
    public static boolean equalIgnoringHash(JsonNode a, JsonNode b) {
        return canonical(withoutHash(a)).equals(canonical(withoutHash(b)));
    }

    private static JsonNode withoutHash(JsonNode template) {
        if (!template.path("metadata").path("labels").has(LABEL)) {
            return template;
        }
        ObjectNode copy = template.deepCopy();
        ObjectNode labels = (ObjectNode) copy.path("metadata").path("labels");
        labels.remove(LABEL);
        if (labels.isEmpty()) {
            ((ObjectNode) copy.get("metadata")).remove("labels");
        }
        return copy;
    }

    static int fnv(int hash, byte[] data) {
        int h = hash;
        for (byte b : data) {
            h ^= b & 0xff;
            h *= FNV_PRIME;
        }
        return h;
    }

    /** Upstream's SafeEncodeString: each character replaced by an alphanumeric without vowels or look-alikes. */
    static String safeEncode(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            out.append(ALPHANUMS.charAt(s.charAt(i) % ALPHANUMS.length()));
        }
        return out.toString();
    }

    private static boolean absent(JsonNode v) {
        return v.isNull() || (v.isContainerNode() && v.isEmpty());
    }

    /** JSON with object keys in sorted order, so that equal trees give equal text. */
    static String canonical(JsonNode node) {
        if (node.isObject()) {
            Map<String, JsonNode> sorted = new TreeMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!absent(e.getValue())) {
                    sorted.put(e.getKey(), e.getValue());
                }
            }
            StringBuilder sb = new StringBuilder("{");
            sorted.forEach((k, v) -> {
                if (sb.length() > 1) {
                    sb.append(',');
                }
                sb.append(Json.NODES.textNode(k)).append(':').append(canonical(v));
            });
            return sb.append('}').toString();
        }
        if (node.isArray()) {
            StringBuilder sb = new StringBuilder("[");
            for (JsonNode item : node) {
                if (sb.length() > 1) {
                    sb.append(',');
                }
                sb.append(canonical(item));
            }
            return sb.append(']').toString();
        }
        return node.toString();
    }
}
