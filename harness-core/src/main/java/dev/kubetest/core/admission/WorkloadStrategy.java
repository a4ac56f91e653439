package dev.kubetest.core.admission;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kubetest.core.meta.ApiException.Cause;
import java.util.ArrayList;
import java.util.List;

/**
 * The apps/v1 workloads (Deployment, ReplicaSet, StatefulSet, DaemonSet): a selector that matches the template's
 * labels and never changes, and a valid pod template. Each kind adds its defaults.
 */
abstract class WorkloadStrategy implements KindStrategy {
    @Override
    public List<Cause> validateCreate(JsonNode obj) {
        List<Cause> out = new ArrayList<>();
        Validation.workload(obj.path("spec"), out, true);
        return out;
    }

    @Override
    public List<Cause> validateUpdate(JsonNode old, JsonNode obj) {
        List<Cause> out = new ArrayList<>(validateCreate(obj));
        Validation.immutableSelector(old.path("spec"), obj.path("spec"), out);
        return out;
    }
}
