package dev.kubetest.core.workload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubetest.core.api.KubeApi;
import dev.kubetest.core.controller.ObjectKeys;
import dev.kubetest.core.controller.QueueController;
import dev.kubetest.core.controller.ResourceEvents;
import dev.kubetest.core.events.EventRecorder;
import dev.kubetest.core.json.Json;
import dev.kubetest.core.meta.ApiException;
import dev.kubetest.core.meta.DeleteOptions;
import dev.kubetest.core.meta.ListOptions;
import dev.kubetest.core.meta.ResourceType;
import dev.kubetest.core.meta.WriteOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The DaemonSet controller, as kube-controller-manager's: one pod per node that should run it ({@link DaemonPods}),
 * pinned to the node and placed by the scheduler; pods removed from nodes that stop matching, surplus pods and
 * failed ones deleted (failed ones under a per-node back-off, {@link FailedPodBackoff}); RollingUpdate replacing pods of old revisions within maxUnavailable (or, with maxSurge,
 * starting the new pod first and removing the old one once the new one is available), OnDelete leaving that to the
 * user; ControllerRevisions as for StatefulSets; the status counts. Nodes joining or leaving re-sync every set.
 */
public final class DaemonSetController extends QueueController<String> {
    public static final String NAME = "daemonset";
    static final String GENERATION_LABEL = "pod-template-generation";
    private static final WriteOptions MANAGER = WriteOptions.manager("kube-controller-manager");

    private final KubeApi api;
    private final ResourceEvents events;
    private final ResourceType sets;
    private final ResourceType pods;
    private final ResourceType nodes;
    private final ResourceType revisions;
    private final EventRecorder recorder;
    private final java.util.Set<String> known = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final FailedPodBackoff failedPods = new FailedPodBackoff();

