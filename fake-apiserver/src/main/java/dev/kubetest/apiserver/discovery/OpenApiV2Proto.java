package dev.kubetest.apiserver.discovery;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.CodedOutputStream;
import dev.kubetest.core.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.Map;

/**
 * Encodes a Swagger 2.0 document as gnostic's {@code openapi.v2.Document} protobuf, the form kubectl asks
 * {@code /openapi/v2} for ({@code application/com.github.proto-openapi.spec.v2@v1.0+protobuf}). Field numbers are
 * those of gnostic's OpenAPIv2.proto; vendor extensions, defaults, enums and examples travel as {@code Any} values
 * whose {@code yaml} field holds their JSON (which is YAML). Pure.
 */
final class OpenApiV2Proto {
    private OpenApiV2Proto() {}

    /** A message being written: fields in order, nested messages as length-delimited bytes. */
    private static final class Msg {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final CodedOutputStream out = CodedOutputStream.newInstance(bytes);

        Msg string(int field, String value) {
            try {
                if (value != null && !value.isEmpty()) {
                    out.writeString(field, value);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return this;
        }

        Msg bool(int field, boolean value) {
            try {
                if (value) {
                    out.writeBool(field, true);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return this;
        }

        Msg int64(int field, long value) {
            try {
                out.writeInt64(field, value);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return this;
        }

        Msg dbl(int field, double value) {
            try {
                out.writeDouble(field, value);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return this;
        }

        Msg message(int field, Msg m) {
            try {
                out.writeByteArray(field, m.toBytes());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return this;
        }

        byte[] toBytes() {
            try {
                out.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return bytes.toByteArray();
        }
    }

    static byte[] document(JsonNode doc) {
        Msg d = new Msg();
        d.string(1, doc.path("swagger").asText("2.0"));
        d.message(2, new Msg().string(1, doc.path("info").path("title").asText())
                .string(2, doc.path("info").path("version").asText()));
        Msg paths = new Msg();
        doc.path("paths").fields().forEachRemaining(e ->
                paths.message(2, new Msg().string(1, e.getKey()).message(2, pathItem(e.getValue()))));
        d.message(8, paths);
        Msg definitions = new Msg();
        doc.path("definitions").fields().forEachRemaining(e ->
                definitions.message(1, new Msg().string(1, e.getKey()).message(2, schema(e.getValue()))));
        d.message(9, definitions);
        return d.toBytes();
    }

    private static Msg pathItem(JsonNode item) {
        Msg m = new Msg();
        String[] verbs = {null, null, "get", "put", "post", "delete", "options", "head", "patch"};
        for (int field = 2; field < verbs.length; field++) {
            JsonNode op = item.get(verbs[field]);
            if (op != null) {
                m.message(field, operation(op));
            }
        }
        return m;
    }

    private static Msg operation(JsonNode op) {
        Msg m = new Msg();
        m.string(3, op.path("description").asText(""));
        m.string(5, op.path("operationId").asText(""));
        for (JsonNode p : op.path("parameters")) {
            Msg query = new Msg().bool(1, p.path("required").asBoolean(false)).string(2, p.path("in").asText("query"))
                    .string(4, p.path("name").asText()).string(6, p.path("type").asText("string"))
                    .bool(20, p.path("uniqueItems").asBoolean(false));
            Msg nonBody = new Msg().message(3, query);
            m.message(8, new Msg().message(1, new Msg().message(2, nonBody)));
        }
        Msg responses = new Msg();
        op.path("responses").fields().forEachRemaining(e -> responses.message(1, new Msg().string(1, e.getKey())
                .message(2, new Msg().message(1, new Msg().string(1, e.getValue().path("description").asText(""))))));
        m.message(9, responses);
        vendorExtensions(m, 13, op);
        return m;
    }

    static Msg schema(JsonNode s) {
        Msg m = new Msg();
        if (!s.isObject()) {
            return m;
        }
        m.string(1, s.path("$ref").asText(""));
        m.string(2, s.path("format").asText(""));
        m.string(3, s.path("title").asText(""));
        m.string(4, s.path("description").asText(""));
        if (s.has("default")) {
            m.message(5, any(s.get("default")));
        }
        number(m, 6, s, "multipleOf");
        number(m, 7, s, "maximum");
        m.bool(8, s.path("exclusiveMaximum").asBoolean(false));
        number(m, 9, s, "minimum");
        m.bool(10, s.path("exclusiveMinimum").asBoolean(false));
        integer(m, 11, s, "maxLength");
        integer(m, 12, s, "minLength");
        m.string(13, s.path("pattern").asText(""));
        integer(m, 14, s, "maxItems");
        integer(m, 15, s, "minItems");
        m.bool(16, s.path("uniqueItems").asBoolean(false));
        integer(m, 17, s, "maxProperties");
        integer(m, 18, s, "minProperties");
        s.path("required").forEach(r -> m.string(19, r.asText()));
        s.path("enum").forEach(v -> m.message(20, any(v)));
        JsonNode additional = s.get("additionalProperties");
        if (additional != null) {
            m.message(21, additional.isBoolean() ? new Msg().bool(2, additional.asBoolean())
                    : new Msg().message(1, schema(additional)));
        }
        if (s.has("type")) {
            Msg type = new Msg();
            if (s.get("type").isArray()) {
                s.get("type").forEach(t -> type.string(1, t.asText()));
            } else {
                type.string(1, s.get("type").asText());
            }
            m.message(22, type);
        }
        if (s.has("items")) {
            Msg items = new Msg();
            if (s.get("items").isArray()) {
                s.get("items").forEach(i -> items.message(1, schema(i)));
            } else {
                items.message(1, schema(s.get("items")));
            }
            m.message(23, items);
        }
        s.path("allOf").forEach(a -> m.message(24, schema(a)));
        if (s.has("properties")) {
            Msg props = new Msg();
            s.get("properties").fields().forEachRemaining(e ->
                    props.message(1, new Msg().string(1, e.getKey()).message(2, schema(e.getValue()))));
            m.message(25, props);
        }
        m.string(26, s.path("discriminator").asText(""));
        m.bool(27, s.path("readOnly").asBoolean(false));
        if (s.has("example")) {
            m.message(30, any(s.get("example")));
        }
        vendorExtensions(m, 31, s);
        return m;
    }

    private static void number(Msg m, int field, JsonNode s, String name) {
        if (s.hasNonNull(name)) {
            m.dbl(field, s.get(name).asDouble());
        }
    }

    private static void integer(Msg m, int field, JsonNode s, String name) {
        if (s.hasNonNull(name)) {
            m.int64(field, s.get(name).asLong());
        }
    }

    private static void vendorExtensions(Msg m, int field, JsonNode node) {
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().startsWith("x-")) {
                m.message(field, new Msg().string(1, e.getKey()).message(2, any(e.getValue())));
            }
        }
    }

    /** gnostic's Any: the value's YAML (JSON is YAML) in field 2, with a trailing newline as YAML encoders write. */
    private static Msg any(JsonNode v) {
        return new Msg().string(2, Json.string(v) + "\n");
    }
}
