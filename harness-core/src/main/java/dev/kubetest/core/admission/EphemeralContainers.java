package dev.kubetest.core.admission;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kubetest.core.meta.ApiException.Cause;
import dev.kubetest.core.meta.ObjectNames;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Upstream's validation of an update through {@code pods/ephemeralcontainers}. Pure. */
final class EphemeralContainers {
    private static final List<String> FORBIDDEN = List.of("ports", "livenessProbe", "readinessProbe", "startupProbe",
            "lifecycle", "restartPolicy");

    private EphemeralContainers() {}

    static List<Cause> validate(JsonNode old, JsonNode pod) {
        List<Cause> out = new ArrayList<>();
        Set<String> regular = new HashSet<>();
        for (String list : List.of("initContainers", "containers")) {
            pod.path("spec").path(list).forEach(c -> regular.add(c.path("name").asText()));
        }
        Set<String> seen = new HashSet<>();
        Map<String, JsonNode> byName = new HashMap<>();
        JsonNode ephemeral = pod.path("spec").path("ephemeralContainers");
        for (int i = 0; i < ephemeral.size(); i++) {
            JsonNode c = ephemeral.get(i);
            String path = "spec.ephemeralContainers[" + i + "]";
            String name = c.path("name").asText("");
            if (name.isEmpty()) {
                out.add(Validation.required(path + ".name"));
            } else {
                ObjectNames.check(name, ObjectNames.Rule.LABEL).ifPresent(m ->
                        out.add(new Cause("FieldValueInvalid", "Invalid value: \"" + name + "\": " + m, path + ".name")));
                if (regular.contains(name) || !seen.add(name)) {
                    out.add(new Cause("FieldValueDuplicate", "Duplicate value: \"" + name + "\"", path + ".name"));
                }
                byName.put(name, c);
            }
            if (c.path("image").asText("").isEmpty()) {
                out.add(Validation.required(path + ".image"));
            }
            for (String f : FORBIDDEN) {
                if (c.has(f) && !(c.get(f).isContainerNode() && c.get(f).isEmpty())) {
                    out.add(new Cause("FieldValueForbidden", "Forbidden: cannot be set for an Ephemeral Container",
                            path + "." + f));
                }
            }
            JsonNode resources = c.path("resources");
            if (!resources.path("limits").isEmpty() || !resources.path("requests").isEmpty()) {
                out.add(new Cause("FieldValueForbidden", "Forbidden: cannot be set for an Ephemeral Container",
                        path + ".resources"));
            }
            String target = c.path("targetContainerName").asText("");
            if (!target.isEmpty() && !regular.contains(target)) {
                out.add(new Cause("FieldValueNotFound", "Not found: \"" + target + "\"", path + ".targetContainerName"));
            }
        }
        for (JsonNode was : old.path("spec").path("ephemeralContainers")) {
            String name = was.path("name").asText();
            JsonNode now = byName.get(name);
            if (now == null) {
                out.add(new Cause("FieldValueForbidden", "Forbidden: existing ephemeral containers \"" + name
                        + "\" may not be removed\n", "spec"));
            } else if (!now.equals(was)) {
                out.add(new Cause("FieldValueForbidden", "Forbidden: existing ephemeral containers \"" + name
                        + "\" may not be changed\n", "spec"));
            }
        }
        return out;
    }
}
