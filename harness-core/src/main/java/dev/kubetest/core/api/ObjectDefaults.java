package dev.kubetest.core.api;

import dev.kubetest.core.meta.ResourceType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubetest.core.json.Json;

/**
 * What the API server fills in on create and keeps on update for particular kinds (the strategies of
 * upstream's registry). Admission defaulting of pod and workload specs comes with its own issue.
 */
final class ObjectDefaults {
    private ObjectDefaults() {}

    /** PrepareForCreate: a kind with a status starts with an empty one, then the kind's own rules. */
    static void prepareForCreate(ResourceType type, ObjectNode obj) {
        if (type.hasStatus() && type.builtIn()) {
            obj.set("status", Json.object());
        } else if (type.hasStatus()) {
            obj.remove("status");
        }
        dev.kubetest.core.admission.KindStrategies.of(type).prepareForCreate(obj);
    }

    /** PrepareForUpdate: applied to every update of the main resource. */
    static void prepareForUpdate(ResourceType type, ObjectNode obj, JsonNode old) {
        dev.kubetest.core.admission.KindStrategies.of(type).prepareForUpdate(obj, old);
    }
}
