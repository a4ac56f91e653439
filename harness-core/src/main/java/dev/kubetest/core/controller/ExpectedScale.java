package dev.kubetest.core.controller;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kubetest.core.meta.ApiException;
import dev.kubetest.core.api.KubeApi;
import dev.kubetest.core.meta.ResourceType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How many pods a disruption budget expects when it counts by its pods' controllers, as upstream's
 * {@code getExpectedScale}: the replicas of each distinct controller of the selected pods (a ReplicaSet owned by
 * a Deployment counts with the Deployment's replicas); a pod without a controller is an error.
 */
final class ExpectedScale {
    private ExpectedScale() {}

    static int of(KubeApi api, String namespace, List<? extends JsonNode> pods) {
        Map<String, Integer> controllers = new LinkedHashMap<>();
        for (JsonNode pod : pods) {
            JsonNode ref = controllerRef(pod);
            if (ref == null) {
                throw new IllegalStateException("found no controllers for pod \"" + pod.path("metadata").path("name").asText() + "\"");
            }
            JsonNode owner = owner(api, namespace, ref);
            if (owner == null) {
                continue;
            }
            JsonNode top = owner;
            JsonNode ownerRef = controllerRef(owner);
            if (ref.path("kind").asText().equals("ReplicaSet") && ownerRef != null && ownerRef.path("kind").asText().equals("Deployment")) {
                JsonNode deployment = owner(api, namespace, ownerRef);
                top = deployment != null ? deployment : owner;
            }
            if (!top.path("spec").has("replicas")) {
                // a DaemonSet or a Job has no scale: upstream cannot count the pods such a budget expects either
                throw new IllegalStateException(top.path("kind").asText(ref.path("kind").asText()) + " \""
                        + top.path("metadata").path("name").asText() + "\" of pod \"" + pod.path("metadata").path("name").asText()
                        + "\" has no scale");
            }
            controllers.put(top.path("metadata").path("uid").asText(), top.path("spec").path("replicas").asInt());
        }
        return controllers.values().stream().mapToInt(Integer::intValue).sum();
    }

    private static JsonNode controllerRef(JsonNode obj) {
        for (JsonNode ref : obj.path("metadata").path("ownerReferences")) {
            if (ref.path("controller").asBoolean(false)) {
                return ref;
            }
        }
        return null;
    }

    private static JsonNode owner(KubeApi api, String namespace, JsonNode ref) {
        ResourceType type = api.registry().findByKind(ref.path("apiVersion").asText(), ref.path("kind").asText()).orElse(null);
        if (type == null) {
            return null;
        }
        try {
            JsonNode owner = api.get(type, namespace, ref.path("name").asText());
            return owner.path("metadata").path("uid").asText().equals(ref.path("uid").asText()) ? owner : null;
        } catch (ApiException e) {
            return null;
        }
    }
}
