package dev.kubetest.core.storage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubetest.core.api.KubeApi;
import dev.kubetest.core.api.WatchEventType;
import dev.kubetest.core.controller.ObjectKeys;
import dev.kubetest.core.controller.QueueController;
import dev.kubetest.core.controller.ResourceEvents;
import dev.kubetest.core.events.EventRecorder;
import dev.kubetest.core.json.Json;
import dev.kubetest.core.meta.ApiException;
import dev.kubetest.core.meta.DeleteOptions;
import dev.kubetest.core.meta.Finalizers;
import dev.kubetest.core.meta.ListOptions;
import dev.kubetest.core.meta.ResourceType;
import dev.kubetest.core.meta.WriteOptions;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The persistent volume controller with the simulated provisioner, as kube-controller-manager's PV controller and
 * an external provisioner together: claims bind to matching static volumes or get a volume provisioned
 * ({@code pvc-<claim uid>}) by their class (at once for Immediate, once the scheduler has picked a node for
 * WaitForFirstConsumer); volumes go Available, Bound, Released (and are deleted with their storage under the Delete
 * policy); a claim whose volume went is Lost; the pvc-protection and pv-protection finalizers are released once
 * nothing uses the object. Keys are {@code claim:<ns>/<name>} and {@code volume:<name>}.
 */
public final class PersistentVolumeController extends QueueController<String> {
    public static final String NAME = "persistentvolume-binder";
    /** The provisioner of the simulated runtime's volumes (the default class's). */
    public static final String PROVISIONER = "kubetest.dev/simulated";
    public static final String SELECTED_NODE = "volume.kubernetes.io/selected-node";
    static final String PVC_PROTECTION = "kubernetes.io/pvc-protection";
    static final String PV_PROTECTION = "kubernetes.io/pv-protection";
    private static final WriteOptions MANAGER = WriteOptions.manager("kube-controller-manager");

    private final KubeApi api;
    private final ResourceEvents events;
    private final ResourceType claims;
    private final ResourceType volumes;
    private final ResourceType classes;
    private final ResourceType pods;
    private final EventRecorder recorder;
    private final Consumer<String> deleteStorage;

