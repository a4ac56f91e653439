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
 * tables. The one source of truth for strategic merge patch, server-side apply and the OpenAPI extensions.
 */
public final class PatchMetadata {
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

    private static final PatchMetadata BUILT_IN = load();
    private final Map<String, List<Field>> byTypeAndField;
    private final Set<String> atomicStructs;

    private PatchMetadata(Map<String, List<Field>> byTypeAndField, Set<String> atomicStructs) {
        this.byTypeAndField = byTypeAndField;
        this.atomicStructs = atomicStructs;
    }

    /** The built-in metadata (immutable, read once). */
    public static PatchMetadata builtIn() {
        return BUILT_IN;
    }

    private static PatchMetadata load() {
        try (InputStream in = PatchMetadata.class.getResourceAsStream("patch-metadata.json")) {
            JsonNode root = Json.parse(in);
            Map<String, List<Field>> m = new HashMap<>();
            for (JsonNode f : root.path("fields")) {
                List<String> keys = new ArrayList<>();
                f.path("listMapKeys").forEach(k -> keys.add(k.asText()));
                Map<String, String> defaults = new HashMap<>();
                f.path("keyDefaults").fields().forEachRemaining(e -> defaults.put(e.getKey(), e.getValue().asText()));
                Field field = new Field(f.path("group").asText(), f.path("type").asText(), f.path("field").asText(),
                        text(f, "strategy"), text(f, "mergeKey"), text(f, "listType"), List.copyOf(keys),
                        text(f, "mapType"), text(f, "structType"), Map.copyOf(defaults));
                m.computeIfAbsent(field.type() + "." + field.field(), k -> new ArrayList<>()).add(field);
            }
            Set<String> atomic = new HashSet<>();
            for (JsonNode a : root.path("atomicStructs")) {
                atomic.add(a.path("type").asText());
            }
            return new PatchMetadata(Map.copyOf(m), Set.copyOf(atomic));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read patch-metadata.json", e);
        }
    }

    private static String text(JsonNode n, String field) {
        return n.hasNonNull(field) ? n.get(field).asText() : null;
    }

    /** The metadata of {@code type.field}, preferring the entry of {@code group} when a type name is in several. */
    public Optional<Field> field(String group, String type, String field) {
        List<Field> candidates = byTypeAndField.get(type + "." + field);
        if (candidates == null && type.equals("EphemeralContainer")) {
            candidates = byTypeAndField.get("EphemeralContainerCommon." + field);
        }
        if (candidates == null) {
            return Optional.empty();
        }
        for (Field f : candidates) {
            if (f.group().equals(group)) {
                return Optional.of(f);
            }
        }
        return Optional.of(candidates.get(0));
    }

    public boolean atomicStruct(String type) {
        return atomicStructs.contains(type);
    }
}
