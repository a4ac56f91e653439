package dev.kubetest.core.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubetest.core.json.Json;

/** CustomResourceDefinitions: the customresourcecleanup finalizer, so the CRD outlives its custom resources. */
final class CustomResourceDefinitionStrategy implements KindStrategy {
    static final String CLEANUP = "customresourcecleanup.apiextensions.k8s.io";

    @Override
    public void prepareForCreate(ObjectNode obj) {
        ObjectNode meta = Json.with(obj, "metadata");
        ArrayNode finalizers = meta.path("finalizers").isArray() ? (ArrayNode) meta.get("finalizers") : meta.putArray("finalizers");
        boolean present = false;
        for (JsonNode f : finalizers) {
            present |= f.asText().equals(CLEANUP);
        }
        if (!present) {
            finalizers.add(CLEANUP);
        }
    }
}
