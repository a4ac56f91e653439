package dev.kubetest.core.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubetest.core.meta.ApiException.Cause;
import dev.kubetest.core.meta.ResourceType;
import dev.kubetest.core.json.Json;
import java.util.ArrayList;
import java.util.List;

/**
 * Jobs: completions, parallelism, backoff and replacement defaults; the generated selector and labels (unless
 * manualSelector); a selector and template that never change.
 */
final class JobStrategy implements KindStrategy {
    @Override
    public void applyDefaults(ObjectNode obj) {
        Defaulting.job(Json.with(obj, "spec"));
    }

    @Override
    public void admitCreate(ResourceType type, ObjectNode obj, AdmissionContext ctx) {
        jobSelector(obj);
    }

    @Override
    public List<Cause> validateCreate(JsonNode obj) {
        List<Cause> out = new ArrayList<>();
        JsonNode spec = obj.path("spec");
        if (spec.path("manualSelector").asBoolean(false)) {
            Validation.selectorMatches(spec, out);
        }
        Validation.template(spec, List.of("OnFailure", "Never"), out);
        return out;
    }

    @Override
    public List<Cause> validateUpdate(JsonNode old, JsonNode obj) {
        List<Cause> out = new ArrayList<>(validateCreate(obj));
        JsonNode spec = obj.path("spec");
        JsonNode oldSpec = old.path("spec");
        Validation.immutableSelector(oldSpec, spec, out);
        if (!oldSpec.path("template").equals(spec.path("template"))) {
            out.add(new Cause("FieldValueInvalid", "Invalid value: core.PodTemplateSpec{...}: field is immutable",
                    "spec.template"));
        }
        return out;
    }

    static void jobSelector(ObjectNode job) {
        ObjectNode spec = Json.with(job, "spec");
        if (spec.path("manualSelector").asBoolean(false)) {
            return;
        }
        String uid = job.path("metadata").path("uid").asText();
        String name = job.path("metadata").path("name").asText();
        Json.with(Json.with(spec, "selector"), "matchLabels").put("batch.kubernetes.io/controller-uid", uid);
        ObjectNode labels = Json.with(Json.with(Json.with(spec, "template"), "metadata"), "labels");
        labels.put("batch.kubernetes.io/controller-uid", uid);
        labels.put("batch.kubernetes.io/job-name", name);
        labels.put("controller-uid", uid);
        labels.put("job-name", name);
    }
}
