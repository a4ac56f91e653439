package dev.kubetest.core.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.Map;

/**
 * Reads and writes JSON trees with Jackson's streaming parser and generator alone. The API server and the
 * controllers only ever handle trees, and an {@code ObjectMapper} is costly to start (a few hundred classes and
 * ~150 ms in a fresh JVM), so trees go through here and the mapper is made only when a typed model is converted.
 * The trees are the ones {@code ObjectMapper.readTree} makes (ints as int, long or big-integer nodes by size,
 * other numbers as doubles, the last of duplicate keys wins) and are written as it writes them.
 */
final class JsonTrees {
    private static final JsonFactory FACTORY = new JsonFactory();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private JsonTrees() {}

    static JsonNode read(byte[] bytes) throws IOException {
        try (JsonParser p = FACTORY.createParser(bytes)) {
            return read(p);
        }
    }

    static JsonNode read(String text) throws IOException {
        try (JsonParser p = FACTORY.createParser(text)) {
            return read(p);
        }
    }

    static JsonNode read(InputStream in) throws IOException {
        try (JsonParser p = FACTORY.createParser(in)) {
            return read(p);
        }
    }

    /** The parser's next value (a missing node when there is none), as {@code readTree} returns it. */
    static JsonNode read(JsonParser p) throws IOException {
        JsonToken t = p.nextToken();
        if (t == null) {
            return MissingNode.getInstance();
        }
        if (!t.isStructStart()) {
            return scalar(p, t);
        }
        // iterative, so deep documents fail with the parser's nesting limit rather than a stack overflow
        Deque<JsonNode> open = new ArrayDeque<>();
        JsonNode root = t == JsonToken.START_OBJECT ? NODES.objectNode() : NODES.arrayNode();
        open.push(root);
        String field = null;
        while (!open.isEmpty()) {
            t = p.nextToken();
            if (t == null) {
                throw new com.fasterxml.jackson.core.io.JsonEOFException(p, null, "Unexpected end-of-input");
            }
            JsonNode parent = open.peek();
            switch (t) {
                case FIELD_NAME -> field = p.currentName();
                case END_OBJECT, END_ARRAY -> open.pop();
                case START_OBJECT, START_ARRAY -> {
                    JsonNode child = t == JsonToken.START_OBJECT ? NODES.objectNode() : NODES.arrayNode();
                    add(parent, field, child);
                    open.push(child);
                }
                default -> add(parent, field, scalar(p, t));
            }
        }
        return root;
    }

    private static void add(JsonNode parent, String field, JsonNode value) {
        if (parent instanceof ObjectNode o) {
            o.set(field, value);
        } else {
            ((ArrayNode) parent).add(value);
        }
    }

    private static JsonNode scalar(JsonParser p, JsonToken t) throws IOException {
        return switch (t) {
            case VALUE_STRING -> NODES.textNode(p.getText());
            case VALUE_NUMBER_INT -> switch (p.getNumberType()) {
                case INT -> NODES.numberNode(p.getIntValue());
                case LONG -> NODES.numberNode(p.getLongValue());
                default -> NODES.numberNode(p.getBigIntegerValue());
            };
            case VALUE_NUMBER_FLOAT -> p.getNumberType() == JsonParser.NumberType.BIG_DECIMAL
                    ? NODES.numberNode(p.getDecimalValue()) : NODES.numberNode(p.getDoubleValue());
            case VALUE_TRUE -> NODES.booleanNode(true);
            case VALUE_FALSE -> NODES.booleanNode(false);
            case VALUE_NULL -> NODES.nullNode();
            case VALUE_EMBEDDED_OBJECT -> p.getEmbeddedObject() instanceof byte[] b ? NODES.binaryNode(b)
                    : NODES.pojoNode(p.getEmbeddedObject());
            default -> throw new com.fasterxml.jackson.core.JsonParseException(p, "Unexpected token " + t);
        };
    }

    /**
     * The tree as UTF-8 JSON; {@link NotPlainJson} when it holds a POJO node. A stored object, there or inside,
     * is written from its kept bytes.
     */
    static byte[] bytes(JsonNode node) {
        if (node instanceof StoredObject s) {
            return s.json();
        }
        return treeBytes(node);
    }

