package dev.kubetest.core.scheduler;

import dev.kubetest.core.controller.ObjectKeys;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubetest.core.meta.ApiException;
import dev.kubetest.core.api.PodConditions;
import dev.kubetest.core.api.KubeApi;
import dev.kubetest.core.subresource.PodSubresources;
import dev.kubetest.core.meta.ListOptions;
import dev.kubetest.core.meta.ResourceType;
import dev.kubetest.core.meta.WriteOptions;
import dev.kubetest.core.controller.QueueController;
import dev.kubetest.core.events.EventRecorder;
import dev.kubetest.core.json.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The default scheduler: places each unscheduled pod whose {@code schedulerName} is {@code default-scheduler} on
 * the best feasible node (filters: {@link SchedulingFilters}, {@link PodAffinity}, {@link TopologySpread}; scores:
 * {@link NodeScoring}), binds it through {@code pods/binding} and
 * records Scheduled; when no node fits it sets PodScheduled=False/Unschedulable (written only when it changes) and
 * records FailedScheduling with upstream's message. Such a pod then waits, as in upstream's unschedulable pool
 * ({@link UnschedulablePods}), until a cluster event could make it fit (a node added or changed in what scheduling
 * reads, an assigned pod deleted or finished, a claim changed, its own spec or labels changed; an assigned pod added
 * only for pods that failed on inter-pod rules), with a back-off of 1 s doubling to 10 s between attempts, or until
 * it has waited 5 minutes (the periodic flush): nothing is retried while nothing changes.
 */
public final class Scheduler extends QueueController<String> {
    public static final String NAME = "scheduler";
    static final String SELECTED_NODE = "volume.kubernetes.io/selected-node";

    private final KubeApi api;
    private final PodSubresources podBinding;
    private final ResourceType pods;
    private final ResourceType nodes;
    private final ResourceType namespaces;
    private final ResourceType claims;
    private final ResourceType budgets;
    private final EventRecorder events;
    private final BoundPods bound = new BoundPods();
    private final Set<String> pending = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** The priority of each pending pod: the queue hands out higher priorities first, as upstream's PrioritySort. */
    private final java.util.Map<String, Integer> priorities = new java.util.concurrent.ConcurrentHashMap<>();
    private final UnschedulablePods unschedulable;
    /** Where the next search for feasible nodes starts (upstream's nextStartNodeIndex). */
    private int nextStartNode;
    /** What scheduling reads of each node, to tell a heartbeat from a change that could make a pod fit. */
    private final Map<String, String> nodeViews = new java.util.concurrent.ConcurrentHashMap<>();
    /** The labels of each assigned pod, to tell inter-pod rules' waiters when one comes or changes. */
    private final Map<String, String> assignedLabels = new java.util.concurrent.ConcurrentHashMap<>();

    /** A scheduler that binds pods through {@code pods/binding}, as kube-scheduler does. */
    public Scheduler(KubeApi api, PodSubresources podBinding) {
        super(api.clock());
        this.api = api;
        this.podBinding = podBinding;
        this.pods = api.registry().find("", "v1", "pods").orElseThrow();
        this.nodes = api.registry().find("", "v1", "nodes").orElseThrow();
        this.namespaces = api.registry().find("", "v1", "namespaces").orElseThrow();
        this.claims = api.registry().find("", "v1", "persistentvolumeclaims").orElseThrow();
        this.budgets = api.registry().find("policy", "v1", "poddisruptionbudgets").orElseThrow();
        this.events = new EventRecorder(api, "default-scheduler", null);
        queue.order(java.util.Comparator.comparingInt((String key) -> -priorities.getOrDefault(key, 0)));
        this.unschedulable = new UnschedulablePods(api.clock(), queue);
    }

    @Override
    public String name() {
        return NAME;
    }


