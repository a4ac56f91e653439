package dev.kubetest.core.schema;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.kubetest.core.registry.ResourceRegistry;
import dev.kubetest.core.meta.ResourceType;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Quantity;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Writes {@code model-schema.txt}, the structure of the built-in kinds that {@link ModelSchema} reads at run time,
 * from the fabric8 model classes by reflection (JSON property names, Java types, nesting) joined with
 * {@link PatchMetadataFile}. Reflecting at run time cost a fresh JVM ~100 ms of its first boot (loading the model
 * classes and their annotations); the file is read in a few milliseconds. {@code ModelSchemaFileTest} fails when
 * the file differs from what the model classes on the class path give; regenerate it with
 * {@code mvn -pl harness-core test -Dtest=ModelSchemaFileTest -Dkubetest.schema.write=true}.
 */
final class ModelSchemaFile {
    static final Path SOURCE = Path.of("src/main/resources/dev/kubetest/core/schema/model-schema.txt");

    private final PatchMetadataFile patchMetadata = PatchMetadataFile.builtIn();
    private final Map<String, List<String>> classNamesByKind = new TreeMap<>();

    private ModelSchemaFile() throws IOException {
        for (URL url : Collections.list(getClass().getClassLoader()
                .getResources("META-INF/services/io.fabric8.kubernetes.api.model.KubernetesResource"))) {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(url.openStream(), StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    String name = line.trim();
                    if (!name.isEmpty() && !name.startsWith("#")) {
                        classNamesByKind.computeIfAbsent(name.substring(name.lastIndexOf('.') + 1), k -> new ArrayList<>()).add(name);
                    }
                }
            }
        }
    }

    /** The file's text, from the model classes of this class path. */
    static String generate() throws IOException {
        return new ModelSchemaFile().text();
    }

    public static void main(String[] args) throws IOException {
        Files.writeString(SOURCE, generate());
    }

    private String text() {
        StringBuilder out = new StringBuilder();
        out.append("# The built-in kinds' structure: made by ModelSchemaFile (harness-core tests) from the fabric8 model\n")
                .append("# classes and patch-metadata.json; do not edit. Tab-separated; '-' is empty.\n")
                .append("# kind  apiVersion/Kind  model class\n")
                .append("# type  model class  atomic|granular\n")
                .append("# prop  name  kind  element kind  object type  int64  patch: group type field strategy mergeKey\n")
                .append("#       listType listMapKeys mapType structType keyDefaults\n");
        Map<String, Class<?>> kinds = new TreeMap<>();
        for (ResourceType t : ResourceRegistry.withBuiltins().all()) {
            Class<?> c = modelClass(t);
            if (c != null) {
                kinds.put(t.apiVersion() + "/" + t.kind(), c);
            }
        }
        Deque<Class<?>> todo = new ArrayDeque<>();
        for (Map.Entry<String, Class<?>> e : kinds.entrySet()) {
            out.append("kind\t").append(e.getKey()).append('\t').append(e.getValue().getName()).append('\n');
            todo.add(e.getValue());
        }
        Set<Class<?>> seen = new LinkedHashSet<>();
        while (!todo.isEmpty()) {
            Class<?> c = todo.removeFirst();
            if (!seen.add(c)) {
                continue;
            }
            out.append("type\t").append(c.getName()).append('\t')
                    .append(patchMetadata.atomicStruct(c.getSimpleName()) ? "atomic" : "granular").append('\n');
            for (Prop p : describe(c).values()) {
                out.append("prop\t").append(p.name).append('\t').append(p.kind).append('\t').append(dash(p.element))
                        .append('\t').append(p.objectType == null ? "-" : p.objectType.getName())
                        .append('\t').append(p.int64 ? "int64" : "-").append('\t').append(patch(p.patch)).append('\n');
                if (p.objectType != null) {
                    todo.add(p.objectType);
                }
            }
        }
        return out.toString();
    }

    private Class<?> modelClass(ResourceType t) {
        for (String name : classNamesByKind.getOrDefault(t.kind(), List.of())) {
            try {
                Class<?> c = Class.forName(name, false, getClass().getClassLoader());
                if (HasMetadata.class.isAssignableFrom(c) && !Modifier.isAbstract(c.getModifiers())) {
                    @SuppressWarnings("unchecked")
                    Class<? extends HasMetadata> h = (Class<? extends HasMetadata>) c;
                    if ((HasMetadata.getApiVersion(h) + "/" + HasMetadata.getKind(h)).equals(t.apiVersion() + "/" + t.kind())) {
                        return c;
                    }
                }
            } catch (ClassNotFoundException | LinkageError ignored) {
                // named by the model index but not loadable here: left out
            }
        }
        return null;
    }

    private static String dash(Object o) {
        return o == null ? "-" : o.toString();
    }

    private static String patch(PatchMetadata.Field f) {
        if (f == null) {
            return "-";
        }
        List<String> defaults = new ArrayList<>();
        new TreeMap<>(f.keyDefaults()).forEach((k, v) -> defaults.add(k + "=" + v));
        return String.join("\t", f.group(), f.type(), f.field(), dash(f.strategy()), dash(f.mergeKey()),
                dash(f.listType()), f.listMapKeys().isEmpty() ? "-" : String.join(",", f.listMapKeys()),
                dash(f.mapType()), dash(f.structType()), defaults.isEmpty() ? "-" : String.join(",", defaults));
    }

    private record Prop(String name, ModelSchema.Kind kind, ModelSchema.Kind element, Class<?> objectType,
                        boolean int64, PatchMetadata.Field patch) {}

    private Map<String, Prop> describe(Class<?> c) {
        Map<String, Prop> out = new LinkedHashMap<>();
        for (Class<?> k = c; k != null && k != Object.class; k = k.getSuperclass()) {
            for (Field f : k.getDeclaredFields()) {
                JsonProperty jp = f.getAnnotation(JsonProperty.class);
                if (jp == null || f.isAnnotationPresent(JsonIgnore.class) || Modifier.isStatic(f.getModifiers())) {
                    continue;
                }
                String name = jp.value().isEmpty() ? f.getName() : jp.value();
                String goType = c.getSimpleName();
                PatchMetadata.Field patch = patchMetadata.field(ModelSchema.groupOf(new ModelType(c.getName())), goType, name)
                        .or(() -> patchMetadata.field("meta/v1", goType, name)).orElse(null);
                out.putIfAbsent(name, prop(name, f.getGenericType(), patch));
            }
        }
        return out;
    }

    private static Prop prop(String name, Type t, PatchMetadata.Field patch) {
        ModelSchema.Kind kind = kindOf(t);
        ModelSchema.Kind element = null;
        Class<?> objectType = null;
        if (kind == ModelSchema.Kind.ARRAY || kind == ModelSchema.Kind.MAP) {
            Type arg = ((ParameterizedType) t).getActualTypeArguments()[kind == ModelSchema.Kind.ARRAY ? 0 : 1];
            element = kindOf(arg);
            if (element == ModelSchema.Kind.OBJECT) {
                objectType = raw(arg);
            }
        } else if (kind == ModelSchema.Kind.OBJECT) {
            objectType = raw(t);
        }
        return new Prop(name, kind, element, objectType, t == Long.class || t == long.class, patch);
    }

    /** Union types (schema-or-array and the like) read and written by their own Jackson (de)serializers. */
    private static boolean customJson(Class<?> c) {
        com.fasterxml.jackson.databind.annotation.JsonDeserialize d =
                c.getAnnotation(com.fasterxml.jackson.databind.annotation.JsonDeserialize.class);
        return d != null && d.using() != com.fasterxml.jackson.databind.JsonDeserializer.None.class;
    }

    private static Class<?> raw(Type t) {
        return t instanceof ParameterizedType p ? (Class<?>) p.getRawType() : (Class<?>) t;
    }

    private static ModelSchema.Kind kindOf(Type t) {
        Class<?> c = raw(t);
        if (c == String.class || java.time.temporal.Temporal.class.isAssignableFrom(c)) {
            // Go's metav1.MicroTime (Lease renewTime/acquireTime, Event eventTime), a ZonedDateTime in the model,
            // is an RFC 3339 string on the wire.
            return ModelSchema.Kind.STRING;
        }
        if (c == Integer.class || c == int.class || c == Long.class || c == long.class || c == Short.class) {
            return ModelSchema.Kind.INTEGER;
        }
        if (c == Double.class || c == double.class || c == Float.class || c == float.class) {
            return ModelSchema.Kind.NUMBER;
        }
        if (c == Boolean.class || c == boolean.class) {
            return ModelSchema.Kind.BOOLEAN;
        }
        if (c == IntOrString.class) {
            return ModelSchema.Kind.INT_OR_STRING;
        }
        if (c == Quantity.class) {
            return ModelSchema.Kind.QUANTITY;
        }
        if (List.class.isAssignableFrom(c)) {
            return ModelSchema.Kind.ARRAY;
        }
        if (Map.class.isAssignableFrom(c)) {
            return ModelSchema.Kind.MAP;
        }
        if (c == Object.class || c.getName().startsWith("com.fasterxml") || c.isInterface() || customJson(c)) {
            return ModelSchema.Kind.ANY;
        }
        return ModelSchema.Kind.OBJECT;
    }
}
