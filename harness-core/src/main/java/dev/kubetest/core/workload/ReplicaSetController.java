package dev.kubetest.core.workload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubetest.core.api.KubeApi;
import dev.kubetest.core.api.WatchEventType;
import dev.kubetest.core.controller.ObjectKeys;
import dev.kubetest.core.controller.QueueController;
import dev.kubetest.core.controller.ResourceEvents;
import dev.kubetest.core.events.EventRecorder;
import dev.kubetest.core.meta.ApiException;
import dev.kubetest.core.meta.DeleteOptions;
import dev.kubetest.core.meta.ListOptions;
import dev.kubetest.core.meta.ResourceType;
import dev.kubetest.core.meta.WriteOptions;
import dev.kubetest.core.selector.LabelSelector;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The ReplicaSet controller (and, with an equality-only selector, the ReplicationController manager), as
 * kube-controller-manager's: claims the pods of its namespace (adopts orphans its selector matches, releases owned
 * pods that stop matching), creates pods from the template in slow-start batches until {@code replicas} are
 * active, deletes the surplus in {@link DeletionOrder}, and writes the status. Its reads are of the store, not of a
 * lagging cache, and one key is reconciled at a time, so a reconcile always sees its own creates: upstream's
 * expectations, which exist to bridge a cache's lag, are not needed for "never create twice".
 */
public final class ReplicaSetController extends QueueController<String> {
    private static final WriteOptions MANAGER = WriteOptions.manager("kube-controller-manager");

    /** What differs between ReplicaSets and ReplicationControllers. */
    private record Kind(String name, ResourceType type, String apiVersion, String kind, boolean mapSelector,
                        String component) {}

    private final KubeApi api;
    private final ResourceEvents events;
    private final Kind kind;
    private final ResourceType pods;
    private final EventRecorder recorder;
    /** The selector and UID of every set, by key, kept from the sets' own events for the pod handler. */
    private final Map<String, Indexed> index = new ConcurrentHashMap<>();

    private record Indexed(String uid, LabelSelector selector) {}

    private ReplicaSetController(KubeApi api, ResourceEvents events, Kind kind) {
        super(api.clock());
        this.api = api;
        this.events = events;
        this.kind = kind;
        this.pods = api.registry().find("", "v1", "pods").orElseThrow();
        this.recorder = new EventRecorder(api, kind.component(), null);
    }

    /** The controller of apps/v1 ReplicaSets. */
    public static ReplicaSetController replicaSets(KubeApi api, ResourceEvents events) {
        return new ReplicaSetController(api, events, new Kind("replicaset",
                api.registry().find("apps", "v1", "replicasets").orElseThrow(), "apps/v1", "ReplicaSet", false,
                "replicaset-controller"));
    }

    /** The controller of v1 ReplicationControllers. */
    public static ReplicaSetController replicationControllers(KubeApi api, ResourceEvents events) {
        return new ReplicaSetController(api, events, new Kind("replicationcontroller",
                api.registry().find("", "v1", "replicationcontrollers").orElseThrow(), "v1", "ReplicationController",
                true, "replication-controller"));
    }

    @Override
    public String name() {
        return kind.name();
    }

    @Override
    protected void watch() {
        events.addListener(kind.type(), (type, eventType, set) -> {
            String key = ObjectKeys.of(set);
            if (eventType == WatchEventType.DELETED) {
                index.remove(key);
                return;
            }
            index.put(key, new Indexed(set.path("metadata").path("uid").asText(), selectorOf(set)));
            queue.add(key);
        });
        events.addListener(pods, (type, eventType, pod) -> {
            String ns = pod.path("metadata").path("namespace").asText();
            Optional<JsonNode> ref = ControllerRefs.of(pod);
            if (ref.isPresent()) {
                String key = ObjectKeys.of(ns, ref.get().path("name").asText());
                Indexed set = index.get(key);
                if (set != null && set.uid().equals(ref.get().path("uid").asText())) {
                    queue.add(key);
                }
                return;
            }
            if (eventType == WatchEventType.DELETED || Pods.terminating(pod)) {
                return;
            }
            Map<String, String> labels = LabelSelector.labelsOf(pod);
            index.forEach((key, set) -> {
                if (ObjectKeys.namespace(key).equals(ns) && set.selector() != null && set.selector().matches(labels)) {
                    queue.add(key);
                }
            });
        });
    }

