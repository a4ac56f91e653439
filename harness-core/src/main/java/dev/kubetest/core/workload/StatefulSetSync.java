package dev.kubetest.core.workload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubetest.core.api.KubeApi;
import dev.kubetest.core.events.EventRecorder;
import dev.kubetest.core.json.Json;
import dev.kubetest.core.meta.ApiException;
import dev.kubetest.core.meta.DeleteOptions;
import dev.kubetest.core.meta.ResourceType;
import dev.kubetest.core.meta.WriteOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One sync of one StatefulSet, as upstream's StatefulSetControl: pods {@code <set>-<ordinal>} with their claims
 * (made first), created in ordinal order and each Running and Ready (for minReadySeconds) before the next under
 * OrderedReady, all at once under Parallel; ordinals beyond the replicas deleted highest first; failed pods
 * replaced; RollingUpdate replacing pods not at the update revision from the highest ordinal down to the
 * partition, maxUnavailable (default one) at a time; then the status.
 */
final class StatefulSetSync {
    static final String POD_NAME_LABEL = "statefulset.kubernetes.io/pod-name";
    static final String POD_INDEX_LABEL = "apps.kubernetes.io/pod-index";
    private static final WriteOptions MANAGER = WriteOptions.manager("kube-controller-manager");

    record Types(ResourceType sets, ResourceType pods, ResourceType claims) {}

    private final KubeApi api;
    private final Types types;
    private final EventRecorder recorder;
    private final ObjectNode set;
    private final JsonNode currentRevision;
    private final JsonNode updateRevision;
    private final Map<Integer, ObjectNode> pods = new TreeMap<>();
    private final String ns;
    private final String name;
    private final Instant now;

    StatefulSetSync(KubeApi api, Types types, EventRecorder recorder, ObjectNode set, List<ObjectNode> owned,
                    JsonNode currentRevision, JsonNode updateRevision) {
        this.api = api;
        this.types = types;
        this.recorder = recorder;
        this.set = set;
        this.currentRevision = currentRevision;
        this.updateRevision = updateRevision;
        this.ns = set.path("metadata").path("namespace").asText();
        this.name = set.path("metadata").path("name").asText();
        this.now = api.clock().now();
        for (ObjectNode pod : owned) {
            ordinalOf(name, pod.path("metadata").path("name").asText()).ifPresent(o -> pods.put(o, pod));
        }
    }

