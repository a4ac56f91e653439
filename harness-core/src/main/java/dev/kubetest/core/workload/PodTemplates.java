package dev.kubetest.core.workload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubetest.core.json.Json;
import dev.kubetest.core.meta.ApiException;

/** Pods made from a controller's pod template, as upstream's GetPodFromTemplate. */
public final class PodTemplates {
    private PodTemplates() {}

    /**
     * A pod for {@code owner} from {@code template}: named {@code <owner>-<random>}, with the template's labels,
     * annotations, finalizers and spec, controlled by {@code controllerRef}.
     */
    public static ObjectNode podFor(JsonNode owner, JsonNode template, ObjectNode controllerRef) {
        ObjectNode pod = Json.object();
        pod.put("apiVersion", "v1");
        pod.put("kind", "Pod");
        ObjectNode meta = pod.putObject("metadata");
        meta.put("generateName", owner.path("metadata").path("name").asText() + "-");
        JsonNode tm = template.path("metadata");
        for (String field : new String[] {"labels", "annotations", "finalizers"}) {
            if (tm.has(field) && !tm.get(field).isNull()) {
                meta.set(field, tm.get(field).deepCopy());
            }
        }
        meta.putArray("ownerReferences").add(controllerRef);
        pod.set("spec", template.path("spec").isObject() ? template.get("spec").deepCopy() : Json.object());
        return pod;
    }

    /** The create failed because the namespace is being deleted (upstream records no event for it). */
    public static boolean namespaceTerminating(ApiException e) {
        return e.causes().stream().anyMatch(c -> "NamespaceTerminating".equals(c.reason()));
    }
}
