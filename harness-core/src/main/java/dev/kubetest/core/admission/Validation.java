package dev.kubetest.core.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubetest.core.meta.ApiException.Cause;
import dev.kubetest.core.meta.MetadataRules;
import dev.kubetest.core.meta.ObjectNames;
import dev.kubetest.core.selector.LabelSelector;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The pieces of upstream's validation that several kinds' strategies share (pod specs, templates, selectors,
 * Services, ConfigMap and Secret data), as field errors with upstream's messages. Pure.
 */
final class Validation {
    private Validation() {}

    /** Upstream's ValidateConfigMap: keys, no key in both maps, at most 1 MiB of data in all. */
    static void configMap(JsonNode obj, List<Cause> out) {
        long size = 0;
        for (String field : List.of("data", "binaryData")) {
            String other = field.equals("data") ? "binaryData" : "data";
            for (java.util.Iterator<Map.Entry<String, JsonNode>> it = obj.path(field).fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String path = field + "[" + e.getKey() + "]";
                MetadataRules.configMapKey(e.getKey()).forEach(m -> out.add(MetadataRules.invalid(path, e.getKey(), m)));
                if (obj.path(other).has(e.getKey())) {
                    out.add(MetadataRules.invalid(path, e.getKey(), "duplicate of key present in " + other));
                }
                String v = e.getValue().asText();
                size += field.equals("data") ? MetadataRules.utf8Length(v) : decodedLength(v);
            }
        }
        if (size > MetadataRules.DATA_LIMIT) {
            out.add(MetadataRules.tooLong("[]", MetadataRules.DATA_LIMIT));
        }
    }

    /** Upstream's ValidateSecret: keys, and at most 1 MiB of (decoded) data. */
    static void secret(JsonNode obj, List<Cause> out) {
        long size = 0;
        for (java.util.Iterator<Map.Entry<String, JsonNode>> it = obj.path("data").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            MetadataRules.configMapKey(e.getKey()).forEach(m ->
                    out.add(MetadataRules.invalid("data[" + e.getKey() + "]", e.getKey(), m)));
            size += decodedLength(e.getValue().asText());
        }
        if (size > MetadataRules.DATA_LIMIT) {
            out.add(MetadataRules.tooLong("data", MetadataRules.DATA_LIMIT));
        }
    }

    /** The number of bytes base64 text decodes to. */
    static long decodedLength(String base64) {
        long chars = 0;
        long padding = 0;
        for (int i = 0; i < base64.length(); i++) {
            char c = base64.charAt(i);
            if (c == '=') {
                padding++;
            } else if (c != '\r' && c != '\n') {
                chars++;
            }
        }
        return (chars + padding) / 4 * 3 - padding;
    }

    static void workload(JsonNode spec, List<Cause> out, boolean selectorRequired) {
        if (selectorRequired && (spec.path("selector").isMissingNode() || spec.path("selector").isNull())) {
            out.add(required("spec.selector"));
        } else {
            selectorMatches(spec, out);
        }
        template(spec, List.of("Always"), out);
    }

    static void selectorMatches(JsonNode spec, List<Cause> out) {
        LabelSelector selector = LabelSelector.fromJson(spec.path("selector"));
        Map<String, String> labels = new HashMap<>();
        spec.path("template").path("metadata").path("labels").fields()
                .forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
        if (selector != null && !selector.isEverything() && !selector.matches(labels)) {
            out.add(new Cause("FieldValueInvalid", "Invalid value: " + goMap(spec.path("template").path("metadata").path("labels"))
                    + ": `selector` does not match template `labels`", "spec.template.metadata.labels"));
        }
    }

    static void template(JsonNode spec, List<String> restartPolicies, List<Cause> out) {
        if (spec.path("template").isMissingNode() || spec.path("template").isNull()) {
            out.add(required("spec.template"));
            return;
        }
        podSpec(spec.path("template").path("spec"), "spec.template.spec", restartPolicies, out);
    }

    static void podSpec(JsonNode spec, String path, List<String> restartPolicies, List<Cause> out) {
        JsonNode containers = spec.path("containers");
        if (!containers.isArray() || containers.isEmpty()) {
            out.add(required(path + ".containers"));
        }
        Set<String> names = new HashSet<>();
        for (String list : List.of("initContainers", "containers")) {
            JsonNode cs = spec.path(list);
            for (int i = 0; i < cs.size(); i++) {
                JsonNode c = cs.get(i);
                String p = path + "." + list + "[" + i + "]";
                String name = c.path("name").asText("");
                if (name.isEmpty()) {
                    out.add(required(p + ".name"));
                } else {
                    ObjectNames.check(name, ObjectNames.Rule.LABEL).ifPresent(m -> out.add(new Cause("FieldValueInvalid",
                            "Invalid value: \"" + name + "\": " + m, p + ".name")));
                    if (!names.add(name)) {
                        out.add(new Cause("FieldValueDuplicate", "Duplicate value: \"" + name + "\"", p + ".name"));
                    }
                }
                if (c.path("image").asText("").isEmpty()) {
                    out.add(required(p + ".image"));
                }
            }
        }
        String policy = spec.path("restartPolicy").asText("");
        if (!policy.isEmpty() && !restartPolicies.contains(policy)) {
            out.add(notSupported(path + ".restartPolicy", policy, restartPolicies));
        }
    }

