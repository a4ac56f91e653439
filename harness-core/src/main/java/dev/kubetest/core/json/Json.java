package dev.kubetest.core.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * JSON for every component. Trees are read and written with Jackson's streaming API ({@link JsonTrees}); the
 * {@link ObjectMapper}, which only typed models need, is made on first use. A mapper is thread-safe and holds no
 * cluster state, so one immutable instance per JVM is fine (it is configured once, here, and never changed).
 */
public final class Json {
    public static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private Json() {}

    /** The mapper for typed models (fabric8 objects, maps, records). */
    public static ObjectMapper mapper() {
        return Mapper.INSTANCE;
    }

    /** Holds the mapper, so that it is made when first asked for and not when this class loads. */
    private static final class Mapper {
        static final ObjectMapper INSTANCE = new ObjectMapper()
                .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    }

    public static ObjectNode object() {
        return NODES.objectNode();
    }

    public static byte[] bytes(Object value) {
        if (value instanceof JsonNode node) {
            try {
                return JsonTrees.bytes(node);
            } catch (JsonTrees.NotPlainJson e) {
                // a POJO inside: the mapper below writes it
            }
        }
        try {
            return mapper().writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String string(Object value) {
        if (value instanceof JsonNode node) {
            try {
                return JsonTrees.string(node);
            } catch (JsonTrees.NotPlainJson e) {
                // a POJO inside: the mapper below writes it
            }
        }
        try {
            return mapper().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static JsonNode parse(byte[] bytes) throws IOException {
        return JsonTrees.read(bytes);
    }

    public static JsonNode parse(java.io.InputStream in) throws IOException {
        return JsonTrees.read(in);
    }

    /** The next value a parser (JSON, YAML...) yields, as a tree. */
    public static JsonNode parse(com.fasterxml.jackson.core.JsonParser parser) throws IOException {
        return JsonTrees.read(parser);
    }

    public static JsonNode parse(String text) {
        try {
            return JsonTrees.read(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Converts a typed model (for instance a fabric8 {@code HasMetadata}) to a JSON tree. */
    public static ObjectNode toObject(Object value) {
        return mapper().valueToTree(value);
    }

    public static <T> T convert(JsonNode node, Class<T> type) {
        return mapper().convertValue(node, type);
    }

    /** Text at a dotted path such as {@code metadata.name}, or null when any part is missing. */
    public static String text(JsonNode node, String... path) {
        JsonNode n = node;
        for (String p : path) {
            if (n == null) {
                return null;
            }
            n = n.get(p);
        }
        return n == null || n.isNull() || n.isContainerNode() ? null : n.asText();
    }

    /** The object at {@code key}, created when absent (or replaced when not an object). */
    public static ObjectNode with(ObjectNode node, String key) {
        JsonNode child = node.get(key);
        if (child instanceof ObjectNode o) {
            return o;
        }
        return node.putObject(key);
    }
}
