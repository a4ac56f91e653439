package dev.kubetest.core.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubetest.core.json.Json;

/** StatefulSets: OrderedReady, RollingUpdate with partition 0, retention Retain, claim template defaults. */
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
}
