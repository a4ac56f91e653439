package dev.kubetest.core.subresource;

import dev.kubetest.core.api.KubeApi;
import dev.kubetest.core.api.PodConditions;

import dev.kubetest.core.meta.ApiException;
import dev.kubetest.core.meta.ResourceType;
import dev.kubetest.core.meta.ListOptions;
import dev.kubetest.core.meta.WriteOptions;
import dev.kubetest.core.meta.DeleteOptions;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubetest.core.json.Json;
import dev.kubetest.core.selector.LabelSelector;
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

    /**
     * Evicts {@code pod} as upstream's eviction subresource: pods that are finished, Pending or already being
     * deleted go at once; a pod under more than one budget is refused (500); a budget whose status is not yet
     * computed for its generation, or that allows no disruption, refuses with 429 TooManyRequests; a pod that is
     * not Ready may go without using the budget when the budget is healthy ({@code unhealthyPodEvictionPolicy}
     * IfHealthyBudget, the default) or always (AlwaysAllow); otherwise the budget counts the disruption at once.
     */
    public ObjectNode evict(String namespace, String pod, ObjectNode eviction) {
        ObjectNode target = api.get(pods(), namespace, pod);
        JsonNode opts = eviction.path("deleteOptions");
        DeleteOptions delete = DeleteOptions.fromJson(opts.isMissingNode() ? null : opts, null, null, false, null);
        String phase = target.path("status").path("phase").asText();
        if (List.of("Succeeded", "Failed", "Pending").contains(phase) || target.path("metadata").hasNonNull("deletionTimestamp")) {
            api.delete(pods(), namespace, pod, delete);
            return created();
        }
        Map<String, String> labels = LabelSelector.labelsOf(target);
        ResourceType pdbs = api.registry().find("policy", "v1", "poddisruptionbudgets").orElseThrow();
        List<ObjectNode> budgets = api.lists().list(pdbs, namespace, ListOptions.all()).items().stream().filter(b -> {
            LabelSelector selector = LabelSelector.fromJson(b.path("spec").get("selector"));
            return selector != null && selector.matches(labels);
        }).toList();
        if (budgets.size() > 1) {
            throw ApiException.internal("This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.");
        }
        if (!budgets.isEmpty()) {
            ObjectNode pdb = budgets.get(0);
            JsonNode status = pdb.path("status");
            String name = pdb.path("metadata").path("name").asText();
            if (status.path("observedGeneration").asLong(-1) < pdb.path("metadata").path("generation").asLong(0)) {
                throw tooManyRequests(pod, "The disruption budget " + name + " is still being processed by the server.");
            }
            boolean ready = false;
            for (JsonNode c : target.path("status").path("conditions")) {
                ready |= "Ready".equals(c.path("type").asText()) && "True".equals(c.path("status").asText());
            }
            String policy = pdb.path("spec").path("unhealthyPodEvictionPolicy").asText("IfHealthyBudget");
            boolean healthyBudget = status.path("currentHealthy").asInt(0) >= status.path("desiredHealthy").asInt(0)
                    && status.path("desiredHealthy").asInt(0) > 0;
            boolean spendsBudget = ready || !(policy.equals("AlwaysAllow") || healthyBudget);
            if (spendsBudget) {
                if (status.path("disruptionsAllowed").asInt(0) <= 0) {
                    throw tooManyRequests(pod, "The disruption budget " + name + " needs " + status.path("desiredHealthy").asInt(0)
                            + " healthy pods and has " + status.path("currentHealthy").asInt(0) + " currently");
                }
                // as upstream: the budget counts the disruption at once, before the controller sees the pod go
                api.mutate(pdbs, namespace, name, pdb.path("metadata").path("resourceVersion").asText(),
                        WriteOptions.manager("kube-apiserver"), current -> {
                            ObjectNode st = current.with("status");
                            st.put("disruptionsAllowed", st.path("disruptionsAllowed").asInt() - 1);
                            st.with("disruptedPods").put(pod, api.timestamp());
                            return current;
                        }, KubeApi.Target.STATUS);
            }
        }
        api.delete(pods(), namespace, pod, delete);
        return created();
    }

    private static ApiException tooManyRequests(String pod, String cause) {
        return new ApiException(429, "TooManyRequests", "Cannot evict pod as it would violate the pod's disruption budget.",
                pod, "policy", "poddisruptionbudgets", List.of(new ApiException.Cause("DisruptionBudget", cause, null)), 10);
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
