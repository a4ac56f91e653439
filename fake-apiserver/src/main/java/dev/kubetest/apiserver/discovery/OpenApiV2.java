package dev.kubetest.apiserver.discovery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubetest.core.registry.ResourceRegistry;
import dev.kubetest.core.json.Json;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * {@code /openapi/v2}: one Swagger 2.0 document for every served group-version, made from the same schemas as the
 * v3 documents (CRDs included): their component schemas as {@code definitions} (with {@code $ref}s to
 * {@code #/definitions/...}), and their paths with the operations' group-version-kind and query parameters.
 * kubectl's client-side validation reads it in protobuf ({@link OpenApiV2Proto}). Rebuilt when the registry
 * changes.
 */
public final class OpenApiV2 {
    private final ResourceRegistry registry;
    private final OpenApiV3 v3;
    private final String gitVersion;
    private long cachedGeneration = -1;
    private ObjectNode cachedJson;
    private byte[] cachedJsonBytes;
    private byte[] cachedProto;

    public OpenApiV2(ResourceRegistry registry, OpenApiV3 v3, String gitVersion) {
        this.registry = registry;
        this.v3 = v3;
        this.gitVersion = gitVersion;
    }

    /** The document as JSON bytes. */
    public synchronized byte[] json() {
        refresh();
        if (cachedJsonBytes == null) {
            cachedJsonBytes = Json.bytes(cachedJson);
        }
        return cachedJsonBytes;
    }

    /** The document as gnostic's {@code openapi.v2.Document} protobuf. */
    public synchronized byte[] protobuf() {
        refresh();
        if (cachedProto == null) {
            cachedProto = OpenApiV2Proto.document(cachedJson);
        }
        return cachedProto;
    }

    private void refresh() {
        long generation = registry.generation();
        if (cachedJson == null || generation != cachedGeneration || hasCustomResources()) {
            ObjectNode doc = build();
            if (cachedJson == null || !doc.equals(cachedJson)) {
                cachedJson = doc;
                cachedJsonBytes = null;
                cachedProto = null;
            }
            cachedGeneration = generation;
        }
    }

    /** A CRD's schema can change without the registry changing: such documents are compared when asked for. */
    private boolean hasCustomResources() {
        return registry.all().stream().anyMatch(t -> !t.builtIn());
    }

    ObjectNode build() {
        ObjectNode doc = Json.object();
        doc.put("swagger", "2.0");
        ObjectNode info = doc.putObject("info");
        info.put("title", "Kubernetes");
        info.put("version", gitVersion);
        ObjectNode paths = doc.putObject("paths");
        ObjectNode definitions = doc.putObject("definitions");
        for (Map.Entry<String, List<String>> g : registry.groupVersions().entrySet()) {
            for (String version : g.getValue()) {
                ObjectNode gv = v3.groupVersion(g.getKey(), version);
                if (gv == null) {
                    continue;
                }
                gv.path("components").path("schemas").fields().forEachRemaining(e ->
                        definitions.set(e.getKey(), convertSchema(e.getValue())));
                gv.path("paths").fields().forEachRemaining(e -> paths.set(e.getKey(), convertPath(e.getValue())));
            }
        }
        return doc;
    }

    /** A v3 schema as v2 writes it: {@code #/definitions/} references, a lone {@code allOf} reference inlined. */
    static JsonNode convertSchema(JsonNode s) {
        if (s.isArray()) {
            ArrayNode out = Json.NODES.arrayNode();
            s.forEach(e -> out.add(convertSchema(e)));
            return out;
        }
        if (!s.isObject()) {
            return s.deepCopy();
        }
        ObjectNode out = Json.object();
        JsonNode allOf = s.get("allOf");
        boolean loneRef = allOf != null && allOf.size() == 1 && allOf.get(0).has("$ref");
        for (Iterator<Map.Entry<String, JsonNode>> it = s.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String k = e.getKey();
            JsonNode v = e.getValue();
            switch (k) {
                case "$ref" -> out.put("$ref", v.asText().replace("#/components/schemas/", "#/definitions/"));
                case "allOf" -> {
                    if (loneRef) {
                        out.put("$ref", v.get(0).get("$ref").asText().replace("#/components/schemas/", "#/definitions/"));
                    } else {
                        out.set("allOf", convertSchema(v));
                    }
                }
                case "properties", "patternProperties" -> {
                    ObjectNode props = out.putObject(k);
                    v.fields().forEachRemaining(p -> props.set(p.getKey(), convertSchema(p.getValue())));
                }
                case "items", "additionalProperties", "not" -> out.set(k, convertSchema(v));
                case "nullable", "anyOf", "oneOf" -> { } // OpenAPI 3 only
                default -> out.set(k, v.deepCopy());
            }
        }
        return out;
    }

    private static JsonNode convertPath(JsonNode item) {
        ObjectNode out = Json.object();
        item.fields().forEachRemaining(op -> {
            ObjectNode o = out.putObject(op.getKey());
            op.getValue().fields().forEachRemaining(f -> {
                if (f.getKey().equals("parameters")) {
                    ArrayNode params = o.putArray("parameters");
                    for (JsonNode p : f.getValue()) {
                        ObjectNode q = params.addObject();
                        q.put("name", p.path("name").asText());
                        q.put("in", p.path("in").asText("query"));
                        q.put("type", p.path("schema").path("type").asText("string"));
                        if (p.path("uniqueItems").asBoolean(false)) {
                            q.put("uniqueItems", true);
                        }
                    }
                } else {
                    o.set(f.getKey(), f.getValue().deepCopy());
                }
            });
        });
        return out;
    }
}
