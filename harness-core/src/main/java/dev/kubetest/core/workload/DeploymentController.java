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
import dev.kubetest.core.meta.ListOptions;
import dev.kubetest.core.meta.ResourceType;
import dev.kubetest.core.meta.WriteOptions;
import dev.kubetest.core.selector.LabelSelector;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Deployment controller, as kube-controller-manager's: claims the ReplicaSets its selector matches, and each
 * sync ({@link DeploymentSync}) either scales them when only replicas changed or paused, or rolls them
 * (RollingUpdate or Recreate) towards the template, then writes the status. A rollout that makes no progress
 * comes back when its progress deadline passes, in cluster time.
 */
public final class DeploymentController extends QueueController<String> {
    public static final String NAME = "deployment";
    private static final WriteOptions MANAGER = WriteOptions.manager("kube-controller-manager");

    private final KubeApi api;
    private final ResourceEvents events;
    private final ResourceType deployments;
    private final ResourceType replicaSets;
    private final ResourceType pods;
    private final EventRecorder recorder;
    /** Deployments by key: their UID and selector, from their own events. */
    private final Map<String, Indexed> index = new ConcurrentHashMap<>();
    /** The Deployment key that controls each ReplicaSet UID, from the sets' events: what a pod event re-queues. */
    private final Map<String, String> ownerOfSet = new ConcurrentHashMap<>();

    private record Indexed(String uid, LabelSelector selector) {}