    private LabelSelector selectorOf(JsonNode set) {
        JsonNode sel = set.path("spec").path("selector");
        if (kind.mapSelector()) {
            return sel.isObject() ? LabelSelector.fromMap(sel) : null;
        }
        LabelSelector s = LabelSelector.fromJson(sel.isMissingNode() ? null : sel);
        return s == null || s.isEverything() ? null : s;
    }

    @Override
    protected Result reconcile(String key) {
        String ns = ObjectKeys.namespace(key);
        ObjectNode set = api.find(kind.type(), ns, ObjectKeys.name(key)).orElse(null);
        if (set == null) {
            return Result.DONE;
        }
        LabelSelector selector = selectorOf(set);
        if (selector == null) {
            return Result.DONE;
        }
        List<ObjectNode> all = api.lists().list(pods, ns, ListOptions.all()).items();
        List<JsonNode> owned = claim(set, selector, all);
        List<JsonNode> active = owned.stream().filter(Pods::active).toList();
        String failure = null;
        String failureReason = null;
        if (!set.path("metadata").hasNonNull("deletionTimestamp")) {
            int replicas = set.path("spec").path("replicas").asInt(1);
            int diff = active.size() - replicas;
            if (diff < 0) {
                failure = createPods(set, Math.min(-diff, SlowStart.BURST));
                failureReason = "FailedCreate";
            } else if (diff > 0) {
                failure = deletePods(set, active, Math.min(diff, SlowStart.BURST));
                failureReason = "FailedDelete";
            }
            if (failure != null || diff != 0) {
                // the status written below counts what this sync created or deleted, so a set whose observedGeneration
                // has caught up reports the pods it has (the Deployment controller relies on it)
                owned = api.lists().list(pods, ns, ListOptions.all()).items().stream()
                        .filter(p -> ControllerRefs.controlledBy(p, set)).map(p -> (JsonNode) p).toList();
                active = owned.stream().filter(Pods::active).toList();
            }
        }
        Instant now = api.clock().now();
        long minReady = set.path("spec").path("minReadySeconds").asLong(0);
        ReplicaSetStatus.Counts counts = ReplicaSetStatus.count(active, set.path("spec").path("template"), minReady, now);
        ReplicaSetStatus.write(api, kind.type(), set, counts, failure == null ? null : failureReason, failure);
        if (failure != null) {
            // as upstream's sync returning the error: the key comes back with the queue's back-off
            throw new ApiException(500, "InternalError", failure, set.path("metadata").path("name").asText(),
                    kind.type().group(), kind.kind(), java.util.List.of());
        }
        return active.stream().map(p -> Pods.untilAvailable(p, minReady, now)).flatMap(Optional::stream)
                .min(Duration::compareTo).map(Result::requeueAfter).orElse(Result.DONE);
    }

    /**
     * The pods this set controls after adopting the orphans its selector matches and releasing the owned pods it no
     * longer matches (neither while the set is being deleted), as upstream's PodControllerRefManager.
     */
    private List<JsonNode> claim(ObjectNode set, LabelSelector selector, List<ObjectNode> all) {
        boolean deleting = set.path("metadata").hasNonNull("deletionTimestamp");
        String uid = set.path("metadata").path("uid").asText();
        List<JsonNode> owned = new ArrayList<>();
        for (ObjectNode pod : all) {
            boolean matches = selector.matches(LabelSelector.labelsOf(pod));
            String controller = ControllerRefs.uidOf(pod);
            if (controller.equals(uid)) {
                if (matches || deleting) {
                    owned.add(pod);
                } else {
                    release(pod, uid);
                }
            } else if (controller.isEmpty() && matches && !deleting && !Pods.terminating(pod)) {
                adopt(set, pod).ifPresent(owned::add);
            }
        }
        return owned;
    }

