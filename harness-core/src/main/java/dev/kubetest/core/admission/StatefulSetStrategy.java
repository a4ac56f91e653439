package dev.kubetest.core.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubetest.core.json.Json;
import dev.kubetest.core.meta.ApiException.Cause;
import java.util.ArrayList;
import java.util.List;

/**
 * StatefulSets: OrderedReady, RollingUpdate with partition 0, retention Retain, claim template defaults; a
 * rolling update's partition is not negative and its maxUnavailable (upstream's MaxUnavailableStatefulSet field,
 * honoured here as with the gate on, not defaulted as with it off) is a positive number or a percentage up to 100%.
 */
final class StatefulSetStrategy extends WorkloadStrategy {
    @Override
    public void applyDefaults(ObjectNode obj) {
        ObjectNode s = Json.with(obj, "spec");
        Defaulting.replicas(s);
        Defaulting.putIfAbsent(s, "podManagementPolicy", "OrderedReady");
        ObjectNode strategy = Json.with(s, "updateStrategy");
        Defaulting.putIfAbsent(strategy, "type", "RollingUpdate");
        if ("RollingUpdate".equals(strategy.path("type").asText())) {
            Defaulting.intIfAbsent(Json.with(strategy, "rollingUpdate"), "partition", 0);
        }
        Defaulting.intIfAbsent(s, "revisionHistoryLimit", 10);
        ObjectNode retention = Json.with(s, "persistentVolumeClaimRetentionPolicy");
        Defaulting.putIfAbsent(retention, "whenDeleted", "Retain");
        Defaulting.putIfAbsent(retention, "whenScaled", "Retain");
        for (JsonNode t : s.path("volumeClaimTemplates")) {
            if (t instanceof ObjectNode claim) {
                Defaulting.pvcSpec(Json.with(claim, "spec"));
                claim.put("apiVersion", "v1");
                claim.put("kind", "PersistentVolumeClaim");
            }
        }
        Defaulting.template(s.path("template"));
    }

    @Override
    public List<Cause> validateCreate(JsonNode obj) {
        List<Cause> out = new ArrayList<>(super.validateCreate(obj));
        JsonNode ru = obj.path("spec").path("updateStrategy").path("rollingUpdate");
        String base = "spec.updateStrategy.rollingUpdate.";
        JsonNode partition = ru.path("partition");
        if (partition.isNumber() && partition.asLong() < 0) {
            out.add(DeploymentSpecRules.invalid(base + "partition", partition, "must be greater than or equal to 0"));
        }
        JsonNode unavailable = ru.get("maxUnavailable");
        if (unavailable != null && !unavailable.isNull()
                && DeploymentSpecRules.intOrPercent(unavailable, base + "maxUnavailable", out)) {
            int value = Integer.parseInt(unavailable.asText().replace("%", ""));
            if (value == 0) {
                out.add(DeploymentSpecRules.invalid(base + "maxUnavailable", unavailable, "cannot be 0"));
            } else if (unavailable.isTextual() && value > 100) {
                out.add(DeploymentSpecRules.invalid(base + "maxUnavailable", unavailable, "must not be greater than 100%"));
            }
        }
        return out;
    }
}