    /** The tree as UTF-8 JSON, walked (nested stored objects still written from their kept bytes). */
    static byte[] treeBytes(JsonNode node) {
        ByteArrayBuilder out = new ByteArrayBuilder();
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            write(g, node, true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] result = out.toByteArray();
        out.release();
        return result;
    }

    static String string(JsonNode node) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            write(g, node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** JSON bytes a generator copies as they are (a stored object's kept bytes). */
    private record RawJson(byte[] utf8) implements com.fasterxml.jackson.core.SerializableString {
        @Override
        public String getValue() {
            return new String(utf8, java.nio.charset.StandardCharsets.UTF_8);
        }

        @Override
        public int charLength() {
            return getValue().length();
        }

        @Override
        public byte[] asUnquotedUTF8() {
            return utf8;
        }

        @Override
        public int appendUnquotedUTF8(byte[] buffer, int offset) {
            if (offset + utf8.length > buffer.length) {
                return -1;
            }
            System.arraycopy(utf8, 0, buffer, offset, utf8.length);
            return utf8.length;
        }

        @Override
        public int appendUnquoted(char[] buffer, int offset) {
            String v = getValue();
            if (offset + v.length() > buffer.length) {
                return -1;
            }
            v.getChars(0, v.length(), buffer, offset);
            return v.length();
        }

        @Override
        public int writeUnquotedUTF8(java.io.OutputStream out) throws IOException {
            out.write(utf8);
            return utf8.length;
        }

        @Override
        public int putUnquotedUTF8(java.nio.ByteBuffer buffer) {
            if (buffer.remaining() < utf8.length) {
                return -1;
            }
            buffer.put(utf8);
            return utf8.length;
        }

        @Override
        public char[] asQuotedChars() {
            throw new UnsupportedOperationException("raw JSON is never quoted");
        }

        @Override
        public byte[] asQuotedUTF8() {
            throw new UnsupportedOperationException("raw JSON is never quoted");
        }

        @Override
        public int appendQuotedUTF8(byte[] buffer, int offset) {
            throw new UnsupportedOperationException("raw JSON is never quoted");
        }

        @Override
        public int appendQuoted(char[] buffer, int offset) {
            throw new UnsupportedOperationException("raw JSON is never quoted");
        }

        @Override
        public int writeQuotedUTF8(java.io.OutputStream out) {
            throw new UnsupportedOperationException("raw JSON is never quoted");
        }

        @Override
        public int putQuotedUTF8(java.nio.ByteBuffer buffer) {
            throw new UnsupportedOperationException("raw JSON is never quoted");
        }
    }

    /** Thrown by the writers for a tree holding a POJO node, which only a mapper can write. */
    static final class NotPlainJson extends RuntimeException {
        NotPlainJson() {
            super(null, null, false, false);
        }
    }

    private static void write(JsonGenerator g, JsonNode node) throws IOException {
        write(g, node, false);
    }

    /** Writes {@code node}; a stored object from its kept bytes unless it is the {@code walked} root itself. */
    private static void write(JsonGenerator g, JsonNode node, boolean walked) throws IOException {
        switch (node.getNodeType()) {
            case OBJECT -> {
                if (!walked && node instanceof StoredObject s) {
                    g.writeRawValue(new RawJson(s.json()));
                    return;
                }
                g.writeStartObject();
                for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    g.writeFieldName(e.getKey());
                    write(g, e.getValue());
                }
                g.writeEndObject();
            }
            case ARRAY -> {
                g.writeStartArray();
                for (JsonNode child : node) {
                    write(g, child);
                }
                g.writeEndArray();
            }
            case STRING -> g.writeString(node.textValue());
            case NUMBER -> {
                switch (node.numberType()) {
                    case INT -> g.writeNumber(node.intValue());
                    case LONG -> g.writeNumber(node.longValue());
                    case BIG_INTEGER -> g.writeNumber(node.bigIntegerValue());
                    case FLOAT -> g.writeNumber(node.floatValue());
                    case BIG_DECIMAL -> g.writeNumber(node.decimalValue());
                    default -> g.writeNumber(node.doubleValue());
                }
            }
            case BOOLEAN -> g.writeBoolean(node.booleanValue());
            case BINARY -> g.writeBinary(node.binaryValue());
            case NULL, MISSING -> g.writeNull();
            default -> throw new NotPlainJson();
        }
    }
}