    @Override
    protected void watch() {
        onClose(api.lists().watch(pods, null, ListOptions.all(), (type, pod) -> {
            boolean wasBound = bound.contains(pod);
            bound.observe(type, pod);
            String key = ObjectKeys.of(pod);
            boolean assigned = !pod.path("spec").path("nodeName").asText("").isEmpty();
            if (type == dev.kubetest.core.api.WatchEventType.DELETED || assigned) {
                forget(key);
                if (assigned && (type == dev.kubetest.core.api.WatchEventType.DELETED || (wasBound && !bound.contains(pod)))) {
                    unschedulable.wakeAll(); // resources freed
                }
                String labels = type == dev.kubetest.core.api.WatchEventType.DELETED ? null : pod.path("metadata").path("labels").toString();
                String before = labels == null ? assignedLabels.remove(key) : assignedLabels.put(key, labels);
                if (assigned && labels != null && !labels.equals(before)) {
                    unschedulable.wakeInterPod(); // a pod that affinity or spreading counts came or changed
                }
                return;
            }
            if ("default-scheduler".equals(pod.path("spec").path("schedulerName").asText("default-scheduler"))
                    && !pod.path("metadata").hasNonNull("deletionTimestamp")) {
                priorities.put(key, pod.path("spec").path("priority").asInt(0));
                pending.add(key);
                if (!unschedulable.parkedWithSame(key, pod)) {
                    unschedulable.wake(key);
                }
            }
        }));
        onClose(api.lists().watch(nodes, null, ListOptions.all(), (type, node) -> {
            String name = node.path("metadata").path("name").asText();
            if (type == dev.kubetest.core.api.WatchEventType.DELETED) {
                nodeViews.remove(name);
                return;
            }
            String view = UnschedulablePods.schedulingView(node);
            if (!view.equals(nodeViews.put(name, view))) {
                unschedulable.wakeAll();
            }
        }));
        onClose(api.lists().watch(claims, null, ListOptions.all(), (type, claim) -> {
            if (type != dev.kubetest.core.api.WatchEventType.DELETED) {
                unschedulable.wakeAll();
            }
        }));
        onClose(unschedulable.startFlush());
    }

    private void forget(String key) {
        pending.remove(key);
        priorities.remove(key);
        unschedulable.forget(key);
    }

