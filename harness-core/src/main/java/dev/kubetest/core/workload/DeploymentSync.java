package dev.kubetest.core.workload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubetest.core.api.KubeApi;
import dev.kubetest.core.events.EventRecorder;
import dev.kubetest.core.json.Json;
import dev.kubetest.core.meta.ApiException;
import dev.kubetest.core.meta.DeleteOptions;
import dev.kubetest.core.meta.ResourceType;
import dev.kubetest.core.meta.WriteOptions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * One sync of one Deployment, as upstream's deployment controller runs it: find or create the new ReplicaSet (the
 * one whose template is the Deployment's), keep revisions and the replicas annotations, then either scale
 * (proportionally, when replicas changed mid-rollout), roll (RollingUpdate or Recreate), and write the status with
 * the Progressing and Available conditions. Holds the Deployment and its ReplicaSets as read at the start.
 */
final class DeploymentSync {
    private static final WriteOptions MANAGER = WriteOptions.manager("kube-controller-manager");

    private final KubeApi api;
    private final ResourceType deployments;
    private final ResourceType replicaSets;
    private final EventRecorder recorder;
    private ObjectNode d;
    private final List<ObjectNode> sets;
    private final String ns;

    DeploymentSync(KubeApi api, ResourceType deployments, ResourceType replicaSets, EventRecorder recorder,
                   ObjectNode deployment, List<ObjectNode> sets) {
        this.api = api;
        this.deployments = deployments;
        this.replicaSets = replicaSets;
        this.recorder = recorder;
        this.d = deployment;
        this.sets = new ArrayList<>(sets);
        this.ns = deployment.path("metadata").path("namespace").asText();
    }

    private String name(JsonNode obj) {
        return obj.path("metadata").path("name").asText();
    }

    // ------------------------------------------------------------------ new and old ReplicaSets

    /** The oldest ReplicaSet whose template is the Deployment's, if there is one. */
    private ObjectNode findNew() {
        return sets.stream().sorted(ReplicaSets.BY_CREATION)
                .filter(rs -> PodTemplateHash.equalIgnoringHash(rs.path("spec").path("template"), d.path("spec").path("template")))
                .findFirst().orElse(null);
    }

    private List<ObjectNode> oldSets(ObjectNode newSet) {
        List<ObjectNode> old = new ArrayList<>();
        for (ObjectNode rs : sets) {
            if (newSet == null || !rs.path("metadata").path("uid").equals(newSet.path("metadata").path("uid"))) {
                old.add(rs);
            }
        }
        return old;
    }

    /**
     * The new ReplicaSet with its revision and annotations brought up to date (and the Deployment's revision
     * annotation and FoundNewReplicaSet condition), created when {@code create} and there is none.
     */
    ObjectNode newSet(boolean create) {
        ObjectNode existing = findNew();
        List<ObjectNode> old = oldSets(existing);
        long newRevision = old.stream().mapToLong(ReplicaSets::revision).max().orElse(0) + 1;
        if (existing != null) {
            return syncExisting(existing, newRevision);
        }
        return create ? createNew(old, newRevision) : null;
    }

    private ObjectNode syncExisting(ObjectNode rs, long newRevision) {
        ObjectNode copy = rs.deepCopy();
        boolean changed = RevisionAnnotations.setOnNewSet(d, copy, Long.toString(newRevision), true);
        long minReady = d.path("spec").path("minReadySeconds").asLong(0);
        if (copy.path("spec").path("minReadySeconds").asLong(0) != minReady) {
            Json.with(copy, "spec").put("minReadySeconds", minReady);
            changed = true;
        }
        ObjectNode current = rs;
        if (changed) {
            current = api.mutate(replicaSets, ns, name(rs), rs.path("metadata").path("resourceVersion").asText(), MANAGER, c -> {
                Json.with(c, "metadata").set("annotations", copy.path("metadata").path("annotations").deepCopy());
                Json.with(c, "spec").put("minReadySeconds", minReady);
                return c;
            }, KubeApi.Target.MAIN).deepCopy();
            replace(current);
        }
        String revision = ReplicaSets.annotation(current, ReplicaSets.REVISION).orElse("");
        setDeploymentRevision(revision);
        if (DeploymentStatus.get(d.path("status"), DeploymentStatus.PROGRESSING).isEmpty()
                && DeploymentStatus.progressDeadline(d).isPresent()) {
            ObjectNode status = statusCopy();
            DeploymentStatus.set(status, DeploymentStatus.condition(DeploymentStatus.PROGRESSING, "True",
                    "FoundNewReplicaSet", "Found new replica set \"" + name(current) + "\"", api.timestamp()));
            writeStatus(status);
        }
        return current;
    }

