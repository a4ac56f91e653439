package dev.kubetest.core.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubetest.core.meta.ApiException.Cause;
import dev.kubetest.core.meta.ResourceType;
import dev.kubetest.core.json.Json;
import dev.kubetest.core.selector.LabelSelector;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Jobs: completions, parallelism, backoff and replacement defaults; the generated selector and labels (unless
 * manualSelector); a selector and template that never change.
 */
final class JobStrategy implements KindStrategy {
    @Override
    public void applyDefaults(ObjectNode obj) {
        Defaulting.job(Json.with(obj, "spec"));
    }

    /** A DNS subdomain, a slash, and a path of letters, digits and {@code -._~%!$&'()*+,;=:@/}. */
    private static final java.util.regex.Pattern DOMAIN_PREFIXED_PATH = java.util.regex.Pattern.compile(
            "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/[-A-Za-z0-9._~%!$&'()*+,;=:@/]+");

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
        } else {
            generatedSelector(obj, out);
        }
        Validation.template(spec, List.of("OnFailure", "Never"), out);
        JsonNode managedBy = spec.get("managedBy");
        if (managedBy != null && !managedBy.isNull()) {
            String value = managedBy.asText();
            if (!DOMAIN_PREFIXED_PATH.matcher(value).matches()) {
                out.add(new Cause("FieldValueInvalid", "Invalid value: \"" + value
                        + "\": must be a domain-prefixed path (such as \"acme.io/foo\")", "spec.managedBy"));
            }
            if (value.length() > 63) {
                out.add(new Cause("FieldValueTooLong", "Too long: may not be more than 63 bytes", "spec.managedBy"));
            }
        }
        return out;
    }

    @Override
    public List<Cause> validateUpdate(JsonNode old, JsonNode obj) {
        List<Cause> out = new ArrayList<>(validateCreate(obj));
        JsonNode spec = obj.path("spec");
        JsonNode oldSpec = old.path("spec");
        Validation.immutableSelector(oldSpec, spec, out);
        if (!oldSpec.path("managedBy").equals(spec.path("managedBy"))) {
            out.add(new Cause("FieldValueInvalid", "Invalid value: " + (spec.has("managedBy") ? "\"" + spec.path("managedBy").asText()
                    + "\"" : "null") + ": field is immutable", "spec.managedBy"));
        }
        if (!oldSpec.path("template").equals(spec.path("template"))) {
            out.add(new Cause("FieldValueInvalid", "Invalid value: core.PodTemplateSpec{...}: field is immutable",
                    "spec.template"));
        }
        return out;
    }

    /**
     * Upstream's generateSelector: unless manualSelector, the template gets the job-name and controller-uid labels
     * (legacy and prefixed; a label the user set is left for validation to judge) and, when none was given, the
     * selector on the prefixed controller-uid.
     */
    static void jobSelector(ObjectNode job) {
        ObjectNode spec = Json.with(job, "spec");
        if (spec.path("manualSelector").asBoolean(false)) {
            return;
        }
        String uid = job.path("metadata").path("uid").asText();
        String name = job.path("metadata").path("name").asText();
        ObjectNode labels = Json.with(Json.with(Json.with(spec, "template"), "metadata"), "labels");
        generatedLabels(uid, name).forEach((k, v) -> {
            if (!labels.has(k)) {
                labels.put(k, v);
            }
        });
        if (spec.path("selector").isMissingNode() || spec.path("selector").isNull()) {
            Json.with(Json.with(spec, "selector"), "matchLabels").put("batch.kubernetes.io/controller-uid", uid);
        }
    }

    private static Map<String, String> generatedLabels(String uid, String name) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("batch.kubernetes.io/controller-uid", uid);
        labels.put("batch.kubernetes.io/job-name", name);
        labels.put("controller-uid", uid);
        labels.put("job-name", name);
        return labels;
    }

    /** Upstream's ValidateGeneratedSelector: the template carries the generated labels and the selector matches them. */
    private static void generatedSelector(JsonNode job, List<Cause> out) {
        JsonNode spec = job.path("spec");
        if (spec.path("manualSelector").asBoolean(false) || !spec.path("selector").isObject()) {
            return;
        }
        Map<String, String> expected = generatedLabels(job.path("metadata").path("uid").asText(),
                job.path("metadata").path("name").asText());
        JsonNode labels = spec.path("template").path("metadata").path("labels");
        expected.forEach((k, v) -> {
            String field = "spec.template.metadata.labels[" + k + "]";
            if (!labels.has(k)) {
                out.add(new Cause("FieldValueRequired", "Required value: must be '" + v + "'", field));
            } else if (!v.equals(labels.path(k).asText())) {
                out.add(new Cause("FieldValueInvalid", "Invalid value: \"" + labels.path(k).asText() + "\": must be '" + v + "'", field));
            }
        });
        LabelSelector selector = LabelSelector.fromJson(spec.path("selector"));
        if (selector != null && !selector.matches(expected)) {
            out.add(new Cause("FieldValueInvalid", "Invalid value: " + spec.path("selector")
                    + ": `selector` not auto-generated", "spec.selector"));
        }
    }
}
