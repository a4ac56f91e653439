package dev.kubetest.core.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubetest.core.meta.ApiException.Cause;
import java.util.ArrayList;
import java.util.List;
import dev.kubetest.core.json.Json;

/** Deployments: replicas, RollingUpdate 25%/25%, history and progress deadline defaults. */
final class DeploymentStrategy extends WorkloadStrategy {
    @Override
    public void applyDefaults(ObjectNode obj) {
        ObjectNode s = Json.with(obj, "spec");
        Defaulting.replicas(s);
        ObjectNode strategy = Json.with(s, "strategy");
        Defaulting.putIfAbsent(strategy, "type", "RollingUpdate");
        if ("RollingUpdate".equals(strategy.path("type").asText())) {
            ObjectNode ru = Json.with(strategy, "rollingUpdate");
            Defaulting.putIfAbsent(ru, "maxSurge", "25%");
            Defaulting.putIfAbsent(ru, "maxUnavailable", "25%");
        }
        Defaulting.intIfAbsent(s, "revisionHistoryLimit", 10);
        Defaulting.intIfAbsent(s, "progressDeadlineSeconds", 600);
        Defaulting.template(s.path("template"));
    }

    @Override
    public List<Cause> validateCreate(JsonNode obj) {
        List<Cause> out = new ArrayList<>(super.validateCreate(obj));
        DeploymentSpecRules.check(obj.path("spec"), out);
        return out;
    }
}
