package dev.kubetest.core.apply;

import dev.kubetest.core.schema.ModelSchema;
import dev.kubetest.core.schema.ModelType;
import dev.kubetest.core.schema.PatchMetadata;
import java.util.List;

/**
 * How server-side apply treats each field: lists as atomic, sets or maps keyed by their list-map keys, maps and
 * structs as granular or atomic; read from the model schema and patch metadata of built-in kinds. Unknown
 * fields have granular maps and atomic lists, as upstream's defaults. A custom resource's own fields are
 * unknown in this sense, but its {@code metadata} is ObjectMeta, with ObjectMeta's list types (finalizers a set,
 * ownerReferences a map keyed by uid), as on built-in kinds.
 */
record ApplySchema(ModelType type, boolean customResource) {
    static final ApplySchema UNKNOWN = new ApplySchema(null, false);
    private static final ModelType OBJECT_META = new ModelType("io.fabric8.kubernetes.api.model.ObjectMeta");

    ApplySchema(ModelType type) {
        this(type, false);
    }

    /** The schema of a writer's kind: its model type, or a custom resource's (null model type). */
    static ApplySchema of(ModelType modelType) {
        return modelType != null ? new ApplySchema(modelType) : new ApplySchema(null, true);
    }

    /** The treatment of one field. */
    record FieldRule(String listType, List<String> keys, java.util.Map<String, String> keyDefaults, boolean atomic,
                     ApplySchema child, boolean isMap) {}

    FieldRule field(String name) {
        if (customResource && name.equals("metadata")) {
            return new FieldRule("atomic", List.of(), java.util.Map.of(), false, new ApplySchema(OBJECT_META), false);
        }
        if (type == null) {
            return new FieldRule("atomic", List.of(), java.util.Map.of(), false, UNKNOWN, false);
        }
        ModelSchema.Property p = ModelSchema.get().properties(type).get(name);
        if (p == null) {
            return new FieldRule("atomic", List.of(), java.util.Map.of(), false, UNKNOWN, false);
        }
        PatchMetadata.Field meta = p.patch();
        ApplySchema child = p.objectType() == null ? UNKNOWN : new ApplySchema(p.objectType());
        boolean atomic = p.objectType() != null && p.kind() == ModelSchema.Kind.OBJECT
                && ModelSchema.get().atomicStruct(p.objectType())
                && !(meta != null && "granular".equals(meta.structType()));
        if (p.kind() == ModelSchema.Kind.MAP) {
            atomic = meta != null && "atomic".equals(meta.mapType());
        }
        String listType = "atomic";
        List<String> keys = List.of();
        java.util.Map<String, String> defaults = java.util.Map.of();
        if (p.kind() == ModelSchema.Kind.ARRAY && meta != null) {
            if (meta.listType() != null) {
                listType = meta.listType();
            } else if (meta.mergeStrategy()) {
                listType = meta.mergeKey() != null ? "map" : "set";
            }
            keys = !meta.listMapKeys().isEmpty() ? meta.listMapKeys()
                    : meta.mergeKey() != null ? List.of(meta.mergeKey()) : List.of();
            defaults = meta.keyDefaults();
        }
        return new FieldRule(listType, keys, defaults, atomic, child, p.kind() == ModelSchema.Kind.MAP);
    }

    /** Whether the elements of a list field are structs that are atomic as a whole. */
    boolean elementsAtomic(String name) {
        if (type == null) {
            return false;
        }
        ModelSchema.Property p = ModelSchema.get().properties(type).get(name);
        return p != null && p.objectType() != null && ModelSchema.get().atomicStruct(p.objectType());
    }
}
