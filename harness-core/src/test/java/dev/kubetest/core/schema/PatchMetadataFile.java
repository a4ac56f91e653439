package dev.kubetest.core.schema;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kubetest.core.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Merge keys, patch strategies and list/map/struct types of the built-in kinds' fields (Kubernetes 1.32), read
 * from {@code patch-metadata.json}, which {@code tools/patch_metadata_to_json.py} makes from the reference
 * tables; {@link ModelSchemaFile} writes it into {@code model-schema.txt}, which is what the library reads.
 */
final class PatchMetadataFile {
    private static final PatchMetadataFile BUILT_IN = load();
    private final Map<String, List<PatchMetadata.Field>> byTypeAndField;
    private final Set<String> atomicStructs;

    private PatchMetadataFile(Map<String, List<PatchMetadata.Field>> byTypeAndField, Set<String> atomicStructs) {
        this.byTypeAndField = byTypeAndField;
        this.atomicStructs = atomicStructs;
    }

    /** The built-in metadata (immutable, read once). */
    static PatchMetadataFile builtIn() {
        return BUILT_IN;
    }

    private static PatchMetadataFile load() {
        try (InputStream in = PatchMetadataFile.class.getResourceAsStream("patch-metadata.json")) {
            JsonNode root = Json.parse(in);
            Map<String, List<PatchMetadata.Field>> m = new HashMap<>();
            for (JsonNode f : root.path("fields")) {
                List<String> keys = new ArrayList<>();
                f.path("listMapKeys").forEach(k -> keys.add(k.asText()));
                Map<String, String> defaults = new HashMap<>();
                f.path("keyDefaults").fields().forEachRemaining(e -> defaults.put(e.getKey(), e.getValue().asText()));
                PatchMetadata.Field field = new PatchMetadata.Field(f.path("group").asText(), f.path("type").asText(), f.path("field").asText(),
                        text(f, "strategy"), text(f, "mergeKey"), text(f, "listType"), List.copyOf(keys),
                        text(f, "mapType"), text(f, "structType"), Map.copyOf(defaults));
                m.computeIfAbsent(field.type() + "." + field.field(), k -> new ArrayList<>()).add(field);
            }
            Set<String> atomic = new HashSet<>();
            for (JsonNode a : root.path("atomicStructs")) {
                atomic.add(a.path("type").asText());
            }
            return new PatchMetadataFile(Map.copyOf(m), Set.copyOf(atomic));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read patch-metadata.json", e);
        }
    }

    private static String text(JsonNode n, String field) {
        return n.hasNonNull(field) ? n.get(field).asText() : null;
    }

    /** The metadata of {@code type.field}, preferring the entry of {@code group} when a type name is in several. */
    Optional<PatchMetadata.Field> field(String group, String type, String field) {
        List<PatchMetadata.Field> candidates = byTypeAndField.get(type + "." + field);
        if (candidates == null && type.equals("EphemeralContainer")) {
            candidates = byTypeAndField.get("EphemeralContainerCommon." + field);
        }
        if (candidates == null) {
            return Optional.empty();
        }
        for (PatchMetadata.Field f : candidates) {
            if (f.group().equals(group)) {
                return Optional.of(f);
            }
        }
        return Optional.of(candidates.get(0));
    }

    boolean atomicStruct(String type) {
        return atomicStructs.contains(type);
    }
}
