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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One sync of one Deployment, as upstream's deployment controller runs it: find or create the new ReplicaSet (the
 * one whose template is the Deployment's), keep revisions and the replicas annotations, then either scale
 * (proportionally, when replicas changed mid-rollout), roll (RollingUpdate or Recreate), and write the status with
 * the Progressing and Available conditions. Holds the Deployment and its ReplicaSets as read at the start.
 */
final class DeploymentSync {
    private static final WriteOptions MANAGER = WriteOptions.manager("kube-controller-manager");
    /** Upstream keeps the revision-history annotation under this many characters. */
    private static final int REVISION_HISTORY_CHARS = 2000;
    private static final Set<String> NOT_COPIED = Set.of("kubectl.kubernetes.io/last-applied-configuration",
            ReplicaSets.REVISION, ReplicaSets.REVISION_HISTORY, ReplicaSets.DESIRED_REPLICAS, ReplicaSets.MAX_REPLICAS,
            "deprecated.deployment.rollback.to");

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
        boolean changed = setNewSetAnnotations(copy, Long.toString(newRevision), true);
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
            ObjectNode status = ((ObjectNode) d.path("status")).deepCopy();
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
        setNewSetAnnotations(rs, Long.toString(newRevision), false);
        ObjectNode created;
        try {
            created = api.create(replicaSets, ns, rs, MANAGER).deepCopy();
        } catch (ApiException e) {
            if (e.code() == 409 && "AlreadyExists".equals(e.reason())) {
                return adoptExistingOrCollide(rs);
            }
            String msg = "Failed to create new replica set \"" + name(rs) + "\": " + e.getMessage();
            if (DeploymentStatus.progressDeadline(d).isPresent()) {
                ObjectNode status = ((ObjectNode) d.path("status")).deepCopy();
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
            ObjectNode status = ((ObjectNode) d.path("status")).deepCopy();
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
        ObjectNode status = ((ObjectNode) d.path("status")).deepCopy();
        status.put("collisionCount", status.path("collisionCount").asInt(0) + 1);
        writeStatus(status);
        throw ApiException.conflict(replicaSets, name(wanted), "pod template hash collision; trying another name");
    }

    /**
     * Upstream's SetNewReplicaSetAnnotations: copies the Deployment's annotations, raises the revision (keeping the
     * old one in revision-history when a set is brought back by a rollback), and on a new set the replicas ones.
     */
    private boolean setNewSetAnnotations(ObjectNode rs, String newRevision, boolean exists) {
        ObjectNode annotations = Json.with(Json.with(rs, "metadata"), "annotations");
        boolean changed = false;
        for (var e : (Iterable<Map.Entry<String, JsonNode>>) () -> d.path("metadata").path("annotations").fields()) {
            if (!NOT_COPIED.contains(e.getKey()) && !e.getValue().equals(annotations.get(e.getKey()))) {
                annotations.set(e.getKey(), e.getValue());
                changed = true;
            }
        }
        String oldRevision = annotations.path(ReplicaSets.REVISION).asText("");
        long oldInt = oldRevision.isEmpty() ? 0 : parse(oldRevision);
        long newInt = parse(newRevision);
        if (oldInt < newInt) {
            annotations.put(ReplicaSets.REVISION, newRevision);
            changed = true;
            if (!oldRevision.isEmpty()) {
                annotations.put(ReplicaSets.REVISION_HISTORY,
                        revisionHistory(annotations.path(ReplicaSets.REVISION_HISTORY).asText(""), oldRevision));
            }
        }
        if (!exists) {
            changed |= setReplicasAnnotations(rs);
        }
        return changed;
    }

    static String revisionHistory(String history, String oldRevision) {
        if (history.isEmpty()) {
            return oldRevision;
        }
        List<String> revisions = new ArrayList<>(List.of(history.split(",")));
        int total = history.length() + oldRevision.length() + 1;
        while (total > REVISION_HISTORY_CHARS && !revisions.isEmpty()) {
            total -= revisions.remove(0).length() + 1;
        }
        revisions.add(oldRevision);
        return String.join(",", revisions);
    }

    private static long parse(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** Sets desired-replicas and max-replicas to the Deployment's; whether they changed. */
    private boolean setReplicasAnnotations(ObjectNode rs) {
        ObjectNode annotations = Json.with(Json.with(rs, "metadata"), "annotations");
        String desired = Integer.toString(RolloutMath.replicas(d));
        String max = Integer.toString(RolloutMath.replicas(d) + RolloutMath.maxSurge(d));
        boolean changed = !desired.equals(annotations.path(ReplicaSets.DESIRED_REPLICAS).asText(null))
                || !max.equals(annotations.path(ReplicaSets.MAX_REPLICAS).asText(null));
        annotations.put(ReplicaSets.DESIRED_REPLICAS, desired);
        annotations.put(ReplicaSets.MAX_REPLICAS, max);
        return changed;
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
        boolean annotations = setReplicasAnnotations(copy);
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
        int replicas = RolloutMath.replicas(d);
        List<ObjectNode> all = new ArrayList<>(old);
        if (newSet != null) {
            all.add(newSet);
        }
        List<ObjectNode> active = all.stream().filter(rs -> ReplicaSets.replicas(rs) > 0).toList();
        if (active.size() <= 1) {
            ObjectNode target = active.size() == 1 ? active.get(0) : newSet != null ? newSet
                    : old.stream().max(ReplicaSets.BY_CREATION).orElse(null);
            if (target != null && ReplicaSets.replicas(target) != replicas) {
                scale(target, replicas);
            }
            return;
        }
        if (saturated(newSet)) {
            for (ObjectNode rs : old) {
                if (ReplicaSets.replicas(rs) > 0) {
                    scale(rs, 0);
                }
            }
            return;
        }
        if (!RolloutMath.rollingUpdate(d)) {
            return;
        }
        int allowed = replicas > 0 ? replicas + RolloutMath.maxSurge(d) : 0;
        int toAdd = allowed - ReplicaSets.sumReplicas(active);
        Comparator<JsonNode> bySize = Comparator.comparingInt(ReplicaSets::replicas).reversed();
        List<ObjectNode> ordered = new ArrayList<>(active);
        ordered.sort(toAdd > 0 ? bySize.thenComparing(ReplicaSets.BY_CREATION.reversed())
                : bySize.thenComparing(ReplicaSets.BY_CREATION));
        Map<String, Integer> sizes = new HashMap<>();
        int added = 0;
        for (ObjectNode rs : ordered) {
            int share = toAdd != 0 ? RolloutMath.proportion(rs, d, toAdd, added) : 0;
            sizes.put(name(rs), ReplicaSets.replicas(rs) + share);
            added += share;
        }
        for (int i = 0; i < ordered.size(); i++) {
            ObjectNode rs = ordered.get(i);
            int size = sizes.get(name(rs));
            if (i == 0 && toAdd != 0) {
                size = Math.max(0, size + toAdd - added);
            }
            scale(rs, size);
        }
    }

    private boolean saturated(ObjectNode rs) {
        int replicas = RolloutMath.replicas(d);
        return rs != null && ReplicaSets.desiredReplicasAnnotation(rs).orElse(-1) == replicas
                && rs.path("status").path("availableReplicas").asInt(0) == replicas
                && ReplicaSets.replicas(rs) == replicas;
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

    /**
     * The status after a rollout step: counts, Progressing (NewReplicaSetAvailable when complete, ReplicaSetUpdated
     * on progress, ProgressDeadlineExceeded after the deadline), Available, and the sets' ReplicaFailure.
     */
    ObjectNode syncRolloutStatus(ObjectNode newSet) {
        String now = api.timestamp();
        ObjectNode next = DeploymentStatus.calculate(d, sets, newSet, now);
        var deadline = DeploymentStatus.progressDeadline(d);
        if (deadline.isEmpty()) {
            DeploymentStatus.remove(next, DeploymentStatus.PROGRESSING);
        }
        var currentCond = DeploymentStatus.get(d.path("status"), DeploymentStatus.PROGRESSING);
        boolean completeAlready = next.path("replicas").asInt() == next.path("updatedReplicas").asInt()
                && currentCond.isPresent() && DeploymentStatus.NEW_RS_AVAILABLE.equals(currentCond.get().path("reason").asText());
        if (deadline.isPresent() && !completeAlready) {
            String setName = newSet == null ? null : name(newSet);
            if (DeploymentStatus.complete(d, next)) {
                DeploymentStatus.set(next, DeploymentStatus.condition(DeploymentStatus.PROGRESSING, "True",
                        DeploymentStatus.NEW_RS_AVAILABLE, "ReplicaSet \"" + setName + "\" has successfully progressed.", now));
            } else if (DeploymentStatus.progressing(d, next)) {
                String msg = setName != null ? "ReplicaSet \"" + setName + "\" is progressing."
                        : "Deployment \"" + name(d) + "\" is progressing.";
                ObjectNode cond = DeploymentStatus.condition(DeploymentStatus.PROGRESSING, "True", "ReplicaSetUpdated", msg, now);
                if (currentCond.isPresent()) {
                    if ("True".equals(currentCond.get().path("status").asText())) {
                        cond.set("lastTransitionTime", currentCond.get().get("lastTransitionTime"));
                    }
                    DeploymentStatus.remove(next, DeploymentStatus.PROGRESSING);
                }
                DeploymentStatus.set(next, cond);
            } else if (DeploymentStatus.timedOut(d, next, api.clock().now())) {
                DeploymentStatus.set(next, DeploymentStatus.condition(DeploymentStatus.PROGRESSING, "False",
                        DeploymentStatus.TIMED_OUT, "ReplicaSet \"" + setName + "\" has timed out progressing.", now));
            }
        }
        JsonNode failure = replicaFailure(newSet);
        if (failure != null) {
            DeploymentStatus.set(next, DeploymentStatus.condition(DeploymentStatus.REPLICA_FAILURE,
                    failure.path("status").asText(), failure.path("reason").asText(), failure.path("message").asText(), now));
        } else {
            DeploymentStatus.remove(next, DeploymentStatus.REPLICA_FAILURE);
        }
        writeStatus(next);
        return next;
    }

    private JsonNode replicaFailure(ObjectNode newSet) {
        List<ObjectNode> ordered = new ArrayList<>();
        if (newSet != null) {
            ordered.add(newSet);
        }
        ordered.addAll(oldSets(newSet));
        for (ObjectNode rs : ordered) {
            for (JsonNode c : rs.path("status").path("conditions")) {
                if ("ReplicaFailure".equals(c.path("type").asText())) {
                    return c;
                }
            }
        }
        return null;
    }

    /** Paused and resumed show as Progressing Unknown, unless the deadline was already reported exceeded. */
    void checkPausedConditions() {
        if (DeploymentStatus.progressDeadline(d).isEmpty()) {
            return;
        }
        var cond = DeploymentStatus.get(d.path("status"), DeploymentStatus.PROGRESSING);
        if (cond.isPresent() && DeploymentStatus.TIMED_OUT.equals(cond.get().path("reason").asText())) {
            return;
        }
        boolean pausedShown = cond.isPresent() && DeploymentStatus.PAUSED.equals(cond.get().path("reason").asText());
        boolean paused = d.path("spec").path("paused").asBoolean(false);
        if (paused == pausedShown) {
            return;
        }
        ObjectNode status = ((ObjectNode) d.path("status")).deepCopy();
        DeploymentStatus.set(status, DeploymentStatus.condition(DeploymentStatus.PROGRESSING, "Unknown",
                paused ? DeploymentStatus.PAUSED : DeploymentStatus.RESUMED,
                paused ? "Deployment is paused" : "Deployment is resumed", api.timestamp()));
        writeStatus(status);
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

    ObjectNode deployment() {
        return d;
    }
}
