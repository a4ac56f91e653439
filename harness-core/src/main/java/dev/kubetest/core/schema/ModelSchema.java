package dev.kubetest.core.schema;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.kubetest.core.api.ResourceType;
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
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The structure of the built-in kinds, read from the fabric8 model classes (field names, types, nesting) and
 * joined with {@link PatchMetadata}. Strategic merge patch walks it; the OpenAPI documents are written from it.
 */
public final class ModelSchema {
    /** What a property holds. */
    public enum Kind { STRING, INTEGER, NUMBER, BOOLEAN, OBJECT, ARRAY, MAP, INT_OR_STRING, QUANTITY, ANY }

    /** One property: its JSON name, kind, element class (objects, and arrays/maps of objects) and patch metadata. */
    public record Property(String name, Kind kind, Kind elementKind, Class<?> objectType, boolean integer64,
                           PatchMetadata.Field patch) {}

    private static final ModelSchema INSTANCE = new ModelSchema();
    private final Map<String, Class<?>> kinds = new ConcurrentHashMap<>();
    /** Model class names by simple name, read from the model index without loading any class. */
    private final Map<String, List<String>> namesByKind = new ConcurrentHashMap<>();
    private final Map<Class<?>, Map<String, Property>> properties = new ConcurrentHashMap<>();
    private final PatchMetadata patchMetadata = PatchMetadata.builtIn();
    private volatile boolean indexed;

    private ModelSchema() {}

    /** The schema of the classpath's model classes: derived from classes only, so one per JVM. */
    public static ModelSchema get() {
        return INSTANCE;
    }

    /** The model class of a built-in kind (only the classes named like the kind are loaded, once). */
    public Optional<Class<?>> classOf(ResourceType type) {
        index();
        String key = type.apiVersion() + "/" + type.kind();
        Class<?> known = kinds.get(key);
        if (known == null) {
            for (String name : namesByKind.getOrDefault(type.kind(), List.of())) {
                register(name);
            }
            known = kinds.get(key);
        }
        return Optional.ofNullable(known);
    }

    private void index() {
        if (indexed) {
            return;
        }
        synchronized (this) {
            if (indexed) {
                return;
            }
            try {
                Enumeration<URL> files = ModelSchema.class.getClassLoader()
                        .getResources("META-INF/services/io.fabric8.kubernetes.api.model.KubernetesResource");
                for (URL url : Collections.list(files)) {
                    try (BufferedReader r = new BufferedReader(new InputStreamReader(url.openStream(), StandardCharsets.UTF_8))) {
                        String line;
                        while ((line = r.readLine()) != null) {
                            String name = line.trim();
                            if (!name.isEmpty() && !name.startsWith("#")) {
                                namesByKind.computeIfAbsent(name.substring(name.lastIndexOf('.') + 1),
                                        k -> new java.util.concurrent.CopyOnWriteArrayList<>()).add(name);
                            }
                        }
                    }
                }
            } catch (IOException e) {
                throw new IllegalStateException("cannot read the model index", e);
            }
            indexed = true;
        }
    }

    @SuppressWarnings("unchecked")
    private void register(String className) {
        if (className.isEmpty() || className.startsWith("#")) {
            return;
        }
        try {
            Class<?> c = Class.forName(className, false, ModelSchema.class.getClassLoader());
            if (HasMetadata.class.isAssignableFrom(c) && !Modifier.isAbstract(c.getModifiers())) {
                Class<? extends HasMetadata> h = (Class<? extends HasMetadata>) c;
                kinds.putIfAbsent(HasMetadata.getApiVersion(h) + "/" + HasMetadata.getKind(h), c);
            }
        } catch (ClassNotFoundException | LinkageError | RuntimeException ignored) {
            // a class the model index names but this classpath cannot load is left out
        }
    }

    /** The API group/version a model class belongs to, as patch metadata names groups. */
    public static String groupOf(Class<?> c) {
        String pkg = c.getPackageName();
        String base = "io.fabric8.kubernetes.api.model";
        if (pkg.equals(base)) {
            return "core/v1";
        }
        String rest = pkg.startsWith(base + ".") ? pkg.substring(base.length() + 1) : pkg;
        String[] parts = rest.split("\\.");
        String group = switch (parts[0]) {
            case "networking" -> "networking.k8s.io";
            case "rbac" -> "rbac.authorization.k8s.io";
            case "storage" -> "storage.k8s.io";
            case "coordination" -> "coordination.k8s.io";
            case "discovery" -> "discovery.k8s.io";
            case "apiextensions" -> "apiextensions.k8s.io";
            case "scheduling" -> "scheduling.k8s.io";
            case "events" -> "events.k8s.io";
            default -> parts[0];
        };
        return group + "/" + (parts.length > 1 ? parts[1] : "v1");
    }

    /** The properties of a model class, in declaration order. */
    public Map<String, Property> properties(Class<?> c) {
        return properties.computeIfAbsent(c, this::describe);
    }

    private Map<String, Property> describe(Class<?> c) {
        Map<String, Property> out = new LinkedHashMap<>();
        for (Class<?> k = c; k != null && k != Object.class; k = k.getSuperclass()) {
            for (Field f : k.getDeclaredFields()) {
                JsonProperty jp = f.getAnnotation(JsonProperty.class);
                if (jp == null || f.isAnnotationPresent(JsonIgnore.class) || Modifier.isStatic(f.getModifiers())) {
                    continue;
                }
                String name = jp.value().isEmpty() ? f.getName() : jp.value();
                String goType = c.getSimpleName();
                PatchMetadata.Field patch = patchMetadata.field(groupOf(c), goType, name)
                        .or(() -> patchMetadata.field("meta/v1", goType, name)).orElse(null);
                out.putIfAbsent(name, property(name, f.getGenericType(), patch));
            }
        }
        return Collections.unmodifiableMap(out);
    }

    private static Property property(String name, Type t, PatchMetadata.Field patch) {
        Kind kind = kindOf(t);
        Kind element = null;
        Class<?> objectType = null;
        if (kind == Kind.ARRAY || kind == Kind.MAP) {
            Type arg = ((ParameterizedType) t).getActualTypeArguments()[kind == Kind.ARRAY ? 0 : 1];
            element = kindOf(arg);
            if (element == Kind.OBJECT) {
                objectType = raw(arg);
            }
        } else if (kind == Kind.OBJECT) {
            objectType = raw(t);
        }
        boolean int64 = t == Long.class || t == long.class;
        return new Property(name, kind, element, objectType, int64, patch);
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

    private static Kind kindOf(Type t) {
        Class<?> c = raw(t);
        if (c == String.class) {
            return Kind.STRING;
        }
        if (c == Integer.class || c == int.class || c == Long.class || c == long.class || c == Short.class) {
            return Kind.INTEGER;
        }
        if (c == Double.class || c == double.class || c == Float.class || c == float.class) {
            return Kind.NUMBER;
        }
        if (c == Boolean.class || c == boolean.class) {
            return Kind.BOOLEAN;
        }
        if (c == IntOrString.class) {
            return Kind.INT_OR_STRING;
        }
        if (c == Quantity.class) {
            return Kind.QUANTITY;
        }
        if (List.class.isAssignableFrom(c)) {
            return Kind.ARRAY;
        }
        if (Map.class.isAssignableFrom(c)) {
            return Kind.MAP;
        }
        if (c == Object.class || c.getName().startsWith("com.fasterxml") || c.isInterface() || customJson(c)) {
            return Kind.ANY;
        }
        return Kind.OBJECT;
    }
}