    static void podUpdate(JsonNode oldSpec, JsonNode spec, List<Cause> out) {
        java.util.Set<String> oldGates = new java.util.HashSet<>();
        oldSpec.path("schedulingGates").forEach(g -> oldGates.add(g.path("name").asText()));
        for (JsonNode gate : spec.path("schedulingGates")) {
            if (!oldGates.contains(gate.path("name").asText())) {
                out.add(new Cause("FieldValueForbidden", "Forbidden: only deletion is allowed, but found new scheduling gate '"
                        + gate.path("name").asText() + "'", "spec.schedulingGates"));
                break;
            }
        }
        ObjectNode a = oldSpec.deepCopy();
        ObjectNode b = spec.deepCopy();
        for (ObjectNode o : List.of(a, b)) {
            for (String list : List.of("containers", "initContainers")) {
                for (JsonNode c : o.path(list)) {
                    ((ObjectNode) c).remove("image");
                }
            }
            o.remove("activeDeadlineSeconds");
            o.remove("tolerations");
            o.remove("schedulingGates");
            o.remove("terminationGracePeriodSeconds");
            o.remove("nodeName");
            o.remove("ephemeralContainers");
        }
        if (!a.equals(b)) {
            out.add(new Cause("FieldValueForbidden", "Forbidden: pod updates may not change fields other than "
                    + "`spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,"
                    + "`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` "
                    + "(allow it to be set to 1 if it was previously negative)", "spec"));
        }
        if (!oldSpec.path("nodeName").asText("").isEmpty() && !oldSpec.path("nodeName").equals(spec.path("nodeName"))) {
            out.add(new Cause("FieldValueForbidden", "Forbidden: field is immutable", "spec.nodeName"));
        }
    }

    static void service(JsonNode spec, List<Cause> out) {
        String type = spec.path("type").asText("ClusterIP");
        List<String> types = List.of("ClusterIP", "NodePort", "LoadBalancer", "ExternalName");
        if (!types.contains(type)) {
            out.add(notSupported("spec.type", type, types));
        }
        JsonNode ports = spec.path("ports");
        if (!type.equals("ExternalName") && (!ports.isArray() || ports.isEmpty())
                && !"None".equals(spec.path("clusterIP").asText())) {
            out.add(required("spec.ports"));
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < ports.size(); i++) {
            JsonNode p = ports.get(i);
            String name = p.path("name").asText("");
            if (ports.size() > 1 && name.isEmpty()) {
                out.add(required("spec.ports[" + i + "].name"));
            } else if (!name.isEmpty() && !names.add(name)) {
                out.add(new Cause("FieldValueDuplicate", "Duplicate value: \"" + name + "\"", "spec.ports[" + i + "].name"));
            }
            int port = p.path("port").asInt(0);
            if (port < 1 || port > 65535) {
                out.add(port == 0 ? required("spec.ports[" + i + "].port") : new Cause("FieldValueInvalid",
                        "Invalid value: " + port + ": must be between 1 and 65535, inclusive", "spec.ports[" + i + "].port"));
            }
        }
        if (type.equals("ExternalName") && spec.path("externalName").asText("").isEmpty()) {
            out.add(required("spec.externalName"));
        }
    }

    static Cause required(String field) {
        return new Cause("FieldValueRequired", "Required value", field);
    }

    static Cause notSupported(String field, String value, List<String> supported) {
        List<String> quoted = new ArrayList<>();
        supported.forEach(s -> quoted.add("\"" + s + "\""));
        return new Cause("FieldValueNotSupported", "Unsupported value: \"" + value + "\": supported values: "
                + String.join(", ", quoted), field);
    }

    /** Go's {@code %#v} of a map[string]string. */
    static String goMap(JsonNode map) {
        if (!map.isObject() || map.isEmpty()) {
            return "map[string]string(nil)";
        }
        TreeMap<String, String> sorted = new TreeMap<>();
        map.fields().forEachRemaining(e -> sorted.put(e.getKey(), e.getValue().asText()));
        List<String> parts = new ArrayList<>();
        sorted.forEach((k, v) -> parts.add("\"" + k + "\":\"" + v + "\""));
        return "map[string]string{" + String.join(", ", parts) + "}";
    }

    /** A selector may not change once set (workloads and Jobs). */
    static void immutableSelector(JsonNode oldSpec, JsonNode spec, List<Cause> out) {
        if (!oldSpec.path("selector").equals(spec.path("selector"))) {
            out.add(new Cause("FieldValueInvalid", "Invalid value: " + goSelector(spec.path("selector"))
                    + ": field is immutable", "spec.selector"));
        }
    }

    private static String goSelector(JsonNode selector) {
        return "v1.LabelSelector{MatchLabels:" + goMap(selector.path("matchLabels"))
                + ", MatchExpressions:[]v1.LabelSelectorRequirement(nil)}";
    }
}
