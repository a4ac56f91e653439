package dev.kubetest.core.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubetest.core.json.Json;

/** Finalizers admission adds. */
final class Finalizers {
    private Finalizers() {}

    static void ensure(ObjectNode obj, String finalizer) {
        ObjectNode meta = Json.with(obj, "metadata");
        for (JsonNode f : meta.path("finalizers")) {
            if (finalizer.equals(f.asText())) {
                return;
            }
        }
        meta.withArray("finalizers").add(finalizer);
    }
}
