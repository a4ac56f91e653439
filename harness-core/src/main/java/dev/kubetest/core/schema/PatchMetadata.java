package dev.kubetest.core.schema;

import java.util.List;
import java.util.Map;

/**
 * Patch metadata of the built-in kinds' fields (Kubernetes 1.32): merge keys, patch strategies and list, map and
 * struct types. Carried by {@link ModelSchema.Property}, read from {@code model-schema.txt}, into which the tests'
 * {@code ModelSchemaFile} writes it from {@code patch-metadata.json} ({@code tools/patch_metadata_to_json.py} makes
 * that from the reference tables).
 */
public final class PatchMetadata {
    private PatchMetadata() {}

    /** The metadata of one field of a Go type. */
    public record Field(String group, String type, String field, String strategy, String mergeKey, String listType,
                        List<String> listMapKeys, String mapType, String structType, Map<String, String> keyDefaults) {
        public boolean mergeStrategy() {
            return strategy != null && strategy.contains("merge");
        }

        public boolean retainKeys() {
            return strategy != null && strategy.contains("retainKeys");
        }
    }
}
