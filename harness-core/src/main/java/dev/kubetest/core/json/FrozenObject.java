package dev.kubetest.core.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/** A read-only JSON object (its children in a {@link FrozenMap}); {@link StoredObject} is the root the store keeps. */
public class FrozenObject extends ObjectNode {
    private static final long serialVersionUID = 1L;

    FrozenObject(Map<String, JsonNode> children) {
        super(Json.NODES, children);
    }

    /** A read-only JSON array. */
    static final class Array extends ArrayNode {
        private static final long serialVersionUID = 1L;

        Array(List<JsonNode> children) {
            super(Json.NODES, children);
        }
    }
}
