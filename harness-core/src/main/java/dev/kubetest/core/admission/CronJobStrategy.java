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
        } else {
            java.time.ZoneId zone = java.time.ZoneOffset.UTC;
            if (spec.hasNonNull("timeZone")) {
                try {
                    zone = java.time.ZoneId.of(spec.get("timeZone").asText());
                } catch (java.time.DateTimeException e) {
                    out.add(new Cause("FieldValueInvalid", "Invalid value: \"" + spec.get("timeZone").asText()
                            + "\": unknown time zone " + spec.get("timeZone").asText(), "spec.timeZone"));
                }
            }
            try {
                dev.kubetest.core.cron.CronSchedule.parse(spec.path("schedule").asText(), zone);
            } catch (IllegalArgumentException e) {
                String schedule = spec.path("schedule").asText();
                String why = schedule.contains("TZ") ? "cannot use TZ or CRON_TZ in schedule, use timeZone field instead"
                        : e.getMessage();
                out.add(new Cause("FieldValueInvalid", "Invalid value: \"" + schedule + "\": " + why, "spec.schedule"));
            }
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
