package dev.kubetest.core.manifest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.kubetest.core.meta.ApiException;
import dev.kubetest.core.api.KubeApi;
import dev.kubetest.core.meta.ResourceType;
import dev.kubetest.core.meta.WriteOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** Reads multi-document YAML or JSON manifests (files or directories) and applies them to a cluster. */
public final class Manifests {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private Manifests() {}

    /** Every object in the file, or in the directory's .yaml/.yml/.json files in name order; Lists are unpacked. */
    public static List<ObjectNode> read(Path path) throws IOException {
        List<ObjectNode> out = new ArrayList<>();
        if (Files.isDirectory(path)) {
            try (Stream<Path> files = Files.list(path)) {
                for (Path f : files.filter(Manifests::isManifest).sorted().toList()) {
                    out.addAll(read(f));
                }
            }
            return out;
        }
        try {
            return parse(Files.readAllBytes(path));
        } catch (IOException e) {
            throw new IOException(path + ": " + e.getMessage(), e);
        }
    }

    /** Every object in multi-document YAML or JSON text; Lists are unpacked. */
    public static List<ObjectNode> parse(String text) throws IOException {
        return parse(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static List<ObjectNode> parse(byte[] bytes) throws IOException {
        List<ObjectNode> out = new ArrayList<>();
        try (JsonParser parser = YAML.getFactory().createParser(bytes)) {
            MappingIterator<JsonNode> docs = YAML.readValues(parser, JsonNode.class);
            while (docs.hasNext()) {
                JsonNode doc = docs.next();
                if (doc == null || doc.isNull() || doc.isMissingNode() || (doc.isObject() && doc.isEmpty())) {
                    continue;
                }
                if (!(doc instanceof ObjectNode o)) {
                    throw new IOException("a document is not an object");
                }
                if (o.path("kind").asText().endsWith("List") && o.has("items")) {
                    o.path("items").forEach(i -> out.add((ObjectNode) i));
                } else {
                    out.add(o);
                }
            }
        }
        return out;
    }

    private static boolean isManifest(Path p) {
        String n = p.getFileName().toString();
        return n.endsWith(".yaml") || n.endsWith(".yml") || n.endsWith(".json");
    }

    /**
     * Creates each object (Namespaces and CRDs first), or replaces it when it exists. Unknown kinds fail with the
     * message kubectl prints for them.
     */
    public static List<ObjectNode> apply(KubeApi api, List<ObjectNode> objects, String fieldManager) {
        return apply(api, objects, fieldManager, "default");
    }

    /** {@link #apply(KubeApi, List, String)}, namespaced objects that name no namespace going to {@code namespace}. */
    public static List<ObjectNode> apply(KubeApi api, List<ObjectNode> objects, String fieldManager, String namespace) {
        List<ObjectNode> sorted = new ArrayList<>(objects);
        sorted.sort(Comparator.comparingInt(Manifests::order));
        List<ObjectNode> out = new ArrayList<>();
        for (ObjectNode o : sorted) {
            String apiVersion = o.path("apiVersion").asText();
            String kind = o.path("kind").asText();
            ResourceType type = findKind(api, apiVersion, kind, sorted);
            String ns = type.namespaced() ? o.path("metadata").path("namespace").asText(namespace) : null;
            String name = o.path("metadata").path("name").asText("");
            try {
                out.add(api.create(type, ns, o, WriteOptions.manager(fieldManager)));
            } catch (ApiException e) {
                if (e.code() != 409 || name.isEmpty()) {
                    throw e;
                }
                out.add(api.update(type, ns, name, o, KubeApi.Target.MAIN, WriteOptions.manager(fieldManager)));
            }
        }
        return out;
    }

    /** The kind's resource; a kind defined by a CRD in the same batch is waited for while its CRD is established. */
    private static ResourceType findKind(KubeApi api, String apiVersion, String kind, List<ObjectNode> batch) {
        java.util.Optional<ResourceType> t = api.registry().findByKind(apiVersion, kind);
        boolean definedHere = batch.stream().anyMatch(o -> o.path("kind").asText().equals("CustomResourceDefinition")
                && o.path("spec").path("names").path("kind").asText().equals(kind));
        if (t.isEmpty() && definedHere) {
            try {
                t = api.registry().awaitKind(apiVersion, kind, java.time.Duration.ofSeconds(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return t.orElseThrow(() ->
                ApiException.notFound("no matches for kind \"" + kind + "\" in version \"" + apiVersion + "\""));
    }

    private static int order(ObjectNode o) {
        return switch (o.path("kind").asText()) {
            case "Namespace" -> 0;
            case "CustomResourceDefinition" -> 1;
            default -> 2;
        };
    }
}