    private ObjectNode createNew(List<ObjectNode> old, long newRevision) {
        JsonNode collision = d.path("status").get("collisionCount");
        String hash = PodTemplateHash.of(d.path("spec").path("template"),
                collision == null || collision.isNull() ? null : collision.asInt());
        ObjectNode template = d.path("spec").path("template").deepCopy();
        Json.with(Json.with(template, "metadata"), "labels").put(PodTemplateHash.LABEL, hash);
        ObjectNode selector = d.path("spec").path("selector").deepCopy();
        Json.with(selector, "matchLabels").put(PodTemplateHash.LABEL, hash);
        ObjectNode rs = Json.object();
        rs.put("apiVersion", "apps/v1");
        rs.put("kind", "ReplicaSet");
        ObjectNode meta = rs.putObject("metadata");
        meta.put("name", name(d) + "-" + hash);
        meta.put("namespace", ns);
        meta.set("labels", template.path("metadata").path("labels").deepCopy());
        meta.putArray("ownerReferences").add(ControllerRefs.to(d, "apps/v1", "Deployment"));
        ObjectNode spec = rs.putObject("spec");
        spec.put("replicas", 0);
        spec.put("minReadySeconds", d.path("spec").path("minReadySeconds").asInt(0));
        spec.set("selector", selector);
        spec.set("template", template);
        List<JsonNode> all = new ArrayList<>(old);
        all.add(rs);
        int replicas = RolloutMath.newReplicaSetReplicas(d, all, rs);
        spec.put("replicas", replicas);
        RevisionAnnotations.setOnNewSet(d, rs, Long.toString(newRevision), false);
        ObjectNode created;
        try {
            created = api.create(replicaSets, ns, rs, MANAGER).deepCopy();
        } catch (ApiException e) {
            if (e.code() == 409 && "AlreadyExists".equals(e.reason())) {
                return adoptExistingOrCollide(rs);
            }
            String msg = "Failed to create new replica set \"" + name(rs) + "\": " + e.getMessage();
            if (DeploymentStatus.progressDeadline(d).isPresent()) {
                ObjectNode status = statusCopy();
                DeploymentStatus.set(status, DeploymentStatus.condition(DeploymentStatus.PROGRESSING, "False",
                        "ReplicaSetCreateError", msg, api.timestamp()));
                writeStatus(status);
            }
            recorder.record(d, null, "Warning", "FailedCreate", msg);
            throw e;
        }
        sets.add(created);
        if (replicas > 0) {
            recorder.record(d, null, "Normal", "ScalingReplicaSet",
                    "Scaled up replica set " + name(created) + " from 0 to " + replicas);
        }
        setDeploymentRevision(Long.toString(newRevision));
        if (DeploymentStatus.progressDeadline(d).isPresent()) {
            ObjectNode status = statusCopy();
            DeploymentStatus.set(status, DeploymentStatus.condition(DeploymentStatus.PROGRESSING, "True",
                    "NewReplicaSetCreated", "Created new replica set \"" + name(created) + "\"", api.timestamp()));
            writeStatus(status);
        }
        return created;
    }

