package dev.kubetest.core.controller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubetest.core.api.KubeApi;
import dev.kubetest.core.api.PodConditions;
import dev.kubetest.core.api.WatchEventType;
import dev.kubetest.core.meta.ApiException;
import dev.kubetest.core.meta.DeleteOptions;
import dev.kubetest.core.meta.ListOptions;
import dev.kubetest.core.meta.ResourceType;
import dev.kubetest.core.meta.WriteOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The pod garbage collector, as kube-controller-manager's podgc: pods bound to a node that no longer exists (still
 * missing after a 40 s quarantine) are marked Failed with a DisruptionTarget condition (DeletionByPodGC) and
 * force-deleted; terminating pods that were never scheduled are force-deleted; terminated pods beyond a threshold
 * (upstream's default 12,500) are deleted oldest first. It runs when nodes go and pods finish, not on a timer.
 */
public final class PodGarbageCollector extends QueueController<String> {
    public static final String NAME = "pod-garbage-collector";
    public static final int DEFAULT_TERMINATED_THRESHOLD = 12_500;
    static final Duration QUARANTINE = Duration.ofSeconds(40);
    private static final String ORPHANS = "orphans";
    private static final String TERMINATED = "terminated";
    private static final String UNSCHEDULED = "unscheduled-terminating";

    private final KubeApi api;
    private final ResourceEvents events;
    private final ResourceType pods;
    private final ResourceType nodes;
    private final int terminatedThreshold;
    /** Terminated pods, by UID, as the pod events say: the full list is read only when they pass the threshold. */
    private final Set<String> terminatedPods = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** Nodes seen missing once: their pods go at the next look if the node is still missing. */
    private final Set<String> quarantined = new HashSet<>();

    public PodGarbageCollector(KubeApi api, ResourceEvents events, int terminatedThreshold) {
        super(api.clock());
        this.api = api;
        this.events = events;
        this.pods = api.registry().find("", "v1", "pods").orElseThrow();
        this.nodes = api.registry().find("", "v1", "nodes").orElseThrow();
        this.terminatedThreshold = terminatedThreshold;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    protected void watch() {
        events.addListener(nodes, (type, eventType, node) -> {
            if (eventType == WatchEventType.DELETED) {
                queue.add(ORPHANS);
            }
        });
        events.addListener(pods, (type, eventType, pod) -> {
            String phase = pod.path("status").path("phase").asText();
            String uid = pod.path("metadata").path("uid").asText();
            if (eventType != WatchEventType.DELETED && ("Succeeded".equals(phase) || "Failed".equals(phase))
                    && !pod.path("metadata").hasNonNull("deletionTimestamp")) {
                if (terminatedPods.add(uid) && terminatedPods.size() > terminatedThreshold) {
                    queue.add(TERMINATED);
                }
            } else {
                terminatedPods.remove(uid);
            }
            if (eventType != WatchEventType.DELETED && pod.path("metadata").hasNonNull("deletionTimestamp")
                    && pod.path("spec").path("nodeName").asText("").isEmpty()) {
                queue.add(UNSCHEDULED);
            }
            if (eventType == WatchEventType.ADDED && !pod.path("spec").path("nodeName").asText("").isEmpty()) {
                queue.add(ORPHANS);
            }
        });
    }

    @Override
    protected Result reconcile(String key) {
        return switch (key) {
            case ORPHANS -> orphans();
            case TERMINATED -> terminated();
            default -> unscheduledTerminating();
        };
    }

    private Result orphans() {
        Set<String> existing = new HashSet<>();
        api.lists().list(nodes, null, ListOptions.all()).items()
                .forEach(n -> existing.add(n.path("metadata").path("name").asText()));
        Set<String> missing = new HashSet<>();
        for (ObjectNode pod : api.lists().list(pods, null, ListOptions.all()).items()) {
            String node = pod.path("spec").path("nodeName").asText("");
            if (!node.isEmpty() && !existing.contains(node)) {
                missing.add(node);
            }
        }
        quarantined.retainAll(missing);
        Set<String> due = new HashSet<>(quarantined);
        missing.removeAll(quarantined);
        quarantined.addAll(missing);
        if (!due.isEmpty()) {
            for (ObjectNode pod : api.lists().list(pods, null, ListOptions.all()).items()) {
                if (due.contains(pod.path("spec").path("nodeName").asText(""))) {
                    failAndDelete(pod, "PodGC: node no longer exists");
                }
            }
            quarantined.removeAll(due);
        }
        return missing.isEmpty() ? Result.DONE : Result.requeueAfter(QUARANTINE);
    }

    private Result terminated() {
        List<ObjectNode> done = new ArrayList<>();
        for (ObjectNode pod : api.lists().list(pods, null, ListOptions.all()).items()) {
            String phase = pod.path("status").path("phase").asText();
            if (("Succeeded".equals(phase) || "Failed".equals(phase)) && !pod.path("metadata").hasNonNull("deletionTimestamp")) {
                done.add(pod);
            }
        }
        int excess = done.size() - terminatedThreshold;
        if (excess <= 0) {
            return Result.DONE;
        }
        done.sort(Comparator.comparing((JsonNode p) -> p.path("metadata").path("creationTimestamp").asText())
                .thenComparing(p -> p.path("metadata").path("name").asText()));
        for (ObjectNode pod : done.subList(0, excess)) {
            delete(pod, 0);
        }
        return Result.DONE;
    }

    private Result unscheduledTerminating() {
        for (ObjectNode pod : api.lists().list(pods, null, ListOptions.all()).items()) {
            if (pod.path("metadata").hasNonNull("deletionTimestamp") && pod.path("spec").path("nodeName").asText("").isEmpty()) {
                delete(pod, 0);
            }
        }
        return Result.DONE;
    }

    private void failAndDelete(ObjectNode pod, String message) {
        String ns = pod.path("metadata").path("namespace").asText();
        String name = pod.path("metadata").path("name").asText();
        String uid = pod.path("metadata").path("uid").asText();
        try {
            api.mutate(pods, ns, name, null, WriteOptions.manager("kube-controller-manager"), current -> {
                if (!uid.equals(current.path("metadata").path("uid").asText())) {
                    return current;
                }
                String phase = current.path("status").path("phase").asText();
                if (!"Succeeded".equals(phase) && !"Failed".equals(phase)) {
                    current.with("status").put("phase", "Failed");
                }
                PodConditions.set(current, "DisruptionTarget", "True", "DeletionByPodGC", message, api.timestamp());
                return current;
            }, KubeApi.Target.STATUS);
        } catch (ApiException e) {
            if (e.code() == 404) {
                return;
            }
            throw e;
        }
        delete(pod, 0);
    }

    private void delete(JsonNode pod, long grace) {
        api.deleteIfPresent(pods, pod.path("metadata").path("namespace").asText(), pod.path("metadata").path("name").asText(),
                DeleteOptions.ifUid(pod.path("metadata").path("uid").asText()).withGracePeriod(grace));
    }
}
