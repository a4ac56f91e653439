package dev.kubetest.core.workload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubetest.core.api.KubeApi;
import dev.kubetest.core.meta.ApiException;
import dev.kubetest.core.meta.ResourceType;
import dev.kubetest.core.meta.WriteOptions;
import dev.kubetest.core.selector.LabelSelector;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A ReplicaSet's (or ReplicationController's) status from its active pods, as upstream's calculateStatus. */
public final class ReplicaSetStatus {
    /** The counts the status reports. */
    public record Counts(int replicas, int fullyLabeled, int ready, int available) {}

    private ReplicaSetStatus() {}

    /** Counts the active pods: all, those carrying every template label, the ready, the available. */
    public static Counts count(List<JsonNode> active, JsonNode template, long minReadySeconds, Instant now) {
        Map<String, String> templateLabels = LabelSelector.labelsOf(template);
        int fullyLabeled = 0;
        int ready = 0;
        int available = 0;
        for (JsonNode p : active) {
            if (LabelSelector.labelsOf(p).entrySet().containsAll(templateLabels.entrySet())) {
                fullyLabeled++;
            }
            if (Pods.ready(p)) {
                ready++;
                if (Pods.available(p, minReadySeconds, now)) {
                    available++;
                }
            }
        }
        return new Counts(active.size(), fullyLabeled, ready, available);
    }

    /**
     * Writes the counts, {@code observedGeneration} and the ReplicaFailure condition ({@code reason} FailedCreate
     * or FailedDelete with the error's message; removed when {@code failure} is null), unless nothing changed.
     */
    public static void write(KubeApi api, ResourceType type, JsonNode set, Counts c, String reason, String failure) {
        String ns = set.path("metadata").path("namespace").asText();
        String name = set.path("metadata").path("name").asText();
        try {
            api.mutate(type, ns, name, null, WriteOptions.manager("kube-controller-manager"), current -> {
                ObjectNode status = current.with("status");
                status.put("replicas", c.replicas());
                status.put("fullyLabeledReplicas", c.fullyLabeled());
                status.put("readyReplicas", c.ready());
                status.put("availableReplicas", c.available());
                status.put("observedGeneration", current.path("metadata").path("generation").asLong());
                setFailure(status, reason, failure, api.timestamp());
                return current;
            }, KubeApi.Target.STATUS);
        } catch (ApiException e) {
            if (e.code() != 404) {
                throw e;
            }
        }
    }

    private static void setFailure(ObjectNode status, String reason, String failure, String now) {
        ArrayNode kept = status.arrayNode();
        boolean had = false;
        for (JsonNode c : status.path("conditions")) {
            if ("ReplicaFailure".equals(c.path("type").asText())) {
                had = true;
                if (failure != null) {
                    kept.add(c);
                }
            } else {
                kept.add(c);
            }
        }
        if (failure != null && !had) {
            ObjectNode cond = kept.addObject();
            cond.put("type", "ReplicaFailure");
            cond.put("status", "True");
            cond.put("lastTransitionTime", now);
            cond.put("reason", reason);
            cond.put("message", failure);
        }
        if (kept.isEmpty()) {
            status.remove("conditions");
        } else {
            status.set("conditions", kept);
        }
    }
}
