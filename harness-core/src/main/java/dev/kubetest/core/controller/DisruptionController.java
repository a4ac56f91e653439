package dev.kubetest.core.controller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubetest.core.meta.ApiException;
import dev.kubetest.core.api.KubeApi;
import dev.kubetest.core.meta.ListOptions;
import dev.kubetest.core.meta.ResourceType;
import dev.kubetest.core.meta.WriteOptions;
import dev.kubetest.core.events.EventRecorder;
import dev.kubetest.core.selector.LabelSelector;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The disruption controller: keeps each PodDisruptionBudget's status (expectedPods, desiredHealthy,
 * currentHealthy, disruptionsAllowed, the DisruptionAllowed condition, disruptedPods) true to the pods its
 * selector picks, so that evictions and preemption can honour it. Pods the eviction API has just disrupted are
 * not counted as healthy for two minutes, or until they are gone. Expected pods come from the pods' controllers'
 * replicas (a Deployment through its ReplicaSet) where the budget needs them.
 */
public final class DisruptionController extends QueueController<String> {
    public static final String NAME = "disruption";
    static final Duration DISRUPTED_POD_TIMEOUT = Duration.ofMinutes(2);

    private final KubeApi api;
    private final ResourceType budgets;
    private final ResourceType pods;
    private final EventRecorder events;
    private final ResourceEvents resourceEvents;
    private final Map<String, Set<String>> budgetsByNamespace = new ConcurrentHashMap<>();

    public DisruptionController(KubeApi api, ResourceEvents resourceEvents) {
        super(api.clock());
        this.api = api;
        this.resourceEvents = resourceEvents;
        this.budgets = api.registry().find("policy", "v1", "poddisruptionbudgets").orElseThrow();
        this.pods = api.registry().find("", "v1", "pods").orElseThrow();
        this.events = new EventRecorder(api, "controllermanager", null);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    protected void watch() {
        // handlers run on the store writer's thread: they keep their own index of budgets rather than list them
        resourceEvents.addListener((type, eventType, obj) -> {
            String ns = obj.path("metadata").path("namespace").asText();
            if (type.group().equals("policy") && type.plural().equals("poddisruptionbudgets")) {
                Set<String> inNamespace = budgetsByNamespace.computeIfAbsent(ns, n -> ConcurrentHashMap.newKeySet());
                if (eventType == dev.kubetest.core.api.WatchEventType.DELETED) {
                    inNamespace.remove(ObjectKeys.of(obj));
                } else {
                    inNamespace.add(ObjectKeys.of(obj));
                    queue.add(ObjectKeys.of(obj));
                }
            } else if (type.group().isEmpty() && type.plural().equals("pods")) {
                budgetsByNamespace.getOrDefault(ns, Set.of()).forEach(queue::add);
            }
        });
    }

    @Override
    protected Result reconcile(String key) {
        String ns = ObjectKeys.namespace(key);
        String name = ObjectKeys.name(key);
        ObjectNode pdb;
        try {
            pdb = api.get(budgets, ns, name);
        } catch (ApiException e) {
            return Result.DONE;
        }
        JsonNode spec = pdb.path("spec");
        LabelSelector selector = LabelSelector.fromJson(spec.get("selector"));
        List<ObjectNode> selected = selector == null ? List.of() : api.lists().list(pods, ns, ListOptions.all()).items().stream()
                .filter(p -> selector.matches(LabelSelector.labelsOf(p))).toList();
        Instant now = api.clock().now();
        Map<String, String> disrupted = new LinkedHashMap<>();
        Duration requeue = null;
        Map<String, JsonNode> byName = new HashMap<>();
        selected.forEach(p -> byName.put(p.path("metadata").path("name").asText(), p));
        for (var e : iterable(pdb.path("status").path("disruptedPods"))) {
            JsonNode pod = byName.get(e.getKey());
            Instant at = Instant.parse(e.getValue().asText());
            if (pod != null && !pod.path("metadata").hasNonNull("deletionTimestamp") && at.plus(DISRUPTED_POD_TIMEOUT).isAfter(now)) {
                disrupted.put(e.getKey(), e.getValue().asText());
                Duration left = Duration.between(now, at.plus(DISRUPTED_POD_TIMEOUT));
                requeue = requeue == null || left.compareTo(requeue) < 0 ? left : requeue;
            }
        }
        int healthy = (int) selected.stream().filter(p -> !p.path("metadata").hasNonNull("deletionTimestamp")
                && !disrupted.containsKey(p.path("metadata").path("name").asText()) && ready(p)).count();
        int expected = selected.size();
        String failure = null;
        if (DisruptionBudgets.needsScale(spec)) {
            try {
                expected = ExpectedScale.of(api, ns, selected);
            } catch (IllegalStateException e) {
                failure = e.getMessage();
            }
        }
        DisruptionBudgets.Numbers n = failure != null ? new DisruptionBudgets.Numbers(0, 0, healthy, 0)
                : DisruptionBudgets.numbers(spec, expected, healthy);
        if (failure != null) {
            events.record(pdb, null, "Warning", "CalculateExpectedPodCountFailed",
                    "Failed to calculate the number of expected pods: " + failure);
        }
        writeStatus(pdb, n, disrupted);
        return requeue == null ? Result.DONE : Result.requeueAfter(requeue);
    }

    private void writeStatus(ObjectNode pdb, DisruptionBudgets.Numbers n, Map<String, String> disrupted) {
        String ns = pdb.path("metadata").path("namespace").asText();
        String name = pdb.path("metadata").path("name").asText();
        api.mutate(budgets, ns, name, null, WriteOptions.manager("kube-controller-manager"), current -> {
            ObjectNode status = current.with("status");
            boolean allowed = n.disruptionsAllowed() > 0;
            JsonNode old = condition(status);
            boolean changed = old == null || !old.path("status").asText().equals(allowed ? "True" : "False");
            status.put("observedGeneration", current.path("metadata").path("generation").asLong());
            status.put("disruptionsAllowed", n.disruptionsAllowed());
            status.put("currentHealthy", n.currentHealthy());
            status.put("desiredHealthy", n.desiredHealthy());
            status.put("expectedPods", n.expectedPods());
            if (disrupted.isEmpty()) {
                status.remove("disruptedPods");
            } else {
                ObjectNode d = status.putObject("disruptedPods");
                disrupted.forEach(d::put);
            }
            ObjectNode cond = status.putArray("conditions").addObject();
            cond.put("type", "DisruptionAllowed");
            cond.put("status", allowed ? "True" : "False");
            cond.put("reason", allowed ? "SufficientPods" : "InsufficientPods");
            cond.put("message", "");
            cond.put("observedGeneration", current.path("metadata").path("generation").asLong());
            cond.put("lastTransitionTime", changed ? api.timestamp() : old.path("lastTransitionTime").asText());
            return current;
        }, KubeApi.Target.STATUS);
    }

    private static JsonNode condition(JsonNode status) {
        for (JsonNode c : status.path("conditions")) {
            if ("DisruptionAllowed".equals(c.path("type").asText())) {
                return c;
            }
        }
        return null;
    }

    private static Iterable<Map.Entry<String, JsonNode>> iterable(JsonNode node) {
        return node::fields;
    }

    static boolean ready(JsonNode pod) {
        for (JsonNode c : pod.path("status").path("conditions")) {
            if ("Ready".equals(c.path("type").asText())) {
                return "True".equals(c.path("status").asText());
            }
        }
        return false;
    }

}