    /**
     * A ReplicaSet of the wanted name exists: it is this Deployment's new one when it is controlled by it with the
     * same template; otherwise the hash collides, and the collision count goes up so that the next sync tries
     * another name.
     */
    private ObjectNode adoptExistingOrCollide(ObjectNode wanted) {
        ObjectNode found = api.find(replicaSets, ns, name(wanted)).orElse(null);
        if (found != null && ControllerRefs.controlledBy(found, d)
                && PodTemplateHash.equalIgnoringHash(found.path("spec").path("template"), d.path("spec").path("template"))) {
            return found;
        }
        ObjectNode status = statusCopy();
        status.put("collisionCount", status.path("collisionCount").asInt(0) + 1);
        writeStatus(status);
        throw ApiException.conflict(replicaSets, name(wanted), "pod template hash collision; trying another name");
    }

    private void setDeploymentRevision(String revision) {
        if (revision.isEmpty() || revision.equals(ReplicaSets.annotation(d, ReplicaSets.REVISION).orElse(""))) {
            return;
        }
        d = api.mutate(deployments, ns, name(d), null, MANAGER, c -> {
            Json.with(Json.with(c, "metadata"), "annotations").put(ReplicaSets.REVISION, revision);
            return c;
        }, KubeApi.Target.MAIN).deepCopy();
    }

    // ------------------------------------------------------------------ scaling

    /** Sets a ReplicaSet's replicas (and replicas annotations), with a ScalingReplicaSet event; whether it grew or shrank. */
    boolean scale(ObjectNode rs, int replicas) {
        int old = ReplicaSets.replicas(rs);
        ObjectNode copy = rs.deepCopy();
        boolean annotations = RevisionAnnotations.setReplicas(d, copy);
        if (old == replicas && !annotations) {
            return false;
        }
        String uid = rs.path("metadata").path("uid").asText();
        ObjectNode updated = api.mutate(replicaSets, ns, name(rs), null, MANAGER, c -> {
            if (!uid.equals(c.path("metadata").path("uid").asText())) {
                throw ApiException.conflict(replicaSets, name(rs), "the ReplicaSet was replaced");
            }
            Json.with(c, "spec").put("replicas", replicas);
            ObjectNode a = Json.with(Json.with(c, "metadata"), "annotations");
            a.set(ReplicaSets.DESIRED_REPLICAS, copy.path("metadata").path("annotations").get(ReplicaSets.DESIRED_REPLICAS));
            a.set(ReplicaSets.MAX_REPLICAS, copy.path("metadata").path("annotations").get(ReplicaSets.MAX_REPLICAS));
            return c;
        }, KubeApi.Target.MAIN).deepCopy();
        replace(updated);
        if (old != replicas) {
            recorder.record(d, null, "Normal", "ScalingReplicaSet", "Scaled " + (replicas > old ? "up" : "down")
                    + " replica set " + name(rs) + " to " + replicas + " from " + old);
            return true;
        }
        return false;
    }

    private void replace(ObjectNode rs) {
        for (int i = 0; i < sets.size(); i++) {
            if (sets.get(i).path("metadata").path("uid").equals(rs.path("metadata").path("uid"))) {
                sets.set(i, rs);
                return;
            }
        }
    }

    private ObjectNode current(ObjectNode rs) {
        if (rs == null) {
            return null;
        }
        return sets.stream().filter(s -> s.path("metadata").path("uid").equals(rs.path("metadata").path("uid")))
                .findFirst().orElse(rs);
    }

    /** A change of replicas: some active set's desired-replicas annotation is not the Deployment's replicas. */
    boolean isScalingEvent() {
        newSet(false);
        for (JsonNode rs : ReplicaSets.active(sets)) {
            var desired = ReplicaSets.desiredReplicasAnnotation(rs);
            if (desired.isPresent() && desired.get() != RolloutMath.replicas(d)) {
                return true;
            }
        }
        return false;
    }

    /** Scaling without a rollout (also while paused): upstream's sync. */
    void syncScale() {
        ObjectNode newSet = newSet(false);
        scaleProportionally(newSet, oldSets(newSet));
        newSet = current(newSet);
        if (d.path("spec").path("paused").asBoolean(false)) {
            cleanup(oldSets(newSet));
        }
        writeStatus(DeploymentStatus.calculate(d, sets, current(newSet), api.timestamp()));
    }

