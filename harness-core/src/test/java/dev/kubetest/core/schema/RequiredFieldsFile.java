package dev.kubetest.core.schema;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Writes {@code required-fields.txt}: for each model type of the built-in kinds, the properties upstream's OpenAPI
 * lists as required, which are exactly the Go fields without {@code omitempty} (always serialised, zero or not).
 * The official client-java models carry those lists ({@code openapiRequiredFields}); this walks them beside the
 * fabric8 structure of {@link ModelSchema}, property by property from each kind. {@code RequiredFieldsFileTest}
 * fails when the file is stale; regenerate it with
 * {@code mvn -pl harness-core test -Dtest=RequiredFieldsFileTest -Dkubetest.schema.write=true}.
 */
final class RequiredFieldsFile {
    static final Path SOURCE = Path.of("src/main/resources/dev/kubetest/core/schema/required-fields.txt");
    private static final String MODELS = "io.kubernetes.client.openapi.models.";

    private final Set<String> lines = new TreeSet<>();
    private final Set<String> visited = new HashSet<>();

    static String generate() throws IOException {
        RequiredFieldsFile f = new RequiredFieldsFile();
        String schema = new String(ModelSchema.class.getResourceAsStream("model-schema.txt").readAllBytes(),
                StandardCharsets.UTF_8);
        for (String line : schema.split("\n")) {
            if (line.startsWith("kind\t")) {
                String[] parts = line.split("\t");
                Class<?> c = clientJavaClass(parts[1]);
                if (c != null) {
                    f.walk(c, new ModelType(parts[2]));
                }
            }
        }
        StringBuilder out = new StringBuilder()
                .append("# Properties upstream's OpenAPI requires (Go fields without omitempty), per fabric8 model type: made\n")
                .append("# by RequiredFieldsFile (harness-core tests) from client-java's models; do not edit.\n");
        f.lines.forEach(l -> out.append(l).append('\n'));
        return out.toString();
    }

    public static void main(String[] args) throws IOException {
        Files.writeString(SOURCE, generate());
    }

    /** The client-java class of {@code group/version/Kind} (core kinds: {@code v1/Kind}). */
    private static Class<?> clientJavaClass(String apiVersionKind) {
        String[] p = apiVersionKind.split("/");
        String group = p.length == 3 ? p[0] : "";
        String version = p[p.length - 2];
        String kind = p[p.length - 1];
        String v = Character.toUpperCase(version.charAt(0)) + version.substring(1);
        String first = group.isEmpty() ? "Core" : group.split("\\.")[0];
        String prefix = Character.toUpperCase(first.charAt(0)) + first.substring(1);
        for (String name : new String[] {v + kind, prefix + v + kind}) {
            try {
                return Class.forName(MODELS + name);
            } catch (ClassNotFoundException e) {
                // try the next form
            }
        }
        return null;
    }

    private void walk(Class<?> c, ModelType type) {
        if (!visited.add(c.getName() + " " + type.className())) {
            return;
        }
        Set<String> required = requiredOf(c);
        Map<String, ModelSchema.Property> props = ModelSchema.get().properties(type);
        for (Field f : c.getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers())) {
                continue;
            }
            String json = jsonName(c, f);
            ModelSchema.Property p = json == null ? null : props.get(json);
            if (p == null) {
                continue;
            }
            if (required.contains(json) && !json.equals("apiVersion") && !json.equals("kind")) {
                lines.add(type.className() + "\t" + json);
            }
            Class<?> element = modelElement(f.getGenericType());
            if (element != null && p.objectType() != null) {
                walk(element, p.objectType());
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Set<String> requiredOf(Class<?> c) {
        try {
            Field f = c.getDeclaredField("openapiRequiredFields");
            f.setAccessible(true);
            Object v = f.get(null);
            return v == null ? Set.of() : (Set<String>) v;
        } catch (ReflectiveOperationException e) {
            return Set.of();
        }
    }

    private static String jsonName(Class<?> c, Field f) {
        for (Field constant : c.getDeclaredFields()) {
            if (Modifier.isStatic(constant.getModifiers()) && constant.getName().startsWith("SERIALIZED_NAME_")) {
                try {
                    String name = (String) constant.get(null);
                    if (constant.getName().replace("SERIALIZED_NAME_", "").replace("_", "")
                            .equalsIgnoreCase(f.getName().replace("_", "").replace("$", ""))) {
                        return name;
                    }
                } catch (IllegalAccessException e) {
                    // not readable: skip
                }
            }
        }
        return null;
    }

    /** The model class a field holds, itself or as a list's or map's element; null for anything else. */
    private static Class<?> modelElement(Type t) {
        if (t instanceof ParameterizedType pt) {
            Type[] args = pt.getActualTypeArguments();
            return modelElement(args[args.length - 1]);
        }
        if (t instanceof Class<?> c && c.getName().startsWith(MODELS)) {
            return c;
        }
        return null;
    }
}
