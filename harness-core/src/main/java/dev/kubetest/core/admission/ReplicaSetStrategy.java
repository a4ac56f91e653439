package dev.kubetest.core.admission;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubetest.core.json.Json;

/** ReplicaSets: one replica by default, and the template's defaults. */
final class ReplicaSetStrategy extends WorkloadStrategy {
    @Override
    public void applyDefaults(ObjectNode obj) {
        ObjectNode s = Json.with(obj, "spec");
        Defaulting.replicas(s);
        Defaulting.template(s.path("template"));
    }
}