    private Optional<JsonNode> adopt(ObjectNode set, ObjectNode pod) {
        String podUid = pod.path("metadata").path("uid").asText();
        try {
            return Optional.of(api.mutate(pods, pod.path("metadata").path("namespace").asText(),
                    pod.path("metadata").path("name").asText(), null, MANAGER, current -> {
                        if (!podUid.equals(current.path("metadata").path("uid").asText())
                                || ControllerRefs.of(current).isPresent()) {
                            throw ApiException.conflict(pods, current.path("metadata").path("name").asText(),
                                    "the pod changed owner while being adopted");
                        }
                        ControllerRefs.add(current, ControllerRefs.to(set, kind.apiVersion(), kind.kind()));
                        return current;
                    }, KubeApi.Target.MAIN));
        } catch (ApiException e) {
            return Optional.empty();
        }
    }

    private void release(ObjectNode pod, String ownerUid) {
        String podUid = pod.path("metadata").path("uid").asText();
        try {
            api.mutate(pods, pod.path("metadata").path("namespace").asText(), pod.path("metadata").path("name").asText(),
                    null, MANAGER, current -> {
                        if (podUid.equals(current.path("metadata").path("uid").asText())) {
                            ControllerRefs.remove(current, ownerUid);
                        }
                        return current;
                    }, KubeApi.Target.MAIN);
        } catch (ApiException e) {
            // gone or changed: the next sync sees it as it is
        }
    }

    /** Creates {@code count} pods in slow-start batches; the first error's message, or null. */
    private String createPods(ObjectNode set, int count) {
        String[] failure = new String[1];
        String ns = set.path("metadata").path("namespace").asText();
        SlowStart.run(count, () -> {
            try {
                ObjectNode pod = PodTemplates.podFor(set, set.path("spec").path("template"),
                        ControllerRefs.to(set, kind.apiVersion(), kind.kind()));
                ObjectNode created = api.create(pods, ns, pod, MANAGER);
                recorder.record(set, null, "Normal", "SuccessfulCreate",
                        "Created pod: " + created.path("metadata").path("name").asText());
                return true;
            } catch (ApiException e) {
                if (failure[0] == null) {
                    failure[0] = e.getMessage();
                }
                if (!PodTemplates.namespaceTerminating(e)) {
                    recorder.record(set, null, "Warning", "FailedCreate", "Error creating: " + e.getMessage());
                }
                return false;
            }
        });
        return failure[0];
    }

    /** Deletes {@code count} of the active pods, those upstream would pick first; the first error, or null. */
    private String deletePods(ObjectNode set, List<JsonNode> active, int count) {
        String failure = null;
        for (JsonNode pod : DeletionOrder.victims(active, relatedPods(set, active), count, api.clock().now())) {
            String name = pod.path("metadata").path("name").asText();
            try {
                api.delete(pods, pod.path("metadata").path("namespace").asText(), name,
                        DeleteOptions.ifUid(pod.path("metadata").path("uid").asText()));
                recorder.record(set, null, "Normal", "SuccessfulDelete", "Deleted pod: " + name);
            } catch (ApiException e) {
                if (e.code() != 404 && failure == null) {
                    failure = e.getMessage();
                    recorder.record(set, null, "Warning", "FailedDelete", "Error deleting: " + e.getMessage());
                }
            }
        }
        return failure;
    }

    /**
     * The pods that rank a victim by how many share its node: those of every set with the same controller (the
     * old and new ReplicaSets of one Deployment), or the set's own when it has no controller.
     */
    private List<JsonNode> relatedPods(ObjectNode set, List<JsonNode> own) {
        String controller = ControllerRefs.uidOf(set);
        if (controller.isEmpty()) {
            return own;
        }
        String ns = set.path("metadata").path("namespace").asText();
        Set<String> siblings = new HashSet<>();
        for (ObjectNode s : api.lists().list(kind.type(), ns, ListOptions.all()).items()) {
            if (controller.equals(ControllerRefs.uidOf(s))) {
                siblings.add(s.path("metadata").path("uid").asText());
            }
        }
        List<JsonNode> related = new ArrayList<>();
        for (ObjectNode p : api.lists().list(pods, ns, ListOptions.all()).items()) {
            if (siblings.contains(ControllerRefs.uidOf(p))) {
                related.add(p);
            }
        }
        return related;
    }
}
