package dev.kubetest.core.schema;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubetest.core.registry.ResourceRegistry;
import dev.kubetest.core.meta.ResourceType;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

class ModelSchemaFileTest {
    @Test
    void theSchemaFileIsWhatTheModelClassesGive() throws Exception {
        String generated = ModelSchemaFile.generate();
        if (Boolean.getBoolean("kubetest.schema.write")) {
            Files.writeString(ModelSchemaFile.SOURCE, generated);
        }
        assertThat(Files.readString(ModelSchemaFile.SOURCE))
                .as("model-schema.txt is stale: run mvn -pl harness-core test -Dtest=ModelSchemaFileTest -Dkubetest.schema.write=true")
                .isEqualTo(generated);
    }

    @Test
    void everyBuiltInKindWithAModelHasItsStructure() {
        ModelSchema schema = ModelSchema.get();
        int kinds = 0;
        for (ResourceType t : ResourceRegistry.withBuiltins().all()) {
            if (schema.typeOf(t).isPresent()) {
                kinds++;
                assertThat(schema.properties(schema.typeOf(t).get())).as(t.kind()).containsKeys("apiVersion", "kind", "metadata");
            }
        }
        assertThat(kinds).isGreaterThanOrEqualTo(35);
    }

    @Test
    void propertiesCarryTheirTypesAndPatchMetadata() {
        ModelSchema schema = ModelSchema.get();
        ResourceType pods = ResourceRegistry.withBuiltins().find("", "v1", "pods").orElseThrow();
        ModelType pod = schema.typeOf(pods).orElseThrow();
        assertThat(pod.className()).isEqualTo("io.fabric8.kubernetes.api.model.Pod");
        ModelType spec = schema.properties(pod).get("spec").objectType();
        ModelSchema.Property containers = schema.properties(spec).get("containers");
        assertThat(containers.kind()).isEqualTo(ModelSchema.Kind.ARRAY);
        assertThat(containers.elementKind()).isEqualTo(ModelSchema.Kind.OBJECT);
        assertThat(containers.patch().mergeKey()).isEqualTo("name");
        assertThat(containers.patch().strategy()).isEqualTo("merge");
        ModelSchema.Property ports = schema.properties(containers.objectType()).get("ports");
        assertThat(ports.patch().listMapKeys()).containsExactly("containerPort", "protocol");
        assertThat(ports.patch().keyDefaults()).containsEntry("protocol", "TCP");
        assertThat(schema.properties(spec).get("activeDeadlineSeconds").integer64()).isTrue();
        assertThat(schema.properties(spec).get("overhead").kind()).isEqualTo(ModelSchema.Kind.MAP);
        assertThat(schema.properties(spec).get("overhead").elementKind()).isEqualTo(ModelSchema.Kind.QUANTITY);
        ModelType selector = schema.properties(spec).get("nodeSelector") == null ? null : spec;
        assertThat(selector).isNotNull();
        assertThat(schema.atomicStruct(new ModelType("io.fabric8.kubernetes.api.model.LabelSelector"))).isTrue();
        assertThat(schema.atomicStruct(spec)).isFalse();
        assertThat(schema.properties(new ModelType("no.such.Type"))).isEmpty();
    }
}
