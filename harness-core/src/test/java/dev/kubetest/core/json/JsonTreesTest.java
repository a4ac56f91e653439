package dev.kubetest.core.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Trees read and written without a mapper are the ones an {@code ObjectMapper} reads and writes. */
class JsonTreesTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @ParameterizedTest
    @ValueSource(strings = {
            "{}", "[]", "{\"a\":1}", "[1,2,3]", "\"text\"", "42", "true", "null",
            "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"x\",\"labels\":{\"a\":\"b\"}},\"data\":{\"k\":\"v\"}}",
            "{\"int\":2147483647,\"long\":2147483648,\"big\":123456789012345678901234567890,\"neg\":-9223372036854775808}",
            "{\"d\":1.5,\"e\":1e300,\"small\":-2.5E-10,\"zero\":0.0}",
            "{\"nested\":[{\"a\":[[],{}]},null,false,\"\\u00e9\\n\\t\\\"q\\\"\"]}",
            "{\"dup\":1,\"dup\":2}",
            "{\"unicode\":\"caf\u00e9 \u65e5\u672c \uD83D\uDE00\"}",
            "  {\"ws\" : [ 1 , 2 ] }  "
    })
    void readsAndWritesAsTheMapperDoes(String json) throws Exception {
        JsonNode ours = Json.parse(json);
        JsonNode theirs = MAPPER.readTree(json);
        assertThat(ours).isEqualTo(theirs);
        assertThat(Json.parse(json.getBytes(StandardCharsets.UTF_8))).isEqualTo(theirs);
        assertThat(Json.bytes(ours)).isEqualTo(MAPPER.writeValueAsBytes(theirs));
        assertThat(Json.string(ours)).isEqualTo(MAPPER.writeValueAsString(theirs));
    }

    @Test
    void emptyInputIsAMissingNodeAsReadTreeGives() throws Exception {
        assertThat(Json.parse("").isMissingNode()).isTrue();
        assertThat(Json.parse(new byte[0]).isMissingNode()).isTrue();
        assertThat(MAPPER.readTree("").isMissingNode()).isTrue();
    }

    @Test
    void malformedInputFailsAsParseErrors() {
        assertThatThrownBy(() -> Json.parse("{\"a\":")).isInstanceOf(UncheckedIOException.class);
        assertThatThrownBy(() -> Json.parse("{\"a\" 1}")).isInstanceOf(UncheckedIOException.class);
        assertThatThrownBy(() -> Json.parse("[1,2".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(java.io.IOException.class);
    }

    @Test
    void deepNestingIsLimitedByTheParserNotTheStack() {
        String deep = "[".repeat(5000) + "]".repeat(5000);
        assertThatThrownBy(() -> Json.parse(deep)).isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("nesting depth");
    }

    @Test
    void yamlParsersGiveTheSameTrees() throws Exception {
        String yaml = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: busybox\n"
                + "    args: [\"sleep\", \"1\"]\n  terminationGracePeriodSeconds: 30\n  x: 1.5\n  y: true\n  z: null\n";
        YAMLFactory yamlFactory = new YAMLFactory();
        JsonNode ours;
        try (var p = yamlFactory.createParser(yaml)) {
            ours = Json.parse(p);
        }
        assertThat(ours).isEqualTo(new ObjectMapper(yamlFactory).readTree(yaml));
    }

    @Test
    void aTreeHoldingAPojoIsWrittenByTheMapper() throws Exception {
        com.fasterxml.jackson.databind.node.ObjectNode tree = Json.object().put("a", 1);
        tree.putPOJO("when", java.util.Map.of("k", "v"));
        assertThat(Json.string(tree)).isEqualTo("{\"a\":1,\"when\":{\"k\":\"v\"}}");
        assertThat(Json.bytes(tree)).isEqualTo(MAPPER.writeValueAsBytes(tree));
    }

    @Test
    void typedValuesStillGoThroughTheMapper() {
        assertThat(Json.string(java.util.Map.of("a", 1))).isEqualTo("{\"a\":1}");
        assertThat(Json.toObject(new io.fabric8.kubernetes.api.model.ConfigMapBuilder().withNewMetadata().withName("x")
                .endMetadata().build()).path("metadata").path("name").asText()).isEqualTo("x");
    }
}
