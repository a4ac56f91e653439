package dev.kubetest.core.api;

import dev.kubetest.core.meta.MetadataRules;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;

/**
 * etcd's request size limit (1.5 MiB by default), which bounds every object a real API server stores. The size is
 * counted over the JSON tree (strings in UTF-8, keys, punctuation) without writing it, and stops once over. Pure.
 */
final class ObjectSize {
    /** etcd's default {@code --max-request-bytes}. */
    static final long LIMIT = 1536 * 1024;

    private ObjectSize() {}

    static boolean exceedsLimit(JsonNode obj) {
        return size(obj, LIMIT) > LIMIT;
    }

    /** The JSON size of {@code n}, or some figure over {@code budget} once it is known to exceed it. */
    static long size(JsonNode n, long budget) {
        if (n.isTextual()) {
            return MetadataRules.utf8Length(n.textValue()) + 2;
        }
        if (n.isObject()) {
            long total = 2;
            for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext() && total <= budget; ) {
                Map.Entry<String, JsonNode> e = it.next();
                total += MetadataRules.utf8Length(e.getKey()) + 4 + size(e.getValue(), budget - total);
            }
            return total;
        }
        if (n.isArray()) {
            long total = 2;
            for (int i = 0; i < n.size() && total <= budget; i++) {
                total += 1 + size(n.get(i), budget - total);
            }
            return total;
        }
        return n.asText().length();
    }
}
