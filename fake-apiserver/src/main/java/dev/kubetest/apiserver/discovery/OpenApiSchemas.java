package dev.kubetest.apiserver.discovery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubetest.core.meta.ResourceType;
import dev.kubetest.core.json.Json;
import dev.kubetest.core.schema.ModelSchema;
import dev.kubetest.core.schema.ModelType;
import dev.kubetest.core.schema.PatchMetadata;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * OpenAPI v3 component schemas of the built-in kinds, written from {@link ModelSchema} (structure) and
 * {@link PatchMetadata} (the {@code x-kubernetes-patch-*}, {@code list-type}, {@code list-map-keys} and
 * {@code map-type} extensions), as the real server publishes them; enough for {@code kubectl explain}.
 */
final class OpenApiSchemas {
    private static final Set<String> META_TYPES = Set.of("ObjectMeta", "ListMeta", "LabelSelector",
            "LabelSelectorRequirement", "OwnerReference", "ManagedFieldsEntry", "FieldsV1", "Condition", "Status",
            "StatusDetails", "StatusCause", "DeleteOptions", "Preconditions", "MicroTime", "Time");

    private OpenApiSchemas() {}

    static String name(ModelType c) {
        if (META_TYPES.contains(c.simpleName()) && c.packageName().equals("io.fabric8.kubernetes.api.model")) {
            return "io.k8s.apimachinery.pkg.apis.meta.v1." + c.simpleName();
        }
        String gv = ModelSchema.groupOf(c);
        String group = gv.substring(0, gv.indexOf('/'));
        String version = gv.substring(gv.indexOf('/') + 1);
        String pkg = switch (group) {
            case "core" -> "core";
            case "apiextensions.k8s.io" -> "apiextensions-apiserver.pkg.apis.apiextensions";
            default -> group.replace(".k8s.io", "").replace(".authorization", "");
        };
        if (group.equals("apiextensions.k8s.io")) {
            return "io.k8s." + pkg + "." + version + "." + c.simpleName();
        }
        return "io.k8s.api." + pkg + "." + version + "." + c.simpleName();
    }

    static ObjectNode ref(String schemaName) {
        ObjectNode o = Json.object();
        o.putArray("allOf").addObject().put("$ref", "#/components/schemas/" + schemaName);
        return o;
    }

    /** Adds the schema of {@code root} and of every type it reaches to {@code schemas}; returns its name. */
    static String addAll(ModelType root, ObjectNode schemas) {
        Deque<ModelType> todo = new ArrayDeque<>();
        Set<ModelType> seen = new HashSet<>();
        todo.add(root);
        while (!todo.isEmpty()) {
            ModelType c = todo.removeFirst();
            if (!seen.add(c) || schemas.has(name(c))) {
                continue;
            }
            ObjectNode schema = schemas.putObject(name(c));
            schema.put("description", "");
            schema.put("type", "object");
            ObjectNode props = schema.putObject("properties");
            for (Map.Entry<String, ModelSchema.Property> e : ModelSchema.get().properties(c).entrySet()) {
                ModelSchema.Property p = e.getValue();
                ObjectNode ps = property(p, schemas);
                props.set(e.getKey(), ps);
                if (p.objectType() != null) {
                    todo.add(p.objectType());
                }
            }
            if (ModelSchema.get().atomicStruct(c)) {
                schema.put("x-kubernetes-map-type", "atomic");
            }
        }
        intOrString(schemas);
        return name(root);
    }

    private static void intOrString(ObjectNode schemas) {
        if (!schemas.has("io.k8s.apimachinery.pkg.util.intstr.IntOrString")) {
            ObjectNode ios = schemas.putObject("io.k8s.apimachinery.pkg.util.intstr.IntOrString");
            ios.put("description", "IntOrString is a type that can hold an int32 or a string.");
            ios.put("format", "int-or-string");
            ios.put("type", "string");
            ObjectNode q = schemas.putObject("io.k8s.apimachinery.pkg.api.resource.Quantity");
            q.put("description", "Quantity is a fixed-point representation of a number.");
            q.put("type", "string");
        }
    }

