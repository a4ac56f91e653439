package dev.kubetest.core.kubelet;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kubetest.core.meta.ApiException;
import dev.kubetest.core.api.KubeApi;
import dev.kubetest.core.meta.ResourceType;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A container's environment as the kubelet builds it: {@code envFrom}, then {@code env} with values from the pod's
 * fields, ConfigMaps and Secrets. A missing source or key that is not optional is a CreateContainerConfigError.
 */
final class EnvResolver {
    /** The container cannot be created until its configuration exists. */
    static final class ConfigError extends Exception {
        ConfigError(String message) {
            super(message);
        }
    }

    private EnvResolver() {}

    static Map<String, String> resolve(KubeApi api, JsonNode pod, JsonNode container) throws ConfigError {
        String ns = pod.path("metadata").path("namespace").asText();
        // the Services' variables first: what envFrom and env define wins, and $(VAR) sees them all
        Map<String, String> env = new LinkedHashMap<>(serviceEnv(api, pod, ns));
        for (JsonNode from : container.path("envFrom")) {
            String prefix = from.path("prefix").asText("");
            for (String kind : new String[] {"configMapRef", "secretRef"}) {
                JsonNode ref = from.get(kind);
                if (ref == null) {
                    continue;
                }
                JsonNode data = source(api, kind.startsWith("configMap"), ns, ref.path("name").asText(),
                        ref.path("optional").asBoolean(false));
                if (data != null) {
                    data.fields().forEachRemaining(e -> env.put(prefix + e.getKey(), kind.startsWith("secret")
                            ? decode(e.getValue().asText()) : e.getValue().asText()));
                }
            }
        }
        for (JsonNode e : container.path("env")) {
            String name = e.path("name").asText();
            if (e.has("value")) {
                env.put(name, expand(e.path("value").asText(), env));
                continue;
            }
            JsonNode from = e.path("valueFrom");
            if (from.has("fieldRef")) {
                env.put(name, field(pod, from.path("fieldRef").path("fieldPath").asText()));
            } else if (from.has("resourceFieldRef")) {
                env.put(name, resource(container, from.path("resourceFieldRef").path("resource").asText()));
            } else {
                boolean cm = from.has("configMapKeyRef");
                JsonNode ref = from.path(cm ? "configMapKeyRef" : "secretKeyRef");
                boolean optional = ref.path("optional").asBoolean(false);
                JsonNode data = source(api, cm, ns, ref.path("name").asText(), optional);
                String key = ref.path("key").asText();
                if (data == null || !data.has(key)) {
                    if (optional) {
                        continue;
                    }
                    throw new ConfigError("couldn't find key " + key + " in " + (cm ? "ConfigMap" : "Secret") + " "
                            + ns + "/" + ref.path("name").asText());
                }
                env.put(name, cm ? data.get(key).asText() : decode(data.get(key).asText()));
            }
        }
        return env;
    }

    /** The variables of the Services that exist now ({@code kubernetes} always, the namespace's with service links). */
    private static Map<String, String> serviceEnv(KubeApi api, JsonNode pod, String ns) {
        var services = api.registry().find("", "v1", "services").orElseThrow();
        java.util.List<JsonNode> candidates = new java.util.ArrayList<>();
        api.find(services, "default", "kubernetes").ifPresent(candidates::add);
        boolean links = pod.path("spec").path("enableServiceLinks").asBoolean(true);
        if (links) {
            candidates.addAll(api.lists().list(services, ns, dev.kubetest.core.meta.ListOptions.all()).items());
        }
        return dev.kubetest.core.service.ServiceLinks.env(candidates, ns, links);
    }

    private static JsonNode source(KubeApi api, boolean configMap, String ns, String name, boolean optional) throws ConfigError {
        ResourceType type = api.registry().find("", "v1", configMap ? "configmaps" : "secrets").orElseThrow();
        try {
            return api.get(type, ns, name).path("data");
        } catch (ApiException e) {
            if (e.code() == 404 && !optional) {
                throw new ConfigError((configMap ? "configmap" : "secret") + " \"" + name + "\" not found");
            }
            return null;
        }
    }

    private static String decode(String b64) {
        return new String(Base64.getDecoder().decode(b64), StandardCharsets.UTF_8);
    }

    /** {@code $(VAR)} references to variables defined before, as the kubelet expands them. */
    static String expand(String value, Map<String, String> env) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < value.length(); i++) {
            char ch = value.charAt(i);
            if (ch == '$' && i + 1 < value.length() && value.charAt(i + 1) == '$') {
                out.append('$');
                i++;
            } else if (ch == '$' && i + 1 < value.length() && value.charAt(i + 1) == '(') {
                int end = value.indexOf(')', i);
                if (end < 0) {
                    out.append(value.substring(i));
                    break;
                }
                String var = value.substring(i + 2, end);
                out.append(env.containsKey(var) ? env.get(var) : "$(" + var + ")");
                i = end;
            } else {
                out.append(ch);
            }
        }
        return out.toString();
    }

    static String field(JsonNode pod, String path) {
        JsonNode meta = pod.path("metadata");
        if (path.startsWith("metadata.labels['") || path.startsWith("metadata.annotations['")) {
            String map = path.startsWith("metadata.labels") ? "labels" : "annotations";
            String key = path.substring(path.indexOf("['") + 2, path.lastIndexOf("']"));
            return meta.path(map).path(key).asText("");
        }
        return switch (path) {
            case "metadata.name" -> meta.path("name").asText();
            case "metadata.namespace" -> meta.path("namespace").asText();
            case "metadata.uid" -> meta.path("uid").asText();
            case "spec.nodeName" -> pod.path("spec").path("nodeName").asText();
            case "spec.serviceAccountName" -> pod.path("spec").path("serviceAccountName").asText();
            case "status.hostIP" -> pod.path("status").path("hostIP").asText();
            case "status.podIP" -> pod.path("status").path("podIP").asText();
            default -> "";
        };
    }

    private static String resource(JsonNode container, String resource) {
        String[] parts = resource.split("\\.", 2);
        JsonNode v = container.path("resources").path(parts[0]).path(parts.length > 1 ? parts[1] : "");
        return v.isMissingNode() ? "0" : v.asText();
    }
}