    public DaemonSetController(KubeApi api, ResourceEvents events) {
        super(api.clock());
        this.api = api;
        this.events = events;
        this.sets = api.registry().find("apps", "v1", "daemonsets").orElseThrow();
        this.pods = api.registry().find("", "v1", "pods").orElseThrow();
        this.nodes = api.registry().find("", "v1", "nodes").orElseThrow();
        this.revisions = api.registry().find("apps", "v1", "controllerrevisions").orElseThrow();
        this.recorder = new EventRecorder(api, "daemonset-controller", null);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    protected void watch() {
        events.addListener(sets, (type, eventType, ds) -> {
            String key = ObjectKeys.of(ds);
            if (eventType == dev.kubetest.core.api.WatchEventType.DELETED) {
                known.remove(key);
                failedPods.forget(key);
            } else {
                known.add(key);
            }
            queue.add(key);
        });
        events.addListener(pods, (type, eventType, pod) -> ControllerRefs.of(pod)
                .filter(ref -> "DaemonSet".equals(ref.path("kind").asText()))
                .ifPresent(ref -> queue.add(ObjectKeys.of(pod.path("metadata").path("namespace").asText(),
                        ref.path("name").asText()))));
        events.addListener(nodes, (type, eventType, node) -> known.forEach(queue::add));
    }

    @Override
    protected Result reconcile(String key) {
        String ns = ObjectKeys.namespace(key);
        ObjectNode ds = api.find(sets, ns, ObjectKeys.name(key)).orElse(null);
        if (ds == null) {
            return Result.DONE;
        }
        String uid = ds.path("metadata").path("uid").asText();
        List<ObjectNode> owned = api.lists().list(pods, ns, ListOptions.all()).items().stream()
                .filter(p -> ControllerRefs.uidOf(p).equals(uid)).map(p -> p.deepCopy()).toList();
        String updateHash = updateRevision(ds);
        ObjectNode podSpec = DaemonPods.withTolerations(ds.path("spec").path("template").path("spec"));
        Map<String, List<ObjectNode>> byNode = new HashMap<>();
        for (ObjectNode pod : owned) {
            byNode.computeIfAbsent(DaemonPods.nodeOf(pod), n -> new ArrayList<>()).add(pod);
        }
        List<ObjectNode> nodeList = api.lists().list(nodes, null, ListOptions.all()).items();
        Instant now = api.clock().now();
        long minReady = ds.path("spec").path("minReadySeconds").asLong(0);
        Map<String, ObjectNode> eligible = new java.util.LinkedHashMap<>();
        boolean deleting = ds.path("metadata").hasNonNull("deletionTimestamp");
        Duration backoffWait = null;
        for (ObjectNode node : nodeList) {
            String nodeName = node.path("metadata").path("name").asText();
            List<ObjectNode> here = byNode.getOrDefault(nodeName, List.of()).stream().filter(p -> !Pods.terminating(p)).toList();
            if (!DaemonPods.shouldRun(podSpec, node)) {
                if (!deleting) {
                    here.forEach(p -> delete(ds, p));
                }
                continue;
            }
            eligible.put(nodeName, node);
            if (deleting) {
                continue;
            }
            List<ObjectNode> failed = here.stream().filter(p -> "Failed".equals(Pods.phase(p))).toList();
            boolean failedPodWaits = false;
            for (ObjectNode p : failed) {
                String backoffKey = key + "/" + nodeName;
                Duration wait = failedPods.remaining(backoffKey, now);
                if (!wait.isZero()) {
                    // the failed pod stays (and holds the node's place) until its back-off passes
                    failedPodWaits = true;
                    backoffWait = backoffWait == null || wait.compareTo(backoffWait) < 0 ? wait : backoffWait;
                    continue;
                }
                failedPods.next(backoffKey, now);
                recorder.record(ds, null, "Warning", "FailedDaemonPod", "Found failed daemon pod " + ns + "/"
                        + p.path("metadata").path("name").asText() + " on node " + nodeName + ", will try to kill it");
                delete(ds, p);
            }
            List<ObjectNode> live = here.stream().filter(p -> !"Failed".equals(Pods.phase(p))).toList();
            if (live.isEmpty() && !failedPodWaits) {
                create(ds, podSpec, nodeName, updateHash);
            } else if (live.size() > 1 && !surging(ds)) {
                // keep the oldest; the rest go
                List<ObjectNode> sorted = new ArrayList<>(live);
                sorted.sort(Comparator.comparing((ObjectNode p) -> p.path("metadata").path("creationTimestamp").asText())
                        .thenComparing(p -> p.path("metadata").path("name").asText()));
                sorted.subList(1, sorted.size()).forEach(p -> delete(ds, p));
            }
        }
        if (!deleting) {
            // pods for nodes that are gone
            byNode.forEach((nodeName, list) -> {
                if (!nodeName.isEmpty() && nodeList.stream().noneMatch(n -> n.path("metadata").path("name").asText().equals(nodeName))) {
                    list.stream().filter(p -> !Pods.terminating(p)).forEach(p -> delete(ds, p));
                }
            });
            if ("RollingUpdate".equals(ds.path("spec").path("updateStrategy").path("type").asText("RollingUpdate"))) {
                DaemonSetRollout.roll(ds, eligible.keySet(), byNode, updateHash, now, minReady,
                        pod -> delete(ds, pod), nodeName -> create(ds, podSpec, nodeName, updateHash));
            }
        }
        writeStatus(ds, nodeList, podSpec, updateHash, now, minReady);
        Optional<Duration> again = owned.stream().map(p -> Pods.untilAvailable(p, minReady, now)).flatMap(Optional::stream)
                .min(Duration::compareTo);
        if (backoffWait != null && (again.isEmpty() || backoffWait.compareTo(again.get()) < 0)) {
            again = Optional.of(backoffWait);
        }
        return again.map(Result::requeueAfter).orElse(Result.DONE);
    }

    private boolean surging(JsonNode ds) {
        JsonNode surge = ds.path("spec").path("updateStrategy").path("rollingUpdate").path("maxSurge");
        return !surge.isMissingNode() && !surge.isNull() && !"0".equals(surge.asText()) && !"0%".equals(surge.asText());
    }

    /** The hash of the set's current template revision, its ControllerRevision made or renumbered as needed. */
    private String updateRevision(ObjectNode ds) {
        String ns = ds.path("metadata").path("namespace").asText();
        String uid = ds.path("metadata").path("uid").asText();
        List<ObjectNode> history = api.lists().list(revisions, ns, ListOptions.all()).items().stream()
                .filter(r -> ControllerRefs.uidOf(r).equals(uid)).toList();
        ObjectNode data = ControllerRevisions.data(ds);
        long max = ControllerRevisions.maxRevision(history);
        Optional<JsonNode> existing = ControllerRevisions.matching(history, data);
        if (existing.isPresent()) {
            if (existing.get().path("revision").asLong() < max) {
                api.mutate(revisions, ns, existing.get().path("metadata").path("name").asText(), null, MANAGER, c -> {
                    c.put("revision", max + 1);
                    return c;
                }, KubeApi.Target.MAIN);
            }
            return existing.get().path("metadata").path("labels").path(ControllerRevisions.HASH_LABEL).asText();
        }
        JsonNode collision = ds.path("status").get("collisionCount");
        ObjectNode rev = ControllerRevisions.revision(ds, "DaemonSet", data, max + 1,
                collision == null || collision.isNull() ? null : collision.asInt());
        try {
            api.create(revisions, ns, rev, MANAGER);
        } catch (ApiException e) {
            if (e.code() != 409) {
                throw e;
            }
        }
        return rev.path("metadata").path("labels").path(ControllerRevisions.HASH_LABEL).asText();
    }

    private void create(ObjectNode ds, ObjectNode podSpec, String nodeName, String hash) {
        ObjectNode template = Json.object();
        template.set("metadata", ds.path("spec").path("template").path("metadata").deepCopy());
        ObjectNode spec = podSpec.deepCopy();
        DaemonPods.pinToNode(spec, nodeName);
        template.set("spec", spec);
        ObjectNode pod = PodTemplates.podFor(ds, template, ControllerRefs.to(ds, "apps/v1", "DaemonSet"));
        ObjectNode labels = Json.with((ObjectNode) pod.get("metadata"), "labels");
        labels.put(ControllerRevisions.POD_LABEL, hash);
        labels.put(GENERATION_LABEL, Long.toString(ds.path("metadata").path("generation").asLong(1)));
        try {
            ObjectNode created = api.create(pods, ds.path("metadata").path("namespace").asText(), pod, MANAGER);
            recorder.record(ds, null, "Normal", "SuccessfulCreate", "Created pod: " + created.path("metadata").path("name").asText());
        } catch (ApiException e) {
            if (!PodTemplates.namespaceTerminating(e)) {
                recorder.record(ds, null, "Warning", "FailedCreate", "Error creating: " + e.getMessage());
            }
            throw e;
        }
    }

    private void delete(ObjectNode ds, JsonNode pod) {
        String name = pod.path("metadata").path("name").asText();
        try {
            api.delete(pods, pod.path("metadata").path("namespace").asText(), name,
                    DeleteOptions.ifUid(pod.path("metadata").path("uid").asText()));
            recorder.record(ds, null, "Normal", "SuccessfulDelete", "Deleted pod: " + name);
        } catch (ApiException e) {
            if (e.code() != 404 && e.code() != 409) {
                throw e;
            }
        }
    }

    private void writeStatus(ObjectNode ds, List<ObjectNode> nodeList, ObjectNode podSpec, String hash, Instant now,
                             long minReady) {
        String ns = ds.path("metadata").path("namespace").asText();
        String uid = ds.path("metadata").path("uid").asText();
        List<ObjectNode> owned = api.lists().list(pods, ns, ListOptions.all()).items().stream()
                .filter(p -> ControllerRefs.uidOf(p).equals(uid) && !Pods.terminating(p)).toList();
        int desired = 0;
        int current = 0;
        int misscheduled = 0;
        int ready = 0;
        int updated = 0;
        int available = 0;
        for (ObjectNode node : nodeList) {
            String nodeName = node.path("metadata").path("name").asText();
            List<ObjectNode> here = owned.stream().filter(p -> nodeName.equals(DaemonPods.nodeOf(p))).toList();
            boolean should = DaemonPods.shouldRun(podSpec, node);
            if (!should) {
                misscheduled += here.stream().anyMatch(p -> !p.path("spec").path("nodeName").asText("").isEmpty()) ? 1 : 0;
                continue;
            }
            desired++;
            if (here.isEmpty()) {
                continue;
            }
            current++;
            ObjectNode newest = here.stream().max(Comparator.comparing((ObjectNode p) ->
                    p.path("metadata").path("creationTimestamp").asText())).orElseThrow();
            if (Pods.ready(newest)) {
                ready++;
                if (Pods.available(newest, minReady, now)) {
                    available++;
                }
            }
            if (here.stream().anyMatch(p -> hash.equals(p.path("metadata").path("labels").path(ControllerRevisions.POD_LABEL).asText()))) {
                updated++;
            }
        }
        int[] c = {desired, current, misscheduled, ready, updated, available};
        try {
            api.mutate(sets, ns, ds.path("metadata").path("name").asText(), null, MANAGER, x -> {
                if (!uid.equals(x.path("metadata").path("uid").asText())) {
                    return x;
                }
                ObjectNode status = Json.with(x, "status");
                status.put("observedGeneration", x.path("metadata").path("generation").asLong());
                status.put("desiredNumberScheduled", c[0]);
                status.put("currentNumberScheduled", c[1]);
                status.put("numberMisscheduled", c[2]);
                status.put("numberReady", c[3]);
                status.put("updatedNumberScheduled", c[4]);
                status.put("numberAvailable", c[5]);
                status.put("numberUnavailable", c[0] - c[5]);
                return x;
            }, KubeApi.Target.STATUS);
        } catch (ApiException e) {
            if (e.code() != 404) {
                throw e;
            }
        }
    }
}
