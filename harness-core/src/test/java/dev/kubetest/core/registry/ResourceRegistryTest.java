package dev.kubetest.core.registry;

import dev.kubetest.core.meta.ResourceType;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Every registry starts from the same built-in kinds, and what one cluster's CRDs add stays in that cluster. */
class ResourceRegistryTest {
    private static ResourceType widgets() {
        return new ResourceType("example.com", "v1", "Widget", "widgets", "widget", true, List.of("wd"),
                ResourceType.STANDARD_VERBS, List.of(), List.of(), true, false);
    }

    @Test
    void aKindAddedToOneRegistryIsNotInAnother() {
        ResourceRegistry one = ResourceRegistry.withBuiltins();
        ResourceRegistry other = ResourceRegistry.withBuiltins();
        int builtIns = other.all().size();
        one.add(widgets());
        assertThat(one.find("example.com", "v1", "widgets")).isPresent();
        assertThat(other.find("example.com", "v1", "widgets")).isEmpty();
        assertThat(other.all()).hasSize(builtIns);
        assertThat(ResourceRegistry.withBuiltins().all()).hasSize(builtIns);
        one.removeResource("example.com", "widgets");
        assertThat(one.all()).hasSize(builtIns);
    }

    @Test
    void theBuiltInsAreTheSeedKindsWithTheirNamesAndScopes() {
        ResourceRegistry r = ResourceRegistry.withBuiltins();
        ResourceType pods = r.find("", "v1", "pods").orElseThrow();
        assertThat(pods.shortNames()).containsExactly("po");
        assertThat(pods.namespaced()).isTrue();
        assertThat(r.find("", "v1", "namespaces").orElseThrow().namespaced()).isFalse();
        assertThat(r.findByKind("apps/v1", "Deployment")).isPresent();
        assertThat(r.generation()).isEqualTo(1);
    }
}