    @Override
    protected Result reconcile(String key) {
        String ns = ObjectKeys.namespace(key);
        String name = ObjectKeys.name(key);
        ObjectNode pod;
        try {
            pod = api.get(pods, ns, name);
        } catch (ApiException e) {
            forget(key);
            return Result.DONE;
        }
        if (!pod.path("spec").path("nodeName").asText("").isEmpty() || pod.path("metadata").hasNonNull("deletionTimestamp")) {
            forget(key);
            return Result.DONE;
        }
        if (pod.path("spec").path("schedulingGates").isArray() && !pod.path("spec").path("schedulingGates").isEmpty()) {
            setPodScheduled(ns, name, "SchedulingGated", "Scheduling is blocked due to non-empty scheduling gates");
            return Result.DONE;
        }
        ClusterSnapshot snapshot = snapshot(pod);
        PodVolumes volumes = PodVolumes.of(api, pod);
        String missingClaim = volumes.missingClaim();
        if (missingClaim != null) {
            int n = snapshot.nodes().size();
            String message = "0/" + n + " nodes are available: persistentvolumeclaim \"" + missingClaim + "\" not found. preemption: "
                    + SchedulingFilters.preemptionSummary(n, n);
            return unschedulable(pod, message, false);
        }
        if (volumes.readWriteOncePodTaken()) {
            int n = snapshot.nodes().size();
            String message = "0/" + n + " nodes are available: " + PodVolumes.RWOP_CONFLICT + ". preemption: "
                    + SchedulingFilters.preemptionSummary(n, n);
            return unschedulable(pod, message, false);
        }
        if (volumes.unboundImmediate()) {
            int n = snapshot.nodes().size();
            String message = "0/" + n + " nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: "
                    + SchedulingFilters.preemptionSummary(n, n);
            return unschedulable(pod, message, false);
        }
        Map<String, Integer> reasonCounts = new HashMap<>();
        int unresolvable = 0;
        List<ObjectNode> feasible = new ArrayList<>();
        List<JsonNode> preemptable = new ArrayList<>();
        // as upstream, a large cluster is searched only until enough feasible nodes are found, from where the last
        // search stopped (percentageOfNodesToScore's adaptive default)
        List<? extends JsonNode> all = snapshot.nodes();
        int enough = SchedulingFilters.feasibleNodesToFind(all.size());
        int start = all.isEmpty() ? 0 : nextStartNode % all.size();
        int processed = 0;
        for (int i = 0; i < all.size() && feasible.size() < enough; i++, processed++) {
            JsonNode node = all.get((start + i) % all.size());
            if (!volumes.nodeFits(node)) {
                reasonCounts.merge(PodVolumes.CONFLICT, 1, Integer::sum);
                unresolvable++;
                continue;
            }
            SchedulingFilters.Verdict verdict = SchedulingFilters.filter(pod, node, snapshot);
            if (verdict.fits()) {
                feasible.add((ObjectNode) node);
                continue;
            }
            verdict.reasons().forEach(r -> reasonCounts.merge(r, 1, Integer::sum));
            unresolvable += verdict.resolvable() ? 0 : 1;
            if (verdict.resolvable()) {
                preemptable.add(node);
            }
        }
        nextStartNode = all.isEmpty() ? 0 : (start + processed) % all.size();
        if (feasible.isEmpty()) {
            int nodeCount = snapshot.nodes().size();
            String preemption;
            if ("Never".equals(pod.path("spec").path("preemptionPolicy").asText())) {
                preemption = "not eligible due to preemptionPolicy=Never.";
            } else if (!Preemption.eligible(pod, snapshot)) {
                preemption = "not eligible due to a terminating pod on the nominated node.";
            } else {
                Preemption.Candidate candidate = Preemption.find(pod, preemptable, snapshot,
                        api.lists().list(budgets, null, ListOptions.all()).items());
                if (candidate != null) {
                    preempt(pod, candidate);
                    preemption = null;
                } else {
                    preemption = SchedulingFilters.preemptionSummary(nodeCount, unresolvable);
                }
            }
            String message = SchedulingFilters.message(nodeCount, reasonCounts, preemption);
            if (preemption == null) {
                // victims are being evicted for it: try again soon, as upstream's nominated pod does
                setPodScheduled(ns, name, "Unschedulable", message);
                events.record(pod, null, "Warning", "FailedScheduling", message);
                return Result.requeueAfter(Duration.ofSeconds(1));
            }
            boolean interPod = reasonCounts.keySet().stream().anyMatch(r -> r.contains("affinity") || r.contains("topology spread"));
            return unschedulable(pod, message, interPod);
        }
        JsonNode best = NodeScoring.best(pod, feasible, snapshot);
        // a claim whose volume is already being provisioned for a node keeps the pod there (another pass could
        // otherwise pick another node while the provisioning is under way, as upstream's volume binder prevents)
        for (ObjectNode claim : volumes.waitingClaims()) {
            String selected = claim.path("metadata").path("annotations").path(SELECTED_NODE).asText("");
            for (JsonNode n : feasible) {
                if (!selected.isEmpty() && selected.equals(n.path("metadata").path("name").asText())) {
                    best = n;
                }
            }
        }
        String nodeName = best.path("metadata").path("name").asText();
        if (!volumes.waitingClaims().isEmpty()) {
            // WaitForFirstConsumer: the claims learn the node; the pod is bound once they are (their events requeue it)
            selectNode(volumes.waitingClaims(), nodeName);
            return Result.requeueAfter(Duration.ofSeconds(10));
        }
        ObjectNode binding = Json.object();
        binding.putObject("metadata").put("name", name);
        ObjectNode target = binding.putObject("target");
        target.put("apiVersion", "v1");
        target.put("kind", "Node");
        target.put("name", nodeName);
        bound.assume(pod, nodeName);
        try {
            podBinding.bind(ns, name, binding, WriteOptions.manager("kube-scheduler"));
        } catch (ApiException e) {
            bound.forget(pod);
            try {
                bound.observe(dev.kubetest.core.api.WatchEventType.MODIFIED, api.get(pods, ns, name));
            } catch (ApiException gone) {
                // deleted meanwhile
            }
            throw e;
        }
        forget(key);
        events.record(pod, null, "Normal", "Scheduled", "Successfully assigned " + ns + "/" + name + " to " + nodeName);
        return Result.DONE;
    }