    public DeploymentController(KubeApi api, ResourceEvents events) {
        super(api.clock());
        this.api = api;
        this.events = events;
        this.deployments = api.registry().find("apps", "v1", "deployments").orElseThrow();
        this.replicaSets = api.registry().find("apps", "v1", "replicasets").orElseThrow();
        this.pods = api.registry().find("", "v1", "pods").orElseThrow();
        this.recorder = new EventRecorder(api, "deployment-controller", null);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    protected void watch() {
        events.addListener(deployments, (type, eventType, d) -> {
            String key = ObjectKeys.of(d);
            if (eventType == WatchEventType.DELETED) {
                index.remove(key);
                return;
            }
            JsonNode sel = d.path("spec").path("selector");
            index.put(key, new Indexed(d.path("metadata").path("uid").asText(),
                    LabelSelector.fromJson(sel.isMissingNode() ? null : sel)));
            queue.add(key);
        });
        events.addListener(replicaSets, (type, eventType, rs) -> {
            String ns = rs.path("metadata").path("namespace").asText();
            String uid = rs.path("metadata").path("uid").asText();
            Optional<JsonNode> ref = ControllerRefs.of(rs);
            if (ref.isPresent()) {
                String key = ObjectKeys.of(ns, ref.get().path("name").asText());
                Indexed d = index.get(key);
                if (d != null && d.uid().equals(ref.get().path("uid").asText())) {
                    if (eventType == WatchEventType.DELETED) {
                        ownerOfSet.remove(uid);
                    } else {
                        ownerOfSet.put(uid, key);
                    }
                    queue.add(key);
                }
                return;
            }
            ownerOfSet.remove(uid);
            if (eventType != WatchEventType.DELETED) {
                Map<String, String> labels = LabelSelector.labelsOf(rs);
                index.forEach((key, d) -> {
                    if (ObjectKeys.namespace(key).equals(ns) && d.selector() != null && !d.selector().isEverything()
                            && d.selector().matches(labels)) {
                        queue.add(key);
                    }
                });
            }
        });
        // the sets' status carries what a rollout needs of their pods; only Recreate waits on the pods themselves
        // being gone (or finished), as upstream's deletePod handler
        events.addListener(pods, (type, eventType, pod) -> {
            String phase = Pods.phase(pod);
            if (eventType == WatchEventType.DELETED || "Succeeded".equals(phase) || "Failed".equals(phase)) {
                String owner = ownerOfSet.get(ControllerRefs.uidOf(pod));
                if (owner != null) {
                    queue.add(owner);
                }
            }
        });
    }

    @Override
    protected Result reconcile(String key) {
        String ns = ObjectKeys.namespace(key);
        ObjectNode d = api.find(deployments, ns, ObjectKeys.name(key)).orElse(null);
        if (d == null) {
            return Result.DONE;
        }
        JsonNode sel = d.path("spec").path("selector");
        LabelSelector selector = LabelSelector.fromJson(sel.isMissingNode() ? null : sel);
        if (selector == null || selector.isEverything()) {
            recorder.record(d, null, "Warning", "SelectingAll",
                    "This deployment is selecting all pods. A non-empty selector is required.");
            return Result.DONE;
        }
        List<ObjectNode> sets = claim(d.deepCopy(), selector);
        DeploymentSync sync = new DeploymentSync(api, deployments, replicaSets, recorder, d.deepCopy(), sets);
        if (d.path("metadata").hasNonNull("deletionTimestamp")) {
            sync.syncStatusOnly();
            return Result.DONE;
        }
        sync.checkPausedConditions();
        if (d.path("spec").path("paused").asBoolean(false) || sync.isScalingEvent()) {
            sync.syncScale();
            return Result.DONE;
        }
        ObjectNode newSet = RolloutMath.rollingUpdate(d) ? sync.rollingUpdate() : sync.recreate(podsBySet(ns, sets));
        ObjectNode status = sync.syncRolloutStatus(newSet);
        return DeploymentStatus.untilDeadline(sync.deployment(), status, api.clock().now())
                .map(Result::requeueAfter).orElse(Result.DONE);
    }

    /** The Deployment's ReplicaSets after adopting matching orphans and releasing owned sets that stopped matching. */
    private List<ObjectNode> claim(ObjectNode d, LabelSelector selector) {
        String ns = d.path("metadata").path("namespace").asText();
        String uid = d.path("metadata").path("uid").asText();
        boolean deleting = d.path("metadata").hasNonNull("deletionTimestamp");
        List<ObjectNode> owned = new ArrayList<>();
        for (ObjectNode rs : api.lists().list(replicaSets, ns, ListOptions.all()).items()) {
            boolean matches = selector.matches(LabelSelector.labelsOf(rs));
            String controller = ControllerRefs.uidOf(rs);
            if (controller.equals(uid)) {
                if (matches || deleting) {
                    owned.add(rs.deepCopy());
                } else {
                    changeOwner(rs, current -> ControllerRefs.remove(current, uid));
                }
            } else if (controller.isEmpty() && matches && !deleting && !rs.path("metadata").hasNonNull("deletionTimestamp")) {
                changeOwner(rs, current -> {
                    if (ControllerRefs.of(current).isPresent()) {
                        throw ApiException.conflict(replicaSets, rs.path("metadata").path("name").asText(),
                                "the ReplicaSet has another controller");
                    }
                    ControllerRefs.add(current, ControllerRefs.to(d, "apps/v1", "Deployment"));
                }).ifPresent(owned::add);
            }
        }
        return owned;
    }

    private Optional<ObjectNode> changeOwner(ObjectNode rs, java.util.function.Consumer<ObjectNode> change) {
        String rsUid = rs.path("metadata").path("uid").asText();
        try {
            return Optional.of(api.mutate(replicaSets, rs.path("metadata").path("namespace").asText(),
                    rs.path("metadata").path("name").asText(), null, MANAGER, current -> {
                        if (!rsUid.equals(current.path("metadata").path("uid").asText())) {
                            throw ApiException.conflict(replicaSets, rs.path("metadata").path("name").asText(),
                                    "the ReplicaSet was replaced");
                        }
                        change.accept(current);
                        return current;
                    }, KubeApi.Target.MAIN).deepCopy());
        } catch (ApiException e) {
            return Optional.empty();
        }
    }

    /** The pods of each of the sets, by the set's UID (what Recreate waits on). */
    private Map<String, List<JsonNode>> podsBySet(String ns, List<ObjectNode> sets) {
        Set<String> uids = new HashSet<>();
        sets.forEach(rs -> uids.add(rs.path("metadata").path("uid").asText()));
        Map<String, List<JsonNode>> out = new HashMap<>();
        for (ObjectNode pod : api.lists().list(pods, ns, ListOptions.all()).items()) {
            String owner = ControllerRefs.uidOf(pod);
            if (uids.contains(owner)) {
                out.computeIfAbsent(owner, k -> new ArrayList<>()).add(pod);
            }
        }
        return out;
    }
}
