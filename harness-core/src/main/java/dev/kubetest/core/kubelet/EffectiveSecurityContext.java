package dev.kubetest.core.kubelet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * A container's security context as the kubelet hands it to the runtime: the pod's runAsUser, runAsGroup and
 * runAsNonRoot apply where the container does not set its own (upstream's DetermineEffectiveSecurityContext).
 */
final class EffectiveSecurityContext {
    private static final List<String> FROM_POD = List.of("runAsUser", "runAsGroup", "runAsNonRoot");

    private EffectiveSecurityContext() {}

    /** The container spec with the pod-level fields merged into its securityContext (the same node when none apply). */
    static JsonNode of(JsonNode pod, JsonNode container) {
        JsonNode podContext = pod.path("spec").path("securityContext");
        JsonNode own = container.path("securityContext");
        ObjectNode merged = null;
        for (String field : FROM_POD) {
            if (podContext.hasNonNull(field) && !own.hasNonNull(field)) {
                if (merged == null) {
                    merged = own.isObject() ? ((ObjectNode) own).deepCopy()
                            : com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
                }
                merged.set(field, podContext.get(field));
            }
        }
        if (merged == null) {
            return container;
        }
        ObjectNode copy = ((ObjectNode) container).deepCopy();
        copy.set("securityContext", merged);
        return copy;
    }
}