    /** Nominates the node for the preemptor, then marks and gracefully deletes each victim, as upstream. */
    private void preempt(JsonNode pod, Preemption.Candidate candidate) {
        String nodeName = candidate.node().path("metadata").path("name").asText();
        String ns = pod.path("metadata").path("namespace").asText();
        api.mutate(pods, ns, pod.path("metadata").path("name").asText(), null, WriteOptions.manager("kube-scheduler"), p -> {
            Json.with(p, "status").put("nominatedNodeName", nodeName);
            return p;
        }, KubeApi.Target.STATUS);
        for (JsonNode victim : candidate.victims()) {
            String vns = victim.path("metadata").path("namespace").asText();
            String vname = victim.path("metadata").path("name").asText();
            try {
                api.mutate(pods, vns, vname, null, WriteOptions.manager("kube-scheduler"), p -> {
                    PodConditions.set(p, "DisruptionTarget", "True", "PreemptionByScheduler",
                            "default-scheduler: preempting to accommodate a higher priority pod", api.timestamp());
                    return p;
                }, KubeApi.Target.STATUS);
                api.delete(pods, vns, vname, dev.kubetest.core.meta.DeleteOptions.defaults());
                events.record(victim, null, "Normal", "Preempted", "Preempted by pod "
                        + pod.path("metadata").path("uid").asText() + " on node " + nodeName);
            } catch (ApiException e) {
                // the victim went away on its own
            }
        }
    }

    /** Writes {@code volume.kubernetes.io/selected-node} on claims that wait for their first consumer. */
    private void selectNode(List<ObjectNode> waiting, String nodeName) {
        for (ObjectNode claim : waiting) {
            String uid = claim.path("metadata").path("uid").asText();
            if (nodeName.equals(claim.path("metadata").path("annotations").path(SELECTED_NODE).asText())) {
                continue;
            }
            api.mutate(claims, claim.path("metadata").path("namespace").asText(), claim.path("metadata").path("name").asText(),
                    null, WriteOptions.manager("kube-scheduler"), c -> {
                        if (uid.equals(c.path("metadata").path("uid").asText())) {
                            Json.with(Json.with(c, "metadata"), "annotations").put(SELECTED_NODE, nodeName);
                        }
                        return c;
                    }, KubeApi.Target.MAIN);
        }
    }

    private ClusterSnapshot snapshot(JsonNode pod) {
        Map<String, Map<String, String>> namespaceLabels = new HashMap<>();
        for (ObjectNode ns : api.lists().list(namespaces, null, ListOptions.all()).items()) {
            namespaceLabels.put(ns.path("metadata").path("name").asText(), dev.kubetest.core.selector.LabelSelector.labelsOf(ns));
        }
        return bound.snapshotFor(pod, api.lists().list(nodes, null, ListOptions.all()).items(), namespaceLabels);
    }

    /** Records that {@code pod} does not fit (condition, event) and parks it until something changes. */
    private Result unschedulable(ObjectNode pod, String message, boolean interPod) {
        String ns = pod.path("metadata").path("namespace").asText();
        String name = pod.path("metadata").path("name").asText();
        unschedulable.park(ObjectKeys.of(pod), pod, interPod);
        setPodScheduled(ns, name, "Unschedulable", message);
        events.record(pod, null, "Warning", "FailedScheduling", message);
        return Result.DONE;
    }

    private void setPodScheduled(String ns, String name, String reason, String message) {
        api.mutate(pods, ns, name, null, WriteOptions.manager("kube-scheduler"), pod -> {
            PodConditions.set(pod, "PodScheduled", "False", reason, message, api.timestamp());
            return pod;
        }, KubeApi.Target.STATUS);
    }
}