    /** The ordinal of a pod named {@code <set>-<ordinal>}. */
    static Optional<Integer> ordinalOf(String setName, String podName) {
        if (!podName.startsWith(setName + "-")) {
            return Optional.empty();
        }
        String tail = podName.substring(setName.length() + 1);
        if (tail.isEmpty() || !tail.chars().allMatch(Character::isDigit) || (tail.length() > 1 && tail.startsWith("0"))) {
            return Optional.empty();
        }
        try {
            return Optional.of(Integer.parseInt(tail));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private JsonNode spec() {
        return set.path("spec");
    }

    private int start() {
        return spec().path("ordinals").path("start").asInt(0);
    }

    private int replicas() {
        return spec().path("replicas").asInt(1);
    }

    private boolean parallel() {
        return "Parallel".equals(spec().path("podManagementPolicy").asText("OrderedReady"));
    }

    private String revisionName(JsonNode revision) {
        return revision.path("metadata").path("name").asText();
    }

    private boolean healthy(JsonNode pod) {
        return "Running".equals(Pods.phase(pod)) && !Pods.terminating(pod)
                && Pods.available(pod, spec().path("minReadySeconds").asLong(0), now);
    }

    /** Converges the pods; when to look again (a pod becoming available after minReadySeconds), if at all. */
    Duration run() {
        boolean deleting = set.path("metadata").hasNonNull("deletionTimestamp");
        if (!deleting) {
            converge();
        }
        writeStatus();
        long minReady = spec().path("minReadySeconds").asLong(0);
        return pods.values().stream().map(p -> Pods.untilAvailable(p, minReady, now)).flatMap(Optional::stream)
                .min(Duration::compareTo).orElse(null);
    }

    private void converge() {
        int first = start();
        int end = first + replicas();
        boolean monotonic = !parallel();
        // failed pods are replaced; pods of the wanted ordinals are made in order
        for (int ord = first; ord < end; ord++) {
            ObjectNode pod = pods.get(ord);
            if (pod != null && "Failed".equals(Pods.phase(pod)) && !Pods.terminating(pod)) {
                delete(pod);
                if (monotonic) {
                    return;
                }
                continue;
            }
            if (pod == null) {
                create(ord);
                if (monotonic) {
                    return;
                }
                continue;
            }
            if (monotonic && !healthy(pod)) {
                return;
            }
        }
        // ordinals beyond the replicas go, highest first
        List<Integer> condemned = new ArrayList<>(pods.keySet().stream().filter(o -> o < first || o >= end).toList());
        condemned.sort((a, b) -> Integer.compare(b, a));
        for (int ord : condemned) {
            ObjectNode pod = pods.get(ord);
            if (Pods.terminating(pod)) {
                if (monotonic) {
                    return;
                }
                continue;
            }
            if (monotonic && pods.entrySet().stream().anyMatch(e -> e.getKey() != ord && !healthy(e.getValue()))) {
                return;
            }
            markClaimsForScaleDown(ord, pod);
            delete(pod);
            if (monotonic) {
                return;
            }
        }
        if (!"RollingUpdate".equals(spec().path("updateStrategy").path("type").asText("RollingUpdate"))) {
            return;
        }
        JsonNode rolling = spec().path("updateStrategy").path("rollingUpdate");
        int partition = rolling.path("partition").asInt(0);
        int maxUnavailable = Math.max(1, RolloutMath.scaled(rolling.get("maxUnavailable"), replicas(), true));
        // as upstream: wait while maxUnavailable pods from the partition up are unhealthy, else delete as many
        // outdated pods as the budget allows, highest ordinal first
        int low = Math.max(first, partition);
        int unavailable = 0;
        for (int ord = low; ord < end; ord++) {
            ObjectNode pod = pods.get(ord);
            if (pod == null || !healthy(pod)) {
                unavailable++;
            }
        }
        int budget = maxUnavailable - unavailable;
        for (int ord = end - 1; ord >= low && budget > 0; ord--) {
            ObjectNode pod = pods.get(ord);
            if (pod != null && !Pods.terminating(pod)
                    && !revisionName(updateRevision).equals(pod.path("metadata").path("labels").path(ControllerRevisions.POD_LABEL).asText())) {
                delete(pod);
                budget--;
            }
        }
    }

    /** The revision a new pod of this ordinal gets: the current one below a RollingUpdate's partition, else the update one. */
    private JsonNode revisionFor(int ord) {
        int partition = spec().path("updateStrategy").path("rollingUpdate").path("partition").asInt(0);
        boolean rolling = "RollingUpdate".equals(spec().path("updateStrategy").path("type").asText("RollingUpdate"));
        // OnDelete: a pod someone deleted comes back at the update revision
        return rolling && ord < partition ? currentRevision : updateRevision;
    }

    private void create(int ord) {
        String podName = name + "-" + ord;
        JsonNode revision = revisionFor(ord);
        ObjectNode template = ControllerRevisions.template(revision).deepCopy();
        ObjectNode pod = PodTemplates.podFor(set, template, ControllerRefs.to(set, "apps/v1", "StatefulSet"));
        ObjectNode meta = (ObjectNode) pod.get("metadata");
        meta.remove("generateName");
        meta.put("name", podName);
        ObjectNode labels = Json.with(meta, "labels");
        labels.put(POD_NAME_LABEL, podName);
        labels.put(POD_INDEX_LABEL, Integer.toString(ord));
        labels.put(ControllerRevisions.POD_LABEL, revisionName(revision));
        ObjectNode podSpec = Json.with(pod, "spec");
        podSpec.put("hostname", podName);
        String service = spec().path("serviceName").asText("");
        if (!service.isEmpty()) {
            podSpec.put("subdomain", service);
        }
        for (JsonNode claimTemplate : spec().path("volumeClaimTemplates")) {
            String volume = claimTemplate.path("metadata").path("name").asText();
            String claimName = volume + "-" + podName;
            if (!ensureClaim(claimTemplate, claimName, podName)) {
                return;
            }
            ArrayNode volumes = podSpec.withArray("volumes");
            for (int i = volumes.size() - 1; i >= 0; i--) {
                if (volume.equals(volumes.get(i).path("name").asText())) {
                    volumes.remove(i);
                }
            }
            volumes.addObject().put("name", volume).putObject("persistentVolumeClaim").put("claimName", claimName);
        }
        try {
            pods.put(ord, api.create(types.pods(), ns, pod, MANAGER).deepCopy());
            recorder.record(set, null, "Normal", "SuccessfulCreate", "create Pod " + podName + " in StatefulSet " + name + " successful");
        } catch (ApiException e) {
            if (e.code() == 409 && "AlreadyExists".equals(e.reason())) {
                return;
            }
            recorder.record(set, null, "Warning", "FailedCreate", "create Pod " + podName + " in StatefulSet " + name
                    + " failed error: " + e.getMessage());
            throw e;
        }
    }

    /** Makes the pod's claim from its template unless it exists; false when it cannot be made. */
    private boolean ensureClaim(JsonNode claimTemplate, String claimName, String podName) {
        if (api.find(types.claims(), ns, claimName).isPresent()) {
            return true;
        }
        ObjectNode claim = Json.object();
        claim.put("apiVersion", "v1");
        claim.put("kind", "PersistentVolumeClaim");
        ObjectNode meta = claim.putObject("metadata");
        meta.put("name", claimName);
        ObjectNode labels = meta.putObject("labels");
        claimTemplate.path("metadata").path("labels").fields().forEachRemaining(e -> labels.set(e.getKey(), e.getValue()));
        spec().path("selector").path("matchLabels").fields().forEachRemaining(e -> labels.set(e.getKey(), e.getValue()));
        if (claimTemplate.path("metadata").path("annotations").isObject()) {
            meta.set("annotations", claimTemplate.path("metadata").path("annotations").deepCopy());
        }
        if ("Delete".equals(spec().path("persistentVolumeClaimRetentionPolicy").path("whenDeleted").asText("Retain"))) {
            ObjectNode ref = ControllerRefs.to(set, "apps/v1", "StatefulSet");
            ref.put("controller", true);
            meta.putArray("ownerReferences").add(ref);
        }
        claim.set("spec", claimTemplate.path("spec").deepCopy());
        try {
            api.create(types.claims(), ns, claim, MANAGER);
            recorder.record(set, null, "Normal", "SuccessfulCreate", "create Claim " + claimName + " Pod " + podName
                    + " in StatefulSet " + name + " success");
            return true;
        } catch (ApiException e) {
            if (e.code() == 409) {
                return true;
            }
            recorder.record(set, null, "Warning", "FailedCreate", "create Claim " + claimName + " for Pod " + podName
                    + " in StatefulSet " + name + " failed error: " + e.getMessage());
            return false;
        }
    }

    /** whenScaled Delete: the condemned pod's claims become its dependents, so they go with it. */
    private void markClaimsForScaleDown(int ord, JsonNode pod) {
        if (!"Delete".equals(spec().path("persistentVolumeClaimRetentionPolicy").path("whenScaled").asText("Retain"))) {
            return;
        }
        for (JsonNode claimTemplate : spec().path("volumeClaimTemplates")) {
            String claimName = claimTemplate.path("metadata").path("name").asText() + "-" + name + "-" + ord;
            try {
                api.mutate(types.claims(), ns, claimName, null, MANAGER, c -> {
                    ObjectNode ref = Json.object();
                    ref.put("apiVersion", "v1");
                    ref.put("kind", "Pod");
                    ref.put("name", pod.path("metadata").path("name").asText());
                    ref.put("uid", pod.path("metadata").path("uid").asText());
                    ControllerRefs.remove(c, set.path("metadata").path("uid").asText());
                    Json.with(c, "metadata").withArray("ownerReferences").add(ref);
                    return c;
                }, KubeApi.Target.MAIN);
            } catch (ApiException e) {
                if (e.code() != 404) {
                    throw e;
                }
            }
        }
    }

    private void delete(ObjectNode pod) {
        String podName = pod.path("metadata").path("name").asText();
        try {
            api.delete(types.pods(), ns, podName, DeleteOptions.ifUid(pod.path("metadata").path("uid").asText()));
            recorder.record(set, null, "Normal", "SuccessfulDelete", "delete Pod " + podName + " in StatefulSet " + name + " successful");
        } catch (ApiException e) {
            if (e.code() != 404 && e.code() != 409) {
                throw e;
            }
        }
    }

    private void writeStatus() {
        int replicas = 0;
        int ready = 0;
        int available = 0;
        int current = 0;
        int updated = 0;
        long minReady = spec().path("minReadySeconds").asLong(0);
        for (ObjectNode pod : pods.values()) {
            if (Pods.terminating(pod)) {
                continue;
            }
            replicas++;
            if (Pods.ready(pod) && "Running".equals(Pods.phase(pod))) {
                ready++;
                if (Pods.available(pod, minReady, now)) {
                    available++;
                }
            }
            String rev = pod.path("metadata").path("labels").path(ControllerRevisions.POD_LABEL).asText();
            if (rev.equals(revisionName(currentRevision))) {
                current++;
            }
            if (rev.equals(revisionName(updateRevision))) {
                updated++;
            }
        }
        String currentName = revisionName(currentRevision);
        if (updated == replicas() && ready == replicas() && replicas == replicas()) {
            // the rollout is done: the update revision becomes the current one
            currentName = revisionName(updateRevision);
            current = updated;
        }
        int replicaCount = replicas;
        int readyCount = ready;
        int availableCount = available;
        int currentCount = current;
        int updatedCount = updated;
        String currentRevisionName = currentName;
        String uid = set.path("metadata").path("uid").asText();
        try {
            api.mutate(types.sets(), ns, name, null, MANAGER, c -> {
                if (!uid.equals(c.path("metadata").path("uid").asText())) {
                    return c;
                }
                ObjectNode status = Json.with(c, "status");
                status.put("observedGeneration", c.path("metadata").path("generation").asLong());
                status.put("replicas", replicaCount);
                status.put("readyReplicas", readyCount);
                status.put("currentReplicas", currentCount);
                status.put("updatedReplicas", updatedCount);
                status.put("availableReplicas", availableCount);
                status.put("currentRevision", currentRevisionName);
                status.put("updateRevision", revisionName(updateRevision));
                if (!status.has("collisionCount")) {
                    status.put("collisionCount", 0);
                }
                return c;
            }, KubeApi.Target.STATUS);
        } catch (ApiException e) {
            if (e.code() != 404) {
                throw e;
            }
        }
    }
}
