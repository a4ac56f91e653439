package dev.kubetest.core.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubetest.core.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** The {@code metadata.managedFields} of an object: one entry per manager, operation and subresource. */
final class ManagedFields {
    /** One entry. */
    record Entry(String manager, String operation, String apiVersion, String time, String subresource, FieldSet fields) {
        boolean sameOwner(String manager, String operation, String subresource) {
            return this.manager.equals(manager) && this.operation.equals(operation)
                    && Objects.equals(this.subresource, subresource);
        }

        ObjectNode toJson() {
            ObjectNode o = Json.object();
            o.put("manager", manager);
            o.put("operation", operation);
            o.put("apiVersion", apiVersion);
            o.put("time", time);
            o.put("fieldsType", "FieldsV1");
            o.set("fieldsV1", fields.toFieldsV1());
            if (subresource != null) {
                o.put("subresource", subresource);
            }
            return o;
        }
    }

    private ManagedFields() {}

    static List<Entry> read(JsonNode object) {
        List<Entry> out = new ArrayList<>();
        for (JsonNode e : object.path("metadata").path("managedFields")) {
            out.add(new Entry(e.path("manager").asText(), e.path("operation").asText("Update"),
                    e.path("apiVersion").asText(), e.path("time").asText(),
                    e.hasNonNull("subresource") ? e.get("subresource").asText() : null,
                    FieldSet.fromFieldsV1(e.path("fieldsV1"))));
        }
        return out;
    }

    static void write(ObjectNode object, List<Entry> entries) {
        ObjectNode meta = Json.with(object, "metadata");
        ArrayNode arr = Json.NODES.arrayNode();
        for (Entry e : entries) {
            if (!e.fields().isEmpty()) {
                arr.add(e.toJson());
            }
        }
        if (arr.isEmpty()) {
            meta.remove("managedFields");
        } else {
            meta.set("managedFields", arr);
        }
    }
}