    private static ObjectNode property(ModelSchema.Property p, ObjectNode schemas) {
        ObjectNode s = scalar(p.kind(), p.objectType(), p.integer64());
        PatchMetadata.Field meta = p.patch();
        if (p.kind() == ModelSchema.Kind.ARRAY) {
            s.set("items", scalar(p.elementKind(), p.objectType(), false));
            if (meta != null) {
                if (meta.listType() != null) {
                    s.put("x-kubernetes-list-type", meta.listType());
                }
                if (!meta.listMapKeys().isEmpty()) {
                    ArrayNode keys = s.putArray("x-kubernetes-list-map-keys");
                    meta.listMapKeys().forEach(keys::add);
                }
            }
        } else if (p.kind() == ModelSchema.Kind.MAP) {
            s.set("additionalProperties", scalar(p.elementKind(), p.objectType(), false));
            if (meta != null && "atomic".equals(meta.mapType())) {
                s.put("x-kubernetes-map-type", "atomic");
            }
        }
        if (meta != null && meta.strategy() != null) {
            s.put("x-kubernetes-patch-strategy", meta.strategy());
        }
        if (meta != null && meta.mergeKey() != null) {
            s.put("x-kubernetes-patch-merge-key", meta.mergeKey());
        }
        s.put("description", "");
        return s;
    }

    private static ObjectNode scalar(ModelSchema.Kind kind, ModelType objectType, boolean int64) {
        ObjectNode s = Json.object();
        switch (kind == null ? ModelSchema.Kind.ANY : kind) {
            case STRING -> s.put("type", "string");
            case INTEGER -> {
                s.put("type", "integer");
                s.put("format", int64 ? "int64" : "int32");
            }
            case NUMBER -> {
                s.put("type", "number");
                s.put("format", "double");
            }
            case BOOLEAN -> s.put("type", "boolean");
            case INT_OR_STRING -> s.setAll(ref("io.k8s.apimachinery.pkg.util.intstr.IntOrString"));
            case QUANTITY -> s.setAll(ref("io.k8s.apimachinery.pkg.api.resource.Quantity"));
            case OBJECT -> s.setAll(ref(name(objectType)));
            case ARRAY -> {
                // an array inside a map or array: the model keeps no deeper element type; in the built-in kinds it
                // is always map[string][]string (user extras), and OpenAPI v2 readers want its items
                s.put("type", "array");
                s.putObject("items").put("type", "string");
            }
            case MAP -> s.put("type", "object");
            default -> {
                s.put("type", "object");
                s.put("x-kubernetes-preserve-unknown-fields", true);
            }
        }
        return s;
    }

    /** A CRD version's own schema, with apiVersion, kind and metadata as on a real server. */
    static ObjectNode customResource(JsonNode openApiV3Schema, ObjectNode schemas) {
        ObjectNode schema = openApiV3Schema == null || openApiV3Schema.isMissingNode()
                ? Json.object() : openApiV3Schema.deepCopy();
        if (!schema.has("type")) {
            schema.put("type", "object");
        }
        ObjectNode props = schema.path("properties").isObject() ? (ObjectNode) schema.get("properties") : schema.putObject("properties");
        ObjectNode apiVersion = Json.object();
        apiVersion.put("description", "APIVersion defines the versioned schema of this representation of an object.");
        apiVersion.put("type", "string");
        props.set("apiVersion", apiVersion);
        ObjectNode kind = Json.object();
        kind.put("description", "Kind is a string value representing the REST resource this object represents.");
        kind.put("type", "string");
        props.set("kind", kind);
        String meta = addAll(new ModelType("io.fabric8.kubernetes.api.model.ObjectMeta"), schemas);
        ObjectNode metaRef = ref(meta);
        metaRef.put("description", "Standard object's metadata.");
        props.set("metadata", metaRef);
        return schema;
    }

    static ObjectNode gvkList(ResourceType t) {
        ObjectNode k = Json.object();
        k.put("group", t.group());
        k.put("kind", t.kind());
        k.put("version", t.version());
        return k;
    }
}