    private void scaleProportionally(ObjectNode newSet, List<ObjectNode> old) {
        ProportionalScaling.plan(d, newSet, old).forEach(this::scale);
    }

    // ------------------------------------------------------------------ strategies

    /** RollingUpdate: grow the new set within maxSurge, else shrink old ones within maxUnavailable. */
    ObjectNode rollingUpdate() {
        ObjectNode newSet = newSet(true);
        List<ObjectNode> old = oldSets(newSet);
        int replicas = RolloutMath.replicas(d);
        boolean scaled;
        if (ReplicaSets.replicas(newSet) > replicas) {
            scaled = scale(newSet, replicas);
        } else if (sets.stream().anyMatch(ReplicaSets::statusBehind)) {
            // a set that has not yet acted on its last scale still has the pods it had: growing now could take the
            // pods beyond replicas + maxSurge; its status update comes back here
            scaled = false;
        } else {
            scaled = scale(newSet, RolloutMath.newReplicaSetReplicas(d, sets, newSet));
        }
        if (!scaled) {
            scaled = scaleDownOld(current(newSet), oldSets(current(newSet)));
        }
        newSet = current(newSet);
        if (!scaled) {
            cleanup(oldSets(newSet));
        }
        return newSet;
    }

    private boolean scaleDownOld(ObjectNode newSet, List<ObjectNode> old) {
        int oldPods = ReplicaSets.sumReplicas(old);
        if (oldPods == 0) {
            return false;
        }
        if (sets.stream().anyMatch(ReplicaSets::statusBehind)) {
            // counts of a set whose controller has not yet acted on its last scale are not the pods there are:
            // scaling down on them could take availability below the bound; the set's status update comes back here
            return false;
        }
        int minAvailable = RolloutMath.replicas(d) - RolloutMath.maxUnavailable(d);
        int newUnavailable = ReplicaSets.replicas(newSet) - newSet.path("status").path("availableReplicas").asInt(0);
        int maxScaledDown = ReplicaSets.sumReplicas(sets) - minAvailable - newUnavailable;
        if (maxScaledDown <= 0) {
            return false;
        }
        List<ObjectNode> ordered = new ArrayList<>(old.stream().filter(rs -> ReplicaSets.replicas(rs) > 0).toList());
        ordered.sort(ReplicaSets.BY_CREATION);
        // unhealthy replicas first: scaling them away costs no availability
        int cleaned = 0;
        for (ObjectNode rs : ordered) {
            if (cleaned >= maxScaledDown) {
                break;
            }
            int size = ReplicaSets.replicas(rs);
            int unhealthy = size - rs.path("status").path("availableReplicas").asInt(0);
            if (size == 0 || unhealthy <= 0) {
                continue;
            }
            int by = Math.min(maxScaledDown - cleaned, unhealthy);
            scale(rs, size - by);
            cleaned += by;
        }
        int availableNow = ReplicaSets.sumStatus(sets, "availableReplicas");
        int scaledDown = 0;
        if (availableNow > minAvailable) {
            int total = availableNow - minAvailable;
            for (ObjectNode original : ordered) {
                ObjectNode rs = current(original);
                if (scaledDown >= total) {
                    break;
                }
                int size = ReplicaSets.replicas(rs);
                if (size == 0) {
                    continue;
                }
                int by = Math.min(size, total - scaledDown);
                scale(rs, size - by);
                scaledDown += by;
            }
        }
        return cleaned + scaledDown > 0;
    }