    /** {@code deleteStorage} frees the storage behind a deleted volume (the runtime's directory for it). */
    public PersistentVolumeController(KubeApi api, ResourceEvents events, Consumer<String> deleteStorage) {
        super(api.clock());
        this.api = api;
        this.events = events;
        this.claims = api.registry().find("", "v1", "persistentvolumeclaims").orElseThrow();
        this.volumes = api.registry().find("", "v1", "persistentvolumes").orElseThrow();
        this.classes = api.registry().find("storage.k8s.io", "v1", "storageclasses").orElseThrow();
        this.pods = api.registry().find("", "v1", "pods").orElseThrow();
        this.recorder = new EventRecorder(api, "persistentvolume-controller", null);
        this.deleteStorage = deleteStorage;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    protected void watch() {
        events.addListener(claims, (type, eventType, pvc) -> {
            queue.add("claim:" + ObjectKeys.of(pvc));
            String volume = pvc.path("spec").path("volumeName").asText("");
            if (!volume.isEmpty()) {
                queue.add("volume:" + volume);
            }
        });
        events.addListener(volumes, (type, eventType, pv) -> {
            queue.add("volume:" + pv.path("metadata").path("name").asText());
            JsonNode ref = pv.path("spec").path("claimRef");
            if (ref.isObject()) {
                queue.add("claim:" + ObjectKeys.of(ref.path("namespace").asText(), ref.path("name").asText()));
            }
        });
        events.addListener(classes, (type, eventType, sc) -> {
            if (eventType != WatchEventType.DELETED) {
                queue.add("pending-claims");
            }
        });
        events.addListener(pods, (type, eventType, pod) -> {
            String phase = pod.path("status").path("phase").asText();
            if (eventType == WatchEventType.DELETED || "Succeeded".equals(phase) || "Failed".equals(phase)) {
                for (JsonNode v : pod.path("spec").path("volumes")) {
                    if (v.has("persistentVolumeClaim")) {
                        queue.add("claim:" + ObjectKeys.of(pod.path("metadata").path("namespace").asText(),
                                v.get("persistentVolumeClaim").path("claimName").asText()));
                    }
                }
            }
        });
    }

    @Override
    protected Result reconcile(String key) {
        if (key.equals("pending-claims")) {
            for (ObjectNode pvc : api.lists().list(claims, null, ListOptions.all()).items()) {
                if ("Pending".equals(pvc.path("status").path("phase").asText())) {
                    queue.add("claim:" + ObjectKeys.of(pvc));
                }
            }
            return Result.DONE;
        }
        if (key.startsWith("volume:")) {
            api.find(volumes, null, key.substring("volume:".length())).ifPresent(this::syncVolume);
            return Result.DONE;
        }
        String k = key.substring("claim:".length());
        api.find(claims, ObjectKeys.namespace(k), ObjectKeys.name(k)).ifPresent(this::syncClaim);
        return Result.DONE;
    }

    // ------------------------------------------------------------------ claims

    private void syncClaim(ObjectNode pvc) {
        if (pvc.path("metadata").hasNonNull("deletionTimestamp")) {
            releaseProtection(pvc);
            return;
        }
        String phase = pvc.path("status").path("phase").asText("Pending");
        String volumeName = pvc.path("spec").path("volumeName").asText("");
        if (!volumeName.isEmpty() && !"Pending".equals(phase)) {
            Optional<ObjectNode> pv = api.find(volumes, null, volumeName);
            if (pv.isEmpty() || !VolumeMatching.reservedFor(pv.get(), pvc)) {
                if (!"Lost".equals(phase)) {
                    setClaimStatus(pvc, "Lost", null);
                    recorder.record(pvc, null, "Warning", "ClaimLost", "Bound claim has lost its PersistentVolume. "
                            + "Data on the volume is lost!");
                }
            } else if ("Bound".equals(phase) && VolumeMatching.request(pvc).compareTo(VolumeMatching.capacity(pv.get())) > 0
                    && PROVISIONER.equals(pv.get().path("metadata").path("annotations").path("pv.kubernetes.io/provisioned-by").asText())) {
                expand(pvc, pv.get());
            }
            return;
        }
        List<ObjectNode> all = api.lists().list(volumes, null, ListOptions.all()).items();
        String className = pvc.path("spec").path("storageClassName").asText("");
        Optional<ObjectNode> sc = className.isEmpty() ? Optional.empty() : api.find(classes, null, className);
        boolean delayed = sc.map(c -> "WaitForFirstConsumer".equals(c.path("volumeBindingMode").asText())).orElse(false);
        String selectedNode = pvc.path("metadata").path("annotations").path(SELECTED_NODE).asText("");
        Optional<JsonNode> match = VolumeMatching.match(pvc, all);
        if (match.isPresent() && (!delayed || !selectedNode.isEmpty() || VolumeMatching.reservedFor(match.get(), pvc))) {
            bind(pvc, (ObjectNode) match.get());
            return;
        }
        if (className.isEmpty()) {
            recorder.record(pvc, null, "Normal", "FailedBinding",
                    "no persistent volumes available for this claim and no storage class is set");
            return;
        }
        if (sc.isEmpty()) {
            recorder.record(pvc, null, "Warning", "ProvisioningFailed",
                    "storageclass.storage.k8s.io \"" + className + "\" not found");
            return;
        }
        if (delayed && selectedNode.isEmpty()) {
            recorder.record(pvc, null, "Normal", "WaitForFirstConsumer", "waiting for first consumer to be created before binding");
            return;
        }
        String provisioner = sc.get().path("provisioner").asText();
        if (!PROVISIONER.equals(provisioner)) {
            recorder.record(pvc, null, "Normal", "ExternalProvisioning", "Waiting for a volume to be created either by "
                    + "the external provisioner '" + provisioner + "' or manually by the system administrator. If volume "
                    + "creation is delayed, please verify that the provisioner is running and correctly registered.");
            return;
        }
        provision(pvc, sc.get(), selectedNode);
    }

    /** The simulated volume grows to the claim's new request at once (no file system step is needed for it). */
    private void expand(ObjectNode pvc, ObjectNode pv) {
        String size = pvc.path("spec").path("resources").path("requests").path("storage").asText();
        String pvName = pv.path("metadata").path("name").asText();
        recorder.record(pvc, null, "Normal", "Resizing", "External resizer is resizing volume " + pvName);
        ObjectNode resized = api.mutate(volumes, null, pvName, null, MANAGER, c -> {
            Json.with(Json.with(c, "spec"), "capacity").put("storage", size);
            return c;
        }, KubeApi.Target.MAIN);
        api.mutate(claims, pvc.path("metadata").path("namespace").asText(), pvc.path("metadata").path("name").asText(),
                null, MANAGER, c -> {
                    ObjectNode status = Json.with(c, "status");
                    status.set("capacity", resized.path("spec").path("capacity").deepCopy());
                    Json.with(status, "allocatedResources").put("storage", size);
                    return c;
                }, KubeApi.Target.STATUS);
        recorder.record(pvc, null, "Normal", "VolumeResizeSuccessful", "resize volume " + pvName + " successful");
    }

    private void provision(ObjectNode pvc, JsonNode sc, String node) {
        String claimKey = ObjectKeys.of(pvc);
        annotate(pvc, "volume.kubernetes.io/storage-provisioner", PROVISIONER);
        recorder.record(pvc, null, "Normal", "Provisioning",
                "External provisioner is provisioning volume for claim \"" + claimKey + "\"");
        ObjectNode pv = SimulatedVolumes.volumeFor(pvc, sc, node);
        try {
            api.create(volumes, null, pv, MANAGER);
        } catch (ApiException e) {
            if (e.code() != 409) {
                recorder.record(pvc, null, "Warning", "ProvisioningFailed", "failed to provision volume: " + e.getMessage());
                throw e;
            }
        }
        recorder.record(pvc, null, "Normal", "ProvisioningSucceeded",
                "Successfully provisioned volume " + pv.path("metadata").path("name").asText());
    }

    private void annotate(ObjectNode pvc, String annotation, String value) {
        String uid = pvc.path("metadata").path("uid").asText();
        api.mutate(claims, pvc.path("metadata").path("namespace").asText(), pvc.path("metadata").path("name").asText(),
                null, MANAGER, c -> {
                    if (uid.equals(c.path("metadata").path("uid").asText())) {
                        Json.with(Json.with(c, "metadata"), "annotations").put(annotation, value);
                        Json.with(Json.with(c, "metadata"), "annotations").put("volume.beta.kubernetes.io/storage-provisioner", value);
                    }
                    return c;
                }, KubeApi.Target.MAIN);
    }

    /** Binds both ways: the volume's claimRef and phase, then the claim's volumeName, annotations and phase. */
    private void bind(ObjectNode pvc, ObjectNode pv) {
        String pvName = pv.path("metadata").path("name").asText();
        String uid = pvc.path("metadata").path("uid").asText();
        boolean byController = !pv.path("spec").path("claimRef").isObject();
        ObjectNode bound = api.mutate(volumes, null, pvName, null, MANAGER, c -> {
            JsonNode ref = c.path("spec").path("claimRef");
            if (ref.isObject() && !VolumeMatching.reservedFor(c, pvc)) {
                throw ApiException.conflict(volumes, pvName, "the volume was bound to another claim");
            }
            Json.with(c, "spec").set("claimRef", SimulatedVolumes.claimRef(pvc));
            if (byController) {
                Json.with(Json.with(c, "metadata"), "annotations").put("pv.kubernetes.io/bound-by-controller", "yes");
            }
            return c;
        }, KubeApi.Target.MAIN);
        setVolumePhase(bound, "Bound");
        ObjectNode claim = api.mutate(claims, pvc.path("metadata").path("namespace").asText(), pvc.path("metadata").path("name").asText(),
                null, MANAGER, c -> {
                    if (!uid.equals(c.path("metadata").path("uid").asText())) {
                        throw ApiException.conflict(claims, c.path("metadata").path("name").asText(), "the claim was replaced");
                    }
                    Json.with(c, "spec").put("volumeName", pvName);
                    ObjectNode annotations = Json.with(Json.with(c, "metadata"), "annotations");
                    annotations.put("pv.kubernetes.io/bind-completed", "yes");
                    if (byController) {
                        annotations.put("pv.kubernetes.io/bound-by-controller", "yes");
                    }
                    return c;
                }, KubeApi.Target.MAIN);
        setClaimStatus(claim, "Bound", bound);
    }

    private void setClaimStatus(ObjectNode pvc, String phase, JsonNode pv) {
        api.mutate(claims, pvc.path("metadata").path("namespace").asText(), pvc.path("metadata").path("name").asText(),
                null, MANAGER, c -> {
                    ObjectNode status = Json.with(c, "status");
                    status.put("phase", phase);
                    if (pv != null) {
                        status.set("accessModes", pv.path("spec").path("accessModes").deepCopy());
                        status.set("capacity", pv.path("spec").path("capacity").deepCopy());
                    }
                    return c;
                }, KubeApi.Target.STATUS);
    }

    /** A deleted claim keeps pvc-protection while a pod that has not finished uses it. */
    private void releaseProtection(ObjectNode pvc) {
        if (!Finalizers.has(pvc, PVC_PROTECTION)) {
            return;
        }
        String ns = pvc.path("metadata").path("namespace").asText();
        String name = pvc.path("metadata").path("name").asText();
        for (ObjectNode pod : api.lists().list(pods, ns, ListOptions.all()).items()) {
            String phase = pod.path("status").path("phase").asText();
            if ("Succeeded".equals(phase) || "Failed".equals(phase)) {
                continue;
            }
            for (JsonNode v : pod.path("spec").path("volumes")) {
                if (name.equals(v.path("persistentVolumeClaim").path("claimName").asText(null))) {
                    return;
                }
            }
        }
        removeFinalizer(claims, ns, name, PVC_PROTECTION);
    }

    // ------------------------------------------------------------------ volumes

    private void syncVolume(ObjectNode pv) {
        String name = pv.path("metadata").path("name").asText();
        String phase = pv.path("status").path("phase").asText("Pending");
        JsonNode ref = pv.path("spec").path("claimRef");
        if (pv.path("metadata").hasNonNull("deletionTimestamp")) {
            if (!"Bound".equals(phase) && Finalizers.has(pv, PV_PROTECTION)) {
                removeFinalizer(volumes, null, name, PV_PROTECTION);
            }
            return;
        }
        if (!ref.isObject()) {
            if (!"Available".equals(phase)) {
                setVolumePhase(pv, "Available");
            }
            return;
        }
        Optional<ObjectNode> claim = api.find(claims, ref.path("namespace").asText(), ref.path("name").asText());
        String uid = ref.path("uid").asText("");
        if (uid.isEmpty()) {
            // reserved for a claim by name: Available until that claim binds it
            if (!"Available".equals(phase) && !"Bound".equals(phase)) {
                setVolumePhase(pv, "Available");
            }
            return;
        }
        boolean claimHere = claim.isPresent() && uid.equals(claim.get().path("metadata").path("uid").asText());
        if (claimHere) {
            if (!"Bound".equals(phase) && name.equals(claim.get().path("spec").path("volumeName").asText())) {
                setVolumePhase(pv, "Bound");
            }
            return;
        }
        if (!"Released".equals(phase) && !"Failed".equals(phase)) {
            setVolumePhase(pv, "Released");
            pv = api.find(volumes, null, name).orElse(pv);
        }
        reclaim(pv);
    }

    /** A Released volume under the Delete policy goes with its storage; under Retain it stays Released. */
    private void reclaim(ObjectNode pv) {
        String policy = pv.path("spec").path("persistentVolumeReclaimPolicy").asText("Retain");
        String name = pv.path("metadata").path("name").asText();
        if ("Delete".equals(policy)) {
            if (api.deleteIfPresent(volumes, null, name, DeleteOptions.ifUid(pv.path("metadata").path("uid").asText()))) {
                deleteStorage.accept(SimulatedVolumes.storageKey(name));
            }
        } else if ("Recycle".equals(policy)) {
            deleteStorage.accept(SimulatedVolumes.storageKey(name));
            api.mutate(volumes, null, name, null, MANAGER, c -> {
                Json.with(c, "spec").remove("claimRef");
                return c;
            }, KubeApi.Target.MAIN);
        }
    }

    private void setVolumePhase(JsonNode pv, String phase) {
        api.mutate(volumes, null, pv.path("metadata").path("name").asText(), null, MANAGER, c -> {
            ObjectNode status = Json.with(c, "status");
            if (!phase.equals(status.path("phase").asText())) {
                status.put("phase", phase);
                status.put("lastPhaseTransitionTime", api.timestamp());
            }
            return c;
        }, KubeApi.Target.STATUS);
    }

    // ------------------------------------------------------------------ finalizers

    private void removeFinalizer(ResourceType type, String ns, String name, String finalizer) {
        try {
            api.mutate(type, ns, name, null, MANAGER, c -> {
                Finalizers.remove(c, finalizer);
                return c;
            }, KubeApi.Target.MAIN);
        } catch (ApiException e) {
            if (e.code() != 404) {
                throw e;
            }
        }
    }
}
