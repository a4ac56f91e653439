package dev.kubetest.core.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubetest.core.json.Json;
import java.util.List;

/** Upstream's defaults for a pod spec (also inside every pod template) and its containers, probes and volumes. */
final class PodSpecDefaults {
    private PodSpecDefaults() {}

    static void apply(ObjectNode spec) {
        putIfAbsent(spec, "restartPolicy", "Always");
        if (!spec.has("terminationGracePeriodSeconds")) {
            spec.put("terminationGracePeriodSeconds", 30);
        }
        putIfAbsent(spec, "dnsPolicy", "ClusterFirst");
        putIfAbsent(spec, "schedulerName", "default-scheduler");
        Json.with(spec, "securityContext");
        for (String list : List.of("initContainers", "containers", "ephemeralContainers")) {
            for (JsonNode c : spec.path(list)) {
                if (c instanceof ObjectNode container) {
                    container(container);
                }
            }
        }
        for (JsonNode v : spec.path("volumes")) {
            if (v instanceof ObjectNode volume) {
                volume(volume);
            }
        }
    }

    static void container(ObjectNode c) {
        if (!c.has("imagePullPolicy")) {
            c.put("imagePullPolicy", pullPolicy(c.path("image").asText("")));
        }
        putIfAbsent(c, "terminationMessagePath", "/dev/termination-log");
        putIfAbsent(c, "terminationMessagePolicy", "File");
        Json.with(c, "resources");
        for (JsonNode p : c.path("ports")) {
            if (p instanceof ObjectNode port) {
                putIfAbsent(port, "protocol", "TCP");
            }
        }
        for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
            if (c.get(probe) instanceof ObjectNode p) {
                probe(p);
            }
        }
        for (JsonNode e : c.path("env")) {
            JsonNode fieldRef = e.path("valueFrom").path("fieldRef");
            if (fieldRef instanceof ObjectNode f) {
                putIfAbsent(f, "apiVersion", "v1");
            }
        }
        for (String hook : List.of("postStart", "preStop")) {
            JsonNode http = c.path("lifecycle").path(hook).path("httpGet");
            if (http instanceof ObjectNode h) {
                putIfAbsent(h, "path", "/");
                putIfAbsent(h, "scheme", "HTTP");
            }
        }
    }

    /** Always for {@code :latest} or no tag (and no digest), IfNotPresent otherwise. Pure. */
    static String pullPolicy(String image) {
        if (image.contains("@")) {
            return "IfNotPresent";
        }
        String last = image.substring(image.lastIndexOf('/') + 1);
        int colon = last.lastIndexOf(':');
        if (colon < 0) {
            return "Always";
        }
        return last.substring(colon + 1).equals("latest") ? "Always" : "IfNotPresent";
    }

    static void probe(ObjectNode p) {
        if (!p.has("timeoutSeconds")) {
            p.put("timeoutSeconds", 1);
        }
        if (!p.has("periodSeconds")) {
            p.put("periodSeconds", 10);
        }
        if (!p.has("successThreshold")) {
            p.put("successThreshold", 1);
        }
        if (!p.has("failureThreshold")) {
            p.put("failureThreshold", 3);
        }
        if (p.get("httpGet") instanceof ObjectNode h) {
            putIfAbsent(h, "path", "/");
            putIfAbsent(h, "scheme", "HTTP");
        }
        if (p.get("grpc") instanceof ObjectNode g) {
            putIfAbsent(g, "service", "");
        }
    }

    static void volume(ObjectNode v) {
        for (String source : List.of("configMap", "secret", "downwardAPI", "projected")) {
            if (v.get(source) instanceof ObjectNode s && !s.has("defaultMode")) {
                s.put("defaultMode", 420);
            }
        }
        if (v.get("hostPath") instanceof ObjectNode h) {
            putIfAbsent(h, "type", "");
        }
    }

    /** The pod-only defaults (not applied to templates): service account, links, tolerations
     * (priority comes from {@link PriorityAdmission}). */
    static void podOnly(ObjectNode spec) {
        String sa = spec.path("serviceAccountName").asText(spec.path("serviceAccount").asText(""));
        if (sa.isEmpty()) {
            sa = "default";
        }
        spec.put("serviceAccountName", sa);
        spec.put("serviceAccount", sa);
        if (!spec.has("enableServiceLinks")) {
            spec.put("enableServiceLinks", true);
        }
        ArrayNode tolerations = spec.path("tolerations").isArray() ? (ArrayNode) spec.get("tolerations") : spec.putArray("tolerations");
        for (String key : List.of("node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable")) {
            boolean present = false;
            for (JsonNode t : tolerations) {
                present |= key.equals(t.path("key").asText()) && "NoExecute".equals(t.path("effect").asText());
            }
            if (!present) {
                ObjectNode t = tolerations.addObject();
                t.put("key", key);
                t.put("operator", "Exists");
                t.put("effect", "NoExecute");
                t.put("tolerationSeconds", 300);
            }
        }
    }

    /** Guaranteed, Burstable or BestEffort from the containers' requests and limits. Pure. */
    static String qosClass(JsonNode spec) {
        boolean any = false;
        boolean guaranteed = true;
        for (String list : List.of("initContainers", "containers")) {
            for (JsonNode c : spec.path(list)) {
                JsonNode requests = c.path("resources").path("requests");
                JsonNode limits = c.path("resources").path("limits");
                for (String r : List.of("cpu", "memory")) {
                    boolean hasLimit = limits.has(r);
                    boolean hasRequest = requests.has(r);
                    any |= hasLimit || hasRequest;
                    if (!hasLimit || hasRequest && !requests.get(r).asText().equals(limits.get(r).asText())) {
                        guaranteed = false;
                    }
                }
            }
        }
        if (!any) {
            return "BestEffort";
        }
        return guaranteed ? "Guaranteed" : "Burstable";
    }

    private static void putIfAbsent(ObjectNode o, String field, String value) {
        if (!o.has(field) || o.get(field).isNull()) {
            o.put(field, value);
        }
    }
}