    /** Recreate: every old set to zero, wait until their pods are gone, then the new set at full size. */
    ObjectNode recreate(Map<String, List<JsonNode>> podsBySet) {
        ObjectNode newSet = newSet(false);
        boolean scaledDown = false;
        for (ObjectNode rs : oldSets(newSet)) {
            if (ReplicaSets.replicas(rs) > 0) {
                scaledDown |= scale(rs, 0);
            }
        }
        if (scaledDown || oldPodsRunning(newSet, podsBySet)) {
            return current(newSet);
        }
        if (newSet == null) {
            newSet = newSet(true);
        }
        scale(newSet, RolloutMath.replicas(d));
        newSet = current(newSet);
        if (DeploymentStatus.complete(d, d.path("status"))) {
            cleanup(oldSets(newSet));
        }
        return newSet;
    }

    private boolean oldPodsRunning(ObjectNode newSet, Map<String, List<JsonNode>> podsBySet) {
        if (ReplicaSets.sumStatus(oldSets(newSet), "replicas") > 0) {
            return true;
        }
        String newUid = newSet == null ? "" : newSet.path("metadata").path("uid").asText();
        for (Map.Entry<String, List<JsonNode>> e : podsBySet.entrySet()) {
            if (e.getKey().equals(newUid)) {
                continue;
            }
            for (JsonNode pod : e.getValue()) {
                String phase = Pods.phase(pod);
                if (!"Failed".equals(phase) && !"Succeeded".equals(phase)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Deletes the oldest empty old sets beyond revisionHistoryLimit. */
    private void cleanup(List<ObjectNode> old) {
        JsonNode limitNode = d.path("spec").path("revisionHistoryLimit");
        if (!limitNode.isNumber()) {
            return;
        }
        List<ObjectNode> alive = new ArrayList<>(old.stream()
                .filter(rs -> !rs.path("metadata").hasNonNull("deletionTimestamp")).toList());
        int diff = alive.size() - limitNode.asInt();
        if (diff <= 0) {
            return;
        }
        alive.sort(Comparator.comparingLong(ReplicaSets::revision).thenComparing(ReplicaSets.BY_CREATION));
        for (int i = 0; i < diff; i++) {
            ObjectNode rs = alive.get(i);
            if (rs.path("status").path("replicas").asInt(0) != 0 || ReplicaSets.replicas(rs) != 0
                    || rs.path("metadata").path("generation").asLong() > rs.path("status").path("observedGeneration").asLong()) {
                continue;
            }
            try {
                api.delete(replicaSets, ns, name(rs), DeleteOptions.ifUid(rs.path("metadata").path("uid").asText()));
            } catch (ApiException e) {
                if (e.code() != 404) {
                    throw e;
                }
            }
        }
    }

    // ------------------------------------------------------------------ status

    /** The status after a rollout step ({@link DeploymentProgress#next}), written. */
    ObjectNode syncRolloutStatus(ObjectNode newSet) {
        ObjectNode next = DeploymentProgress.next(d, sets, newSet, api.clock().now(), api.timestamp());
        writeStatus(next);
        return next;
    }

    /** Paused and resumed show as Progressing Unknown ({@link DeploymentProgress#pausedOrResumed}). */
    void checkPausedConditions() {
        DeploymentProgress.pausedOrResumed(d, api.timestamp()).ifPresent(this::writeStatus);
    }

    /** The status as the sets give it, without touching Progressing: for a Deployment being deleted. */
    void syncStatusOnly() {
        ObjectNode newSet = findNew();
        writeStatus(DeploymentStatus.calculate(d, sets, newSet, api.timestamp()));
    }

    private void writeStatus(ObjectNode status) {
        if (status.equals(d.path("status"))) {
            return;
        }
        String uid = d.path("metadata").path("uid").asText();
        d = api.mutate(deployments, ns, name(d), null, MANAGER, c -> {
            if (!uid.equals(c.path("metadata").path("uid").asText())) {
                throw ApiException.conflict(deployments, name(d), "the Deployment was replaced");
            }
            c.set("status", status.deepCopy());
            return c;
        }, KubeApi.Target.STATUS).deepCopy();
    }

    private ObjectNode statusCopy() {
        return d.path("status").isObject() ? ((ObjectNode) d.get("status")).deepCopy() : Json.object();
    }

    ObjectNode deployment() {
        return d;
    }
}
