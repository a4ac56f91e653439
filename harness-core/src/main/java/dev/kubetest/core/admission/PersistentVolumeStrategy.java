package dev.kubetest.core.admission;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubetest.core.json.Json;

/** PersistentVolumes: Pending until bound, reclaim policy Retain, volumeMode Filesystem. */
final class PersistentVolumeStrategy implements KindStrategy {
    @Override
    public void prepareForCreate(ObjectNode obj) {
        // upstream's defaulting (SetDefaults_PersistentVolume): Pending until the volume controller binds it
        Json.with(obj, "status").put("phase", "Pending");
    }

    /** StorageObjectInUseProtection: the {@code kubernetes.io/pv-protection} finalizer. */
    @Override
    public void admitCreate(dev.kubetest.core.meta.ResourceType type, ObjectNode obj, AdmissionContext ctx) {
        dev.kubetest.core.meta.Finalizers.ensure(obj, "kubernetes.io/pv-protection");
    }

    @Override
    public void applyDefaults(ObjectNode obj) {
        ObjectNode s = Json.with(obj, "spec");
        Defaulting.putIfAbsent(s, "persistentVolumeReclaimPolicy", "Retain");
        Defaulting.putIfAbsent(s, "volumeMode", "Filesystem");
    }
}
