package dev.kubetest.core.scheduler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubetest.core.api.KubeApi;
import dev.kubetest.core.meta.ResourceType;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What upstream's VolumeBinding plugin reads of a pod's claims: a claim that does not exist, a claim of an
 * Immediate class that is not bound yet (the pod waits), claims of WaitForFirstConsumer classes that wait for this
 * pod's node, and the volumes of bound claims, whose node affinity limits the nodes the pod may go to.
 */
record PodVolumes(String missingClaim, boolean unboundImmediate, List<ObjectNode> waitingClaims, List<JsonNode> boundVolumes,
                  boolean readWriteOncePodTaken) {
    static final String CONFLICT = "node(s) had volume node affinity conflict";
    static final String RWOP_CONFLICT = "node has pod using PersistentVolumeClaim with the same name and ReadWriteOncePod access mode";

    static PodVolumes of(KubeApi api, JsonNode pod) {
        ResourceType claims = api.registry().find("", "v1", "persistentvolumeclaims").orElseThrow();
        ResourceType volumes = api.registry().find("", "v1", "persistentvolumes").orElseThrow();
        ResourceType classes = api.registry().find("storage.k8s.io", "v1", "storageclasses").orElseThrow();
        String ns = pod.path("metadata").path("namespace").asText();
        boolean unboundImmediate = false;
        List<ObjectNode> waiting = new ArrayList<>();
        List<JsonNode> bound = new ArrayList<>();
        for (JsonNode v : pod.path("spec").path("volumes")) {
            if (!v.has("persistentVolumeClaim")) {
                continue;
            }
            String name = v.get("persistentVolumeClaim").path("claimName").asText();
            Optional<ObjectNode> claim = api.find(claims, ns, name);
            if (claim.isEmpty()) {
                return new PodVolumes(name, false, List.of(), List.of(), false);
            }
            boolean rwop = false;
            for (JsonNode m : claim.get().path("spec").path("accessModes")) {
                rwop |= "ReadWriteOncePod".equals(m.asText());
            }
            if (rwop && usedByAnother(api, pod, name)) {
                return new PodVolumes(null, false, List.of(), List.of(), true);
            }
            String volumeName = claim.get().path("spec").path("volumeName").asText("");
            if ("Bound".equals(claim.get().path("status").path("phase").asText()) && !volumeName.isEmpty()) {
                api.find(volumes, null, volumeName).ifPresent(bound::add);
                continue;
            }
            String className = claim.get().path("spec").path("storageClassName").asText("");
            boolean delayed = !className.isEmpty() && api.find(classes, null, className)
                    .map(sc -> "WaitForFirstConsumer".equals(sc.path("volumeBindingMode").asText())).orElse(false);
            if (delayed) {
                waiting.add(claim.get());
            } else {
                unboundImmediate = true;
            }
        }
        return new PodVolumes(null, unboundImmediate, waiting, bound, false);
    }

    /** Another pod that has not finished mounts the claim (the VolumeRestrictions plugin's ReadWriteOncePod check). */
    private static boolean usedByAnother(KubeApi api, JsonNode pod, String claim) {
        ResourceType pods = api.registry().find("", "v1", "pods").orElseThrow();
        String uid = pod.path("metadata").path("uid").asText();
        for (JsonNode other : api.lists().list(pods, pod.path("metadata").path("namespace").asText(),
                dev.kubetest.core.meta.ListOptions.all()).items()) {
            String phase = other.path("status").path("phase").asText();
            if (uid.equals(other.path("metadata").path("uid").asText()) || "Succeeded".equals(phase) || "Failed".equals(phase)) {
                continue;
            }
            for (JsonNode v : other.path("spec").path("volumes")) {
                if (claim.equals(v.path("persistentVolumeClaim").path("claimName").asText(null))) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Every bound volume's node affinity admits the node. */
    boolean nodeFits(JsonNode node) {
        for (JsonNode pv : boundVolumes) {
            JsonNode terms = pv.path("spec").path("nodeAffinity").path("required").path("nodeSelectorTerms");
            if (!terms.isArray() || terms.isEmpty()) {
                continue;
            }
            boolean any = false;
            for (JsonNode term : terms) {
                any |= SchedulingFilters.termMatches(term, node);
            }
            if (!any) {
                return false;
            }
        }
        return true;
    }
}
