package dev.kubetest.core.network;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kubetest.core.api.KubeApi;
import dev.kubetest.core.meta.ListOptions;
import dev.kubetest.core.meta.ResourceType;
import dev.kubetest.core.selector.LabelSelector;
import java.util.List;
import java.util.Map;

/**
 * The cluster's NetworkPolicies applied to connections, as a policy-enforcing CNI plugin (Calico, Cilium) applies
 * them: read from the API on each connection ({@link NetworkPolicyRules} decides). Addresses that are no pod's
 * (outside the cluster, a node) are matched by {@code ipBlock} peers only.
 */
public final class PolicyEnforcer {
    private final KubeApi api;
    private final ResourceType policies;
    private final ResourceType pods;
    private final ResourceType namespaces;

    public PolicyEnforcer(KubeApi api) {
        this.api = api;
        this.policies = api.registry().find("networking.k8s.io", "v1", "networkpolicies").orElseThrow();
        this.pods = api.registry().find("", "v1", "pods").orElseThrow();
        this.namespaces = api.registry().find("", "v1", "namespaces").orElseThrow();
    }

    /** Whether a TCP connection from {@code fromIp} to {@code toIp:port} (after Service translation) is allowed. */
    public boolean allows(String fromIp, String toIp, int port) {
        List<? extends JsonNode> all = api.lists().list(policies, null, ListOptions.all()).items();
        if (all.isEmpty()) {
            return true;
        }
        JsonNode source = podAt(fromIp);
        JsonNode destination = podAt(toIp);
        if (source != null && source == destination) {
            return true;
        }
        return NetworkPolicyRules.allowed(new NetworkPolicyRules.Peer(fromIp, source), new NetworkPolicyRules.Peer(toIp, destination),
                port, all, this::namespaceLabels);
    }

    private Map<String, String> namespaceLabels(String name) {
        return api.find(namespaces, null, name).map(LabelSelector::labelsOf).orElse(Map.of());
    }

    /** The running pod (not host-network) with address {@code ip}, or null. */
    private JsonNode podAt(String ip) {
        if (ip == null || ip.isEmpty()) {
            return null;
        }
        for (JsonNode pod : api.lists().list(pods, null, ListOptions.all()).items()) {
            if (ip.equals(pod.path("status").path("podIP").asText()) && !pod.path("spec").path("hostNetwork").asBoolean(false)) {
                String phase = pod.path("status").path("phase").asText();
                if (!phase.equals("Succeeded") && !phase.equals("Failed")) {
                    return pod;
                }
            }
        }
        return null;
    }
}
