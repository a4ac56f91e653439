package dev.kubetest.core.admission;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubetest.core.json.Json;

/** NetworkPolicies: policyTypes Ingress, and Egress when egress rules are given. */
final class NetworkPolicyStrategy implements KindStrategy {
    @Override
    public void applyDefaults(ObjectNode obj) {
        ObjectNode s = Json.with(obj, "spec");
        if (!s.has("policyTypes")) {
            ArrayNode types = s.putArray("policyTypes");
            types.add("Ingress");
            if (s.has("egress")) {
                types.add("Egress");
            }
        }
    }
}
