package dev.kubetest.apiserver.discovery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.kubetest.core.schema.ModelSchema;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubetest.core.registry.ResourceRegistry;
import dev.kubetest.core.meta.ResourceType;
import dev.kubetest.core.json.Json;
import java.util.List;
import java.util.Map;

/**
 * {@code /openapi/v3}: the root lists one document per group-version; each document has, per kind, the item
 * path with get, put and patch operations carrying {@code x-kubernetes-group-version-kind} and the
 * {@code fieldValidation} query parameter, which is what kubectl checks before it leaves field validation to
 * the server. Schemas are minimal for now (docs/limitations.md).
 */
public final class OpenApiV3 {
    private final ResourceRegistry registry;
    private final String gitVersion;

    private final java.util.function.Function<String, JsonNode> crds;
    private final java.util.Map<String, ObjectNode> cache = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile long cachedGeneration = -1;

    /** {@code crds} looks up a CustomResourceDefinition by name (for custom resources' schemas). */
    public OpenApiV3(ResourceRegistry registry, String gitVersion, java.util.function.Function<String, JsonNode> crds) {
        this.registry = registry;
        this.gitVersion = gitVersion;
        this.crds = crds;
    }

    public ObjectNode root() {
        ObjectNode o = Json.object();
        ObjectNode paths = o.putObject("paths");
        for (Map.Entry<String, List<String>> g : registry.groupVersions().entrySet()) {
            for (String v : g.getValue()) {
                String key = g.getKey().isEmpty() ? "api/" + v : "apis/" + g.getKey() + "/" + v;
                paths.putObject(key).put("serverRelativeURL", "/openapi/v3/" + key + "?hash=" + hash(g.getKey(), v));
            }
        }
        return o;
    }

    private String hash(String group, String version) {
        return Long.toHexString(registry.generation()).toUpperCase() + Integer.toHexString(
                registry.resources(group, version).hashCode()).toUpperCase();
    }

    /** The document of one group-version ({@code api/v1}, {@code apis/apps/v1}), or null when unknown. */
    public ObjectNode groupVersion(String group, String version) {
        long generation = registry.generation();
        if (generation != cachedGeneration) {
            cache.clear();
            cachedGeneration = generation;
        }
        String key = group + "/" + version;
        ObjectNode cached = cache.get(key);
        if (cached != null && registry.resources(group, version).stream().allMatch(ResourceType::builtIn)) {
            return cached;
        }
        ObjectNode doc = build(group, version);
        if (doc != null) {
            cache.put(key, doc);
        }
        return doc;
    }

    private ObjectNode build(String group, String version) {
        List<ResourceType> types = registry.resources(group, version);
        if (types.isEmpty()) {
            return null;
        }
        ObjectNode doc = Json.object();
        doc.put("openapi", "3.0.0");
        ObjectNode info = doc.putObject("info");
        info.put("title", "Kubernetes");
        info.put("version", gitVersion);
        ObjectNode paths = doc.putObject("paths");
        ObjectNode schemas = doc.putObject("components").putObject("schemas");
        for (ResourceType t : types) {
            String base = t.groupVersionPath() + (t.namespaced() ? "/namespaces/{namespace}/" : "/") + t.plural();
            ObjectNode item = paths.putObject(base + "/{name}");
            for (String verb : List.of("get", "put", "patch", "delete")) {
                String action = switch (verb) {
                    case "put" -> "put";
                    case "patch" -> "patch";
                    case "delete" -> "delete";
                    default -> "get";
                };
                if (!t.supports(verb.equals("put") ? "update" : verb)) {
                    continue;
                }
                ObjectNode op = item.putObject(verb);
                op.put("operationId", verb + t.kind());
                op.set("x-kubernetes-group-version-kind", gvk(t));
                op.put("x-kubernetes-action", action);
                ArrayNode params = op.putArray("parameters");
                if (!verb.equals("get") && !verb.equals("delete")) {
                    params.add(queryParam("dryRun"));
                    params.add(queryParam("fieldManager"));
                    params.add(queryParam("fieldValidation"));
                }
                op.putObject("responses").putObject("200").put("description", "OK");
            }
            ObjectNode schema = schemaOf(t, schemas);
            schema.putArray("x-kubernetes-group-version-kind").add(OpenApiSchemas.gvkList(t));
        }
        return doc;
    }

    private ObjectNode schemaOf(ResourceType t, ObjectNode schemas) {
        if (!t.builtIn()) {
            JsonNode crdSchema = customSchema(t);
            ObjectNode s = OpenApiSchemas.customResource(crdSchema, schemas);
            schemas.set(schemaName(t), s);
            return s;
        }
        java.util.Optional<dev.kubetest.core.schema.ModelType> model = ModelSchema.get().typeOf(t);
        if (model.isPresent()) {
            return (ObjectNode) schemas.get(OpenApiSchemas.addAll(model.get(), schemas));
        }
        ObjectNode schema = schemas.putObject(schemaName(t));
        schema.put("description", t.kind() + " (" + t.apiVersion() + ")");
        schema.put("type", "object");
        return schema;
    }

    private JsonNode customSchema(ResourceType t) {
        if (crds == null) {
            return null;
        }
        JsonNode crd = crds.apply(t.plural() + "." + t.group());
        if (crd == null) {
            return null;
        }
        for (JsonNode v : crd.path("spec").path("versions")) {
            if (v.path("name").asText().equals(t.version())) {
                return v.path("schema").path("openAPIV3Schema");
            }
        }
        return null;
    }

    public static String schemaName(ResourceType t) {
        String group = t.group().isEmpty() ? "core" : t.group();
        return "io.k8s.api." + group + "." + t.version() + "." + t.kind();
    }

    private static ObjectNode gvk(ResourceType t) {
        ObjectNode k = Json.object();
        k.put("group", t.group());
        k.put("version", t.version());
        k.put("kind", t.kind());
        return k;
    }

    private static ObjectNode queryParam(String name) {
        ObjectNode p = Json.object();
        p.put("name", name);
        p.put("in", "query");
        p.putObject("schema").put("type", "string");
        p.put("uniqueItems", true);
        return p;
    }
}
