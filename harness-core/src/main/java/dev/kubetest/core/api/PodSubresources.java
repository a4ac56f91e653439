package dev.kubetest.core.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubetest.core.json.Json;
import dev.kubetest.core.selector.LabelSelector;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code pods/binding} (and the {@code bindings} resource): assigns a pod to a node, as the scheduler does;
 * {@code pods/eviction}: deletes a pod unless a PodDisruptionBudget that selects it allows no disruption (429).
 */
public final class PodSubresources {
    private final KubeApi api;

    PodSubresources(KubeApi api) {
        this.api = api;
    }

    private ResourceType pods() {
        return api.registry().find("", "v1", "pods").orElseThrow();
    }

    /** Binds {@code pod} to the node the Binding targets; 409 when it is already bound. */
    public ObjectNode bind(String namespace, String pod, ObjectNode binding, WriteOptions options) {
        String node = binding.path("target").path("name").asText("");
        String name = pod != null ? pod : binding.path("metadata").path("name").asText("");
        if (node.isEmpty()) {
            throw ApiException.invalid(api.registry().find("", "v1", "bindings").orElseThrow(), name,
                    List.of(new ApiException.Cause("FieldValueRequired", "Required value", "target.name")));
        }
        api.mutate(pods(), namespace, name, null, options, current -> {
            ObjectNode spec = Json.with(current, "spec");
            String assigned = spec.path("nodeName").asText("");
            if (!assigned.isEmpty()) {
                throw new ApiException(409, "Conflict", "Operation cannot be fulfilled on pods/binding \"" + name
                        + "\": pod " + name + " is already assigned to node \"" + assigned + "\"", name, "", "pods/binding", null);
            }
            if (current.path("metadata").hasNonNull("deletionTimestamp")) {
                throw new ApiException(409, "Conflict", "Operation cannot be fulfilled on pods/binding \"" + name
                        + "\": pod " + name + " is being deleted, cannot be assigned to a host", name, "", "pods/binding", null);
            }
            spec.put("nodeName", node);
            PodConditions.set(current, "PodScheduled", "True", null, null, api.timestamp());
            return current;
        }, KubeApi.Target.BIND);
        return created();
    }

    /** Evicts {@code pod}: 429 TooManyRequests when a disruption budget forbids it, else deletes it. */
    public ObjectNode evict(String namespace, String pod, ObjectNode eviction) {
        ObjectNode target = api.get(pods(), namespace, pod);
        Map<String, String> labels = new HashMap<>();
        target.path("metadata").path("labels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
        ResourceType pdbs = api.registry().find("policy", "v1", "poddisruptionbudgets").orElseThrow();
        boolean terminal = List.of("Succeeded", "Failed").contains(target.path("status").path("phase").asText());
        if (!terminal) {
            for (ObjectNode pdb : api.lists().list(pdbs, namespace, ListOptions.all()).items()) {
                LabelSelector selector = LabelSelector.fromJson(pdb.path("spec").path("selector"));
                if (selector == null || !selector.matches(labels)) {
                    continue;
                }
                if (pdb.path("status").path("disruptionsAllowed").asInt(0) <= 0) {
                    throw new ApiException(429, "TooManyRequests", "Cannot evict pod as it would violate the pod's "
                            + "disruption budget.", pod, "policy", "poddisruptionbudgets",
                            List.of(new ApiException.Cause("DisruptionBudget", "The disruption budget "
                                    + pdb.path("metadata").path("name").asText() + " needs "
                                    + pdb.path("status").path("desiredHealthy").asInt(0) + " healthy pods and has "
                                    + pdb.path("status").path("currentHealthy").asInt(0)
                                    + " currently", null)), 10);
                }
                // as upstream: the budget counts the disruption at once, before the controller sees the pod go
                api.mutate(pdbs, namespace, pdb.path("metadata").path("name").asText(), pdb.path("metadata").path("resourceVersion").asText(),
                        WriteOptions.manager("kube-apiserver"), current -> {
                            ObjectNode status = current.with("status");
                            status.put("disruptionsAllowed", status.path("disruptionsAllowed").asInt() - 1);
                            status.with("disruptedPods").put(pod, api.timestamp());
                            return current;
                        }, KubeApi.Target.STATUS);
            }
        }
        JsonNode opts = eviction.path("deleteOptions");
        api.delete(pods(), namespace, pod, DeleteOptions.fromJson(opts.isMissingNode() ? null : opts, null, null, false, null));
        return created();
    }

    /** The {@code Status} upstream answers a successful binding or eviction with. */
    private static ObjectNode created() {
        ObjectNode status = Json.object();
        status.put("kind", "Status");
        status.put("apiVersion", "v1");
        status.putObject("metadata");
        status.put("status", "Success");
        status.put("code", 201);
        return status;
    }
}
