package dev.kubetest.core.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubetest.core.meta.ObjectNames;
import dev.kubetest.core.json.Json;
import java.util.Optional;

/**
 * Namespaces: DNS-1123 label names, the kubernetes.io/metadata.name label, the kubernetes finalizer, Active then
 * Terminating; the system namespaces may not be deleted, and spec.finalizers holds a namespace after its
 * metadata finalizers are gone.
 */
final class NamespaceStrategy implements KindStrategy {
    static final String NAME_LABEL = "kubernetes.io/metadata.name";
    static final java.util.Set<String> IMMORTAL = java.util.Set.of("default", "kube-system", "kube-public", "kube-node-lease");

    @Override
    public ObjectNames.Rule nameRule() {
        return ObjectNames.Rule.LABEL;
    }

    @Override
    public void prepareForCreate(ObjectNode obj) {
        nameLabel(obj);
        ObjectNode spec = Json.with(obj, "spec");
        if (!spec.has("finalizers")) {
            spec.putArray("finalizers").add("kubernetes");
        }
        Json.with(obj, "status").put("phase", "Active");
    }

    @Override
    public void prepareForUpdate(ObjectNode obj, JsonNode old) {
        nameLabel(obj);
        if (!obj.path("spec").has("finalizers") && old.path("spec").has("finalizers")) {
            Json.with(obj, "spec").set("finalizers", old.path("spec").get("finalizers").deepCopy());
        }
    }

    private static void nameLabel(ObjectNode obj) {
        ObjectNode meta = Json.with(obj, "metadata");
        Json.with(meta, "labels").put(NAME_LABEL, meta.path("name").asText());
    }

    @Override
    public Optional<String> refuseDeletion(String name) {
        return IMMORTAL.contains(name) ? Optional.of("this namespace may not be deleted") : Optional.empty();
    }

    @Override
    public void beginDeletion(ObjectNode obj) {
        Json.with(obj, "status").put("phase", "Terminating");
    }

    @Override
    public boolean holdsDeletion(JsonNode obj) {
        return !obj.path("spec").path("finalizers").isEmpty();
    }
}
