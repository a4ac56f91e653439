package dev.kubetest.core.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubetest.core.meta.ApiException.Cause;
import dev.kubetest.core.json.Json;
import java.util.ArrayList;
import java.util.List;

/** PersistentVolumeClaims: Pending until bound, volumeMode Filesystem, a spec that changes only in its requests. */
final class PersistentVolumeClaimStrategy implements KindStrategy {
    @Override
    public void prepareForCreate(ObjectNode obj) {
        // upstream's defaulting (SetDefaults_PersistentVolumeClaim): Pending until the volume controller binds it
        Json.with(obj, "status").put("phase", "Pending");
    }

    @Override
    public void applyDefaults(ObjectNode obj) {
        Defaulting.pvcSpec(Json.with(obj, "spec"));
    }

    /**
     * The DefaultStorageClass plugin (a claim without {@code storageClassName} gets the default class; an explicit
     * {@code ""} stays) and StorageObjectInUseProtection (the {@code kubernetes.io/pvc-protection} finalizer).
     */
    @Override
    public void admitCreate(dev.kubetest.core.meta.ResourceType type, ObjectNode obj, AdmissionContext ctx) {
        ObjectNode spec = Json.with(obj, "spec");
        if (!spec.has("storageClassName") || spec.get("storageClassName").isNull()) {
            ctx.defaultStorageClass().get().ifPresent(name -> spec.put("storageClassName", name));
        }
        dev.kubetest.core.meta.Finalizers.ensure(obj, "kubernetes.io/pvc-protection");
    }

    /**
     * The PersistentVolumeClaimResize plugin: a larger request is allowed only for a bound claim whose class allows
     * volume expansion.
     */
    @Override
    public void admitUpdate(dev.kubetest.core.meta.ResourceType type, JsonNode old, ObjectNode obj, AdmissionContext ctx) {
        java.math.BigDecimal before = request(old);
        java.math.BigDecimal after = request(obj);
        if (after.compareTo(before) <= 0) {
            return;
        }
        String className = obj.path("spec").path("storageClassName").asText("");
        boolean expandable = "Bound".equals(old.path("status").path("phase").asText()) && !className.isEmpty()
                && ctx.storageClass().apply(className).map(sc -> sc.path("allowVolumeExpansion").asBoolean(false)).orElse(false);
        if (!expandable) {
            String name = obj.path("metadata").path("name").asText();
            throw new dev.kubetest.core.meta.ApiException(403, "Forbidden", "persistentvolumeclaims \"" + name
                    + "\" is forbidden: only dynamically provisioned pvc can be resized and the storageclass that "
                    + "provisions the pvc must support resize", name, "", "persistentvolumeclaims", List.of());
        }
    }

    private static java.math.BigDecimal request(JsonNode claim) {
        String q = claim.path("spec").path("resources").path("requests").path("storage").asText("");
        return q.isEmpty() ? java.math.BigDecimal.ZERO : dev.kubetest.core.meta.Quantities.amount(q);
    }

    @Override
    public List<Cause> validateUpdate(JsonNode old, JsonNode obj) {
        List<Cause> out = new ArrayList<>(validateCreate(obj));
        ObjectNode a = old.path("spec").deepCopy();
        ObjectNode b = obj.path("spec").deepCopy();
        for (ObjectNode o : List.of(a, b)) {
            if (o.get("resources") instanceof ObjectNode r) {
                r.remove("requests");
            }
            o.remove("volumeAttributesClassName");
            o.remove("volumeName");
        }
        if (request(obj).compareTo(request(old)) < 0) {
            out.add(new Cause("FieldValueForbidden", "Forbidden: field can not be less than previous value",
                    "spec.resources.requests.storage"));
        }
        if (!a.equals(b)) {
            out.add(new Cause("FieldValueForbidden", "Forbidden: spec is immutable after creation except "
                    + "resources.requests and volumeAttributesClassName for bound claims", "spec"));
        }
        return out;
    }
}
