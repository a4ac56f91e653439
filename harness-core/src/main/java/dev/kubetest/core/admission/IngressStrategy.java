package dev.kubetest.core.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubetest.core.meta.ApiException;
import dev.kubetest.core.meta.ApiException.Cause;
import dev.kubetest.core.meta.ResourceType;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Ingresses: the DefaultIngressClass admission (a new Ingress without a class gets the default one; two defaults
 * forbid it) and validation of rules, paths and backends with upstream's messages.
 */
final class IngressStrategy implements KindStrategy {
    static final String LEGACY_CLASS = "kubernetes.io/ingress.class";
    private static final Set<String> PATH_TYPES = Set.of("Exact", "Prefix", "ImplementationSpecific");

    @Override
    public void admitCreate(ResourceType type, ObjectNode obj, AdmissionContext ctx) {
        JsonNode spec = obj.path("spec");
        if (spec.hasNonNull("ingressClassName") || obj.path("metadata").path("annotations").has(LEGACY_CLASS)) {
            return;
        }
        List<String> defaults = ctx.defaultIngressClasses().get();
        if (defaults.size() > 1) {
            throw ApiException.forbidden(type, obj.path("metadata").path("name").asText(),
                    defaults.size() + " default IngressClasses were found, only 1 allowed");
        }
        if (defaults.size() == 1) {
            dev.kubetest.core.json.Json.with(obj, "spec").put("ingressClassName", defaults.get(0));
        }
    }

    @Override
    public List<Cause> validateCreate(JsonNode obj) {
        List<Cause> out = new ArrayList<>();
        JsonNode spec = obj.path("spec");
        if (!spec.hasNonNull("defaultBackend") && (!spec.path("rules").isArray() || spec.path("rules").isEmpty())) {
            out.add(new Cause("FieldValueInvalid", "Invalid value: \"\": either `defaultBackend` or `rules` must be specified", "spec"));
        }
        if (spec.hasNonNull("defaultBackend")) {
            backend(spec.path("defaultBackend"), "spec.defaultBackend", out);
        }
        JsonNode rules = spec.path("rules");
        for (int r = 0; r < rules.size(); r++) {
            String host = rules.get(r).path("host").asText("");
            String hostPath = "spec.rules[" + r + "].host";
            if (host.contains("*") && !host.matches("\\*\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*")) {
                out.add(new Cause("FieldValueInvalid", "Invalid value: \"" + host + "\": a wildcard DNS-1123 subdomain must start with '*.', "
                        + "followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end "
                        + "with an alphanumeric character (e.g. '*.example.com', regex used for validation is "
                        + "'\\*\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')", hostPath));
            } else if (!host.isEmpty() && host.matches("\\d+\\.\\d+\\.\\d+\\.\\d+")) {
                out.add(new Cause("FieldValueInvalid", "Invalid value: \"" + host + "\": must be a DNS name, not an IP address", hostPath));
            }
            JsonNode paths = rules.get(r).path("http").path("paths");
            for (int p = 0; p < paths.size(); p++) {
                JsonNode path = paths.get(p);
                String at = "spec.rules[" + r + "].http.paths[" + p + "]";
                String pathType = path.path("pathType").asText("");
                if (pathType.isEmpty()) {
                    out.add(new Cause("FieldValueRequired", "Required value: pathType must be specified", at + ".pathType"));
                } else if (!PATH_TYPES.contains(pathType)) {
                    out.add(new Cause("FieldValueNotSupported", "Unsupported value: \"" + pathType
                            + "\": supported values: \"Exact\", \"ImplementationSpecific\", \"Prefix\"", at + ".pathType"));
                } else if (!pathType.equals("ImplementationSpecific") && !path.path("path").asText("").startsWith("/")) {
                    out.add(new Cause("FieldValueInvalid", "Invalid value: \"" + path.path("path").asText("")
                            + "\": must be an absolute path", at + ".path"));
                }
                backend(path.path("backend"), at + ".backend", out);
            }
        }
        return out;
    }

    private static void backend(JsonNode backend, String at, List<Cause> out) {
        boolean service = backend.hasNonNull("service");
        boolean resource = backend.hasNonNull("resource");
        if (service && resource) {
            out.add(new Cause("FieldValueInvalid", "Invalid value: \"\": cannot set both resource and service backends", at));
        } else if (!service && !resource) {
            out.add(new Cause("FieldValueInvalid", "Invalid value: \"\": resource or service backend is required", at));
        } else if (service) {
            JsonNode port = backend.path("service").path("port");
            boolean name = !port.path("name").asText("").isEmpty();
            boolean number = port.path("number").asInt(0) != 0;
            if (name && number) {
                out.add(new Cause("FieldValueInvalid", "Invalid value: \"" + port.path("name").asText()
                        + "\": cannot set both port name & port number", at + ".service.port.name"));
            } else if (!name && !number) {
                out.add(new Cause("FieldValueRequired", "Required value: port name or number is required", at + ".service.port.name"));
            }
        }
    }
}
