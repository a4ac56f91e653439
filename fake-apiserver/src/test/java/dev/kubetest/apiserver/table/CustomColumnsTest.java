package dev.kubetest.apiserver.table;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** The JSONPath subset of CRD printer columns, as upstream's table convertor evaluates it (the first result). */
class CustomColumnsTest {
    private static final JsonNode GATEWAY = parse("""
            {"metadata": {"name": "gw", "labels": {"app.kubernetes.io/name": "web"}},
             "status": {"addresses": [{"type": "IPAddress", "value": "10.0.0.1"}, {"type": "IPAddress", "value": "10.0.0.2"}],
                        "conditions": [{"type": "Accepted", "status": "True"}, {"type": "Programmed", "status": "False"}]}}
            """);

    static JsonNode parse(String json) {
        try {
            return new ObjectMapper().readTree(json);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Test
    void fieldsIndexesAndQuotedKeys() {
        assertThat(CustomColumns.read(GATEWAY, ".metadata.name").asText()).isEqualTo("gw");
        assertThat(CustomColumns.read(GATEWAY, ".status.addresses[1].value").asText()).isEqualTo("10.0.0.2");
        assertThat(CustomColumns.read(GATEWAY, ".status.addresses[-1].value").asText()).isEqualTo("10.0.0.2");
        assertThat(CustomColumns.read(GATEWAY, ".metadata.labels['app.kubernetes.io/name']").asText()).isEqualTo("web");
        assertThat(CustomColumns.read(GATEWAY, ".spec.missing")).isNull();
    }

    @Test
    void wildcardsAndFiltersGiveTheFirstMatch() {
        assertThat(CustomColumns.read(GATEWAY, ".status.addresses[*].value").asText()).isEqualTo("10.0.0.1");
        assertThat(CustomColumns.read(GATEWAY, ".status.conditions[?(@.type==\"Programmed\")].status").asText()).isEqualTo("False");
        assertThat(CustomColumns.read(GATEWAY, ".status.conditions[?(@.type=='Accepted')].status").asText()).isEqualTo("True");
        assertThat(CustomColumns.read(GATEWAY, ".status.conditions[?(@.type!=\"Accepted\")].type").asText()).isEqualTo("Programmed");
        assertThat(CustomColumns.read(GATEWAY, ".status.conditions[?(@.type==\"Ready\")].status")).isNull();
    }
}
