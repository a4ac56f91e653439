package dev.kubetest.core.storage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubetest.core.json.Json;

/**
 * The volumes the simulated provisioner makes and where their files live: a PersistentVolume {@code pvc-<claim
 * uid>} of the claim's size, access modes and class, reserved for the claim, pinned to the selected node when the
 * class waits for the first consumer (as node-local provisioners do); its files are the runtime's storage
 * {@code volume/<pv name>}, which lives as long as the volume.
 */
public final class SimulatedVolumes {
    private SimulatedVolumes() {}

    public static String storageKey(String pvName) {
        return "volume/" + pvName;
    }

    /** Where a bound claim's files live: a node's path for hostPath and local volumes, else the volume's own. */
    public static String storageKey(JsonNode pv, String podNode) {
        JsonNode spec = pv.path("spec");
        String path = spec.path("hostPath").path("path").asText(spec.path("local").path("path").asText(""));
        if (!path.isEmpty()) {
            return "node/" + podNode + (path.startsWith("/") ? path : "/" + path);
        }
        return storageKey(pv.path("metadata").path("name").asText());
    }

    /** A volume's reference to the claim it is bound (or reserved) to. */
    static ObjectNode claimRef(JsonNode pvc) {
        ObjectNode ref = Json.object();
        ref.put("kind", "PersistentVolumeClaim");
        ref.put("namespace", pvc.path("metadata").path("namespace").asText());
        ref.put("name", pvc.path("metadata").path("name").asText());
        ref.put("uid", pvc.path("metadata").path("uid").asText());
        ref.put("apiVersion", "v1");
        ref.put("resourceVersion", pvc.path("metadata").path("resourceVersion").asText());
        return ref;
    }

    static ObjectNode volumeFor(JsonNode pvc, JsonNode storageClass, String node) {
        ObjectNode pv = Json.object();
        pv.put("apiVersion", "v1");
        pv.put("kind", "PersistentVolume");
        ObjectNode meta = pv.putObject("metadata");
        meta.put("name", "pvc-" + pvc.path("metadata").path("uid").asText());
        meta.putObject("annotations").put("pv.kubernetes.io/provisioned-by", PersistentVolumeController.PROVISIONER);
        ObjectNode spec = pv.putObject("spec");
        spec.putObject("capacity").put("storage", pvc.path("spec").path("resources").path("requests").path("storage").asText("1Gi"));
        spec.set("accessModes", pvc.path("spec").path("accessModes").deepCopy());
        spec.put("persistentVolumeReclaimPolicy", storageClass.path("reclaimPolicy").asText("Delete"));
        spec.put("storageClassName", storageClass.path("metadata").path("name").asText());
        spec.put("volumeMode", pvc.path("spec").path("volumeMode").asText("Filesystem"));
        spec.set("claimRef", claimRef(pvc));
        spec.putObject("csi").put("driver", PersistentVolumeController.PROVISIONER)
                .put("volumeHandle", pvc.path("metadata").path("uid").asText());
        if (node != null && !node.isEmpty()) {
            ObjectNode term = spec.putObject("nodeAffinity").putObject("required").putArray("nodeSelectorTerms").addObject();
            ObjectNode expr = term.putArray("matchExpressions").addObject();
            expr.put("key", "kubernetes.io/hostname");
            expr.put("operator", "In");
            expr.putArray("values").add(node);
        }
        return pv;
    }
}
