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
        if (!a.equals(b)) {
            out.add(new Cause("FieldValueForbidden", "Forbidden: spec is immutable after creation except "
                    + "resources.requests and volumeAttributesClassName for bound claims", "spec"));
        }
        return out;
    }
}
