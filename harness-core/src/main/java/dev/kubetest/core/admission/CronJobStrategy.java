package dev.kubetest.core.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubetest.core.meta.ApiException.Cause;
import dev.kubetest.core.json.Json;
import java.util.ArrayList;
import java.util.List;

/** CronJobs: concurrency, suspend and history defaults, the job template's defaults; a schedule and a template. */
final class CronJobStrategy implements KindStrategy {
    @Override
    public void applyDefaults(ObjectNode obj) {
        ObjectNode s = Json.with(obj, "spec");
        Defaulting.putIfAbsent(s, "concurrencyPolicy", "Allow");
        if (!s.has("suspend")) {
            s.put("suspend", false);
        }
        Defaulting.intIfAbsent(s, "successfulJobsHistoryLimit", 3);
        Defaulting.intIfAbsent(s, "failedJobsHistoryLimit", 1);
        Defaulting.job(Json.with(Json.with(s, "jobTemplate"), "spec"));
    }

    @Override
    public List<Cause> validateCreate(JsonNode obj) {
        List<Cause> out = new ArrayList<>();
        JsonNode spec = obj.path("spec");
        if (spec.path("schedule").asText("").isBlank()) {
            out.add(Validation.required("spec.schedule"));
        }
        JsonNode job = spec.path("jobTemplate").path("spec");
        if (job.path("template").isMissingNode()) {
            out.add(Validation.required("spec.jobTemplate.spec.template"));
        } else {
            Validation.podSpec(job.path("template").path("spec"), "spec.jobTemplate.spec.template.spec",
                    List.of("OnFailure", "Never"), out);
        }
        return out;
    }
}
