package dev.kubetest.core.schema;

import dev.kubetest.core.meta.ResourceType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The structure of the built-in kinds (field names, types, nesting, patch metadata), read from
 * {@code model-schema.txt}, which is made from the fabric8 model classes and {@link PatchMetadata} when the model
 * changes (see {@code ModelSchemaFile} in the tests). Strategic merge patch, server-side apply and field
 * validation walk it; the OpenAPI documents are written from it. Each type's properties are parsed when first
 * asked for.
 */
public final class ModelSchema {
    /** What a property holds. */
    public enum Kind { STRING, INTEGER, NUMBER, BOOLEAN, OBJECT, ARRAY, MAP, INT_OR_STRING, QUANTITY, ANY }

    /** One property: its JSON name, kind, element type (objects, and arrays/maps of objects) and patch metadata. */
    public record Property(String name, Kind kind, Kind elementKind, ModelType objectType, boolean integer64,
                           PatchMetadata.Field patch) {}

    private static final String FILE = "model-schema.txt";

    /** Data read from a resource of this library, the same for every cluster: one per JVM. */
    private static final class Holder {
        static final ModelSchema INSTANCE = load();
    }

    private final String text;
    private final Map<String, ModelType> kinds;
    /** Where each type's lines are in {@link #text}: start and end offsets. */
    private final Map<String, int[]> sections;
    private final Map<String, Boolean> atomic;
    private final Map<ModelType, Map<String, Property>> properties = new ConcurrentHashMap<>();

    private ModelSchema(String text, Map<String, ModelType> kinds, Map<String, int[]> sections, Map<String, Boolean> atomic) {
        this.text = text;
        this.kinds = kinds;
        this.sections = sections;
        this.atomic = atomic;
    }

    public static ModelSchema get() {
        return Holder.INSTANCE;
    }

    private static ModelSchema load() {
        String text;
        try (InputStream in = ModelSchema.class.getResourceAsStream(FILE)) {
            if (in == null) {
                throw new IllegalStateException(FILE + " is missing");
            }
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + FILE, e);
        }
        Map<String, ModelType> kinds = new HashMap<>();
        Map<String, int[]> sections = new HashMap<>();
        Map<String, Boolean> atomic = new HashMap<>();
        int[] open = null;
        for (int start = 0; start < text.length(); ) {
            int end = text.indexOf('\n', start);
            if (end < 0) {
                end = text.length();
            }
            if (text.startsWith("kind\t", start)) {
                int tab = text.indexOf('\t', start + 5);
                kinds.put(text.substring(start + 5, tab), new ModelType(text.substring(tab + 1, end)));
            } else if (text.startsWith("type\t", start)) {
                int tab = text.indexOf('\t', start + 5);
                String name = text.substring(start + 5, tab);
                atomic.put(name, text.startsWith("atomic", tab + 1));
                open = new int[] {end + 1, end + 1};
                sections.put(name, open);
            } else if (open != null && text.startsWith("prop\t", start)) {
                open[1] = Math.min(end + 1, text.length());
            }
            start = end + 1;
        }
        return new ModelSchema(text, Map.copyOf(kinds), Map.copyOf(sections), Map.copyOf(atomic));
    }

    /** The model type of a built-in kind, if the model has one. */
    public Optional<ModelType> typeOf(ResourceType type) {
        return Optional.ofNullable(kinds.get(type.apiVersion() + "/" + type.kind()));
    }

    /** The properties of a type, in declaration order; empty for a free-form or unknown type. */
    public Map<String, Property> properties(ModelType type) {
        return properties.computeIfAbsent(type, this::parse);
    }

    /** Whether a struct is atomic as a whole for apply and merge ({@code +structType=atomic}). */
    public boolean atomicStruct(ModelType type) {
        return atomic.getOrDefault(type.className(), false);
    }

    private Map<String, Property> parse(ModelType type) {
        int[] section = sections.get(type.className());
        if (section == null || section[0] >= section[1]) {
            return Map.of();
        }
        Map<String, Property> out = new LinkedHashMap<>();
        for (String line : text.substring(section[0], section[1]).split("\n")) {
            String[] f = line.split("\t", -1);
            Kind kind = Kind.valueOf(f[2]);
            Property p = new Property(f[1], kind, f[3].equals("-") ? null : Kind.valueOf(f[3]),
                    f[4].equals("-") ? null : new ModelType(f[4]), f[5].equals("int64"), patch(f));
            out.put(p.name(), p);
        }
        return Collections.unmodifiableMap(out);
    }

    private static PatchMetadata.Field patch(String[] f) {
        if (f[6].equals("-")) {
            return null;
        }
        Map<String, String> defaults = new HashMap<>();
        if (!f[15].equals("-")) {
            for (String kv : f[15].split(",")) {
                int eq = kv.indexOf('=');
                defaults.put(kv.substring(0, eq), kv.substring(eq + 1));
            }
        }
        return new PatchMetadata.Field(f[6], f[7], f[8], orNull(f[9]), orNull(f[10]), orNull(f[11]),
                f[12].equals("-") ? List.of() : List.copyOf(Arrays.asList(f[12].split(","))), orNull(f[13]),
                orNull(f[14]), Map.copyOf(defaults));
    }

    private static String orNull(String s) {
        return s.equals("-") ? null : s;
    }

    /** The API group/version a model type belongs to, as patch metadata names groups. */
    public static String groupOf(ModelType t) {
        String pkg = t.packageName();
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
}
