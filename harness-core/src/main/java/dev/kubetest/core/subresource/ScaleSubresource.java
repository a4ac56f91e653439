package dev.kubetest.core.subresource;

import dev.kubetest.core.admission.KindStrategies;
import dev.kubetest.core.api.KubeApi;

import dev.kubetest.core.patch.Patches;
import dev.kubetest.core.meta.ApiException;
import dev.kubetest.core.meta.ResourceType;
import dev.kubetest.core.meta.WriteOptions;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubetest.core.json.Json;
import dev.kubetest.core.selector.LabelSelector;
import java.util.List;
import java.util.Map;

/**
 * The {@code scale} subresource: an {@code autoscaling/v1} Scale view of deployments, replica sets, stateful
 * sets, replication controllers and custom resources that declare it, read and written through the owner.
 */
public final class ScaleSubresource {
    /** Where a kind keeps its replica counts and selector (JSON paths without the leading dot). */
    record Paths(String specReplicas, String statusReplicas, String labelSelector, boolean mapSelector) {}

    private final KubeApi api;

    ScaleSubresource(KubeApi api) {
        this.api = api;
    }

    private Paths paths(ResourceType type) {
        if (!type.builtIn()) {
            ResourceType crds = api.registry().find("apiextensions.k8s.io", "v1", "customresourcedefinitions").orElseThrow();
            ObjectNode crd = api.get(crds, null, type.plural() + "." + type.group());
            for (JsonNode v : crd.path("spec").path("versions")) {
                if (v.path("name").asText().equals(type.version())) {
                    JsonNode s = v.path("subresources").path("scale");
                    return new Paths(strip(s.path("specReplicasPath").asText(".spec.replicas")),
                            strip(s.path("statusReplicasPath").asText(".status.replicas")),
                            s.hasNonNull("labelSelectorPath") ? strip(s.get("labelSelectorPath").asText()) : null, false);
                }
            }
            throw ApiException.notFound("the server could not find the requested resource");
        }
        return new Paths("spec.replicas", "status.replicas", "spec.selector",
                KindStrategies.of(type).selectorIsLabelMap());
    }

    private static String strip(String path) {
        return path.startsWith(".") ? path.substring(1) : path;
    }

    private static JsonNode at(JsonNode o, String path) {
        JsonNode n = o;
        for (String p : path.split("\\.")) {
            n = n.path(p);
        }
        return n;
    }

    private static void set(ObjectNode o, String path, long value) {
        String[] parts = path.split("\\.");
        ObjectNode n = o;
        for (int i = 0; i < parts.length - 1; i++) {
            n = Json.with(n, parts[i]);
        }
        n.put(parts[parts.length - 1], value);
    }

    /** The Scale of an object. */
    ObjectNode scaleOf(ResourceType type, ObjectNode obj) {
        Paths p = paths(type);
        ObjectNode scale = Json.object();
        scale.put("kind", "Scale");
        scale.put("apiVersion", "autoscaling/v1");
        ObjectNode meta = scale.putObject("metadata");
        JsonNode om = obj.path("metadata");
        for (String f : List.of("name", "namespace", "uid", "resourceVersion", "creationTimestamp")) {
            if (om.has(f)) {
                meta.set(f, om.get(f).deepCopy());
            }
        }
        scale.putObject("spec").put("replicas", at(obj, p.specReplicas()).asLong(type.builtIn() ? 1 : 0));
        ObjectNode status = scale.putObject("status");
        status.put("replicas", at(obj, p.statusReplicas()).asLong(0));
        if (p.labelSelector() != null) {
            JsonNode sel = at(obj, p.labelSelector());
            String text = sel.isTextual() ? sel.asText() : p.mapSelector() ? mapSelector(sel) : selectorString(sel);
            if (!text.isEmpty()) {
                status.put("selector", text);
            }
        }
        return scale;
    }

    private static String mapSelector(JsonNode map) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, JsonNode> e : (Iterable<Map.Entry<String, JsonNode>>) map::fields) {
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(e.getKey()).append('=').append(e.getValue().asText());
        }
        return sb.toString();
    }

    private static String selectorString(JsonNode selector) {
        LabelSelector s = LabelSelector.fromJson(selector.isMissingNode() ? null : selector);
        return s == null ? "" : s.toString();
    }

    public ObjectNode get(ResourceType type, String namespace, String name) {
        return scaleOf(type, api.get(type, namespace, name));
    }

    /** Sets the replicas from a Scale body; its resourceVersion, when set, must be current (409 otherwise). */
    public ObjectNode update(ResourceType type, String namespace, String name, ObjectNode scale, WriteOptions options) {
        Paths p = paths(type);
        JsonNode replicas = scale.path("spec").path("replicas");
        if (!replicas.isIntegralNumber() || replicas.asLong() < 0) {
            throw new ApiException(422, "Invalid", "Scale.autoscaling \"" + name + "\" is invalid: spec.replicas: "
                    + "Invalid value: " + replicas + ": must be greater than or equal to 0", name, "autoscaling", "Scale",
                    List.of(new ApiException.Cause("FieldValueInvalid", "Invalid value: " + replicas
                            + ": must be greater than or equal to 0", "spec.replicas")));
        }
        String rv = scale.path("metadata").path("resourceVersion").asText("");
        ObjectNode updated = api.mutate(type, namespace, name, rv, options, current -> {
            set(current, p.specReplicas(), replicas.asLong());
            return current;
        }, KubeApi.Target.MAIN);
        return scaleOf(type, updated);
    }

    /** Applies a patch to the Scale view, then writes its replicas. */
    public ObjectNode patch(ResourceType type, String namespace, String name, KubeApi.PatchType patchType, JsonNode patch,
                            WriteOptions options) {
        ObjectNode current = get(type, namespace, name);
        JsonNode patched = switch (patchType) {
            case JSON -> Patches.jsonPatch(current, patch);
            case MERGE, STRATEGIC -> Patches.mergePatch(current, patch);
        };
        ObjectNode body = (ObjectNode) patched;
        Json.with(body, "metadata").remove("resourceVersion");
        return update(type, namespace, name, body, options);
    }
}
