package dev.kubetest.core.admission;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubetest.core.json.Json;

/** DaemonSets: RollingUpdate with maxUnavailable 1 and maxSurge 0, history 10. */
final class DaemonSetStrategy extends WorkloadStrategy {
    @Override
    public void applyDefaults(ObjectNode obj) {
        ObjectNode s = Json.with(obj, "spec");
        ObjectNode strategy = Json.with(s, "updateStrategy");
        Defaulting.putIfAbsent(strategy, "type", "RollingUpdate");
        if ("RollingUpdate".equals(strategy.path("type").asText())) {
            ObjectNode ru = Json.with(strategy, "rollingUpdate");
            if (!ru.has("maxUnavailable")) {
                ru.put("maxUnavailable", 1);
            }
            if (!ru.has("maxSurge")) {
                ru.put("maxSurge", 0);
            }
        }
        Defaulting.intIfAbsent(s, "revisionHistoryLimit", 10);
        Defaulting.template(s.path("template"));
    }
}
