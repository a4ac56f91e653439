package dev.kubetest.apiserver.table;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.function.BiFunction;

/** One column of a server-side Table: its definition, and how a row's cell is computed from the object. */
public record Column(String name, String type, String format, int priority, String description,
                     BiFunction<JsonNode, Instant, Object> cell) {

    static Column nameColumn() {
        return new Column("Name", "string", "name", 0,
                "Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names",
                (o, now) -> o.path("metadata").path("name").asText());
    }

    static Column ageColumn() {
        return new Column("Age", "string", "", 0,
                "CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata",
                (o, now) -> age(o.path("metadata").path("creationTimestamp").asText(""), now));
    }

    static Column string(String name, BiFunction<JsonNode, Instant, Object> cell) {
        return new Column(name, "string", "", 0, "", cell);
    }

    static Column integer(String name, BiFunction<JsonNode, Instant, Object> cell) {
        return new Column(name, "integer", "", 0, "", cell);
    }

    static Column wide(String name, BiFunction<JsonNode, Instant, Object> cell) {
        return new Column(name, "string", "", 1, "", cell);
    }

    static String age(String timestamp, Instant now) {
        if (timestamp.isEmpty()) {
            return "<unknown>";
        }
        return HumanDuration.format(java.time.Duration.between(Instant.parse(timestamp), now));
    }
}
