package dev.kubetest.core.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubetest.core.api.ResourceType;
import dev.kubetest.core.json.Json;

/** Upstream's defaulting of built-in kinds, applied on create and on every update of the main resource. */
final class Defaulting {
    private Defaulting() {}

    static void apply(ResourceType type, ObjectNode obj) {
        ObjectNode spec = obj.get("spec") instanceof ObjectNode s ? s : null;
        switch (type.storageKey()) {
            case "pods" -> {
                if (spec != null) {
                    PodSpecDefaults.apply(spec);
                    PodSpecDefaults.podOnly(spec);
                }
            }
            case "podtemplates" -> template(obj.path("template"));
            case "deployments.apps" -> {
                ObjectNode s = Json.with(obj, "spec");
                replicas(s);
                ObjectNode strategy = Json.with(s, "strategy");
                putIfAbsent(strategy, "type", "RollingUpdate");
                if ("RollingUpdate".equals(strategy.path("type").asText())) {
                    ObjectNode ru = Json.with(strategy, "rollingUpdate");
                    putIfAbsent(ru, "maxSurge", "25%");
                    putIfAbsent(ru, "maxUnavailable", "25%");
                }
                intIfAbsent(s, "revisionHistoryLimit", 10);
                intIfAbsent(s, "progressDeadlineSeconds", 600);
                template(s.path("template"));
            }
            case "replicasets.apps" -> {
                ObjectNode s = Json.with(obj, "spec");
                replicas(s);
                template(s.path("template"));
            }
            case "replicationcontrollers" -> {
                ObjectNode s = Json.with(obj, "spec");
                replicas(s);
                JsonNode labels = s.path("template").path("metadata").path("labels");
                if (!s.has("selector") && labels.isObject()) {
                    s.set("selector", labels.deepCopy());
                }
                template(s.path("template"));
            }
            case "statefulsets.apps" -> {
                ObjectNode s = Json.with(obj, "spec");
                replicas(s);
                putIfAbsent(s, "podManagementPolicy", "OrderedReady");
                ObjectNode strategy = Json.with(s, "updateStrategy");
                putIfAbsent(strategy, "type", "RollingUpdate");
                if ("RollingUpdate".equals(strategy.path("type").asText())) {
                    intIfAbsent(Json.with(strategy, "rollingUpdate"), "partition", 0);
                }
                intIfAbsent(s, "revisionHistoryLimit", 10);
                ObjectNode retention = Json.with(s, "persistentVolumeClaimRetentionPolicy");
                putIfAbsent(retention, "whenDeleted", "Retain");
                putIfAbsent(retention, "whenScaled", "Retain");
                for (JsonNode t : s.path("volumeClaimTemplates")) {
                    if (t instanceof ObjectNode claim) {
                        pvcSpec(Json.with(claim, "spec"));
                        claim.put("apiVersion", "v1");
                        claim.put("kind", "PersistentVolumeClaim");
                    }
                }
                template(s.path("template"));
            }
            case "daemonsets.apps" -> {
                ObjectNode s = Json.with(obj, "spec");
                ObjectNode strategy = Json.with(s, "updateStrategy");
                putIfAbsent(strategy, "type", "RollingUpdate");
                if ("RollingUpdate".equals(strategy.path("type").asText())) {
                    ObjectNode ru = Json.with(strategy, "rollingUpdate");
                    if (!ru.has("maxUnavailable")) {
                        ru.put("maxUnavailable", 1);
                    }
                    if (!ru.has("maxSurge")) {
                        ru.put("maxSurge", 0);
                    }
                }
                intIfAbsent(s, "revisionHistoryLimit", 10);
                template(s.path("template"));
            }
            case "jobs.batch" -> job(Json.with(obj, "spec"));
            case "cronjobs.batch" -> {
                ObjectNode s = Json.with(obj, "spec");
                putIfAbsent(s, "concurrencyPolicy", "Allow");
                if (!s.has("suspend")) {
                    s.put("suspend", false);
                }
                intIfAbsent(s, "successfulJobsHistoryLimit", 3);
                intIfAbsent(s, "failedJobsHistoryLimit", 1);
                job(Json.with(Json.with(s, "jobTemplate"), "spec"));
            }
            case "services" -> service(Json.with(obj, "spec"));
            case "secrets" -> {
                // stringData is write-only: merged into data (base64) and never stored
                JsonNode stringData = obj.get("stringData");
                if (stringData != null && stringData.isObject()) {
                    ObjectNode data = Json.with(obj, "data");
                    stringData.fields().forEachRemaining(e -> data.put(e.getKey(), java.util.Base64.getEncoder()
                            .encodeToString(e.getValue().asText().getBytes(java.nio.charset.StandardCharsets.UTF_8))));
                }
                obj.remove("stringData");
            }
            case "persistentvolumeclaims" -> pvcSpec(Json.with(obj, "spec"));
            case "persistentvolumes" -> {
                ObjectNode s = Json.with(obj, "spec");
                putIfAbsent(s, "persistentVolumeReclaimPolicy", "Retain");
                putIfAbsent(s, "volumeMode", "Filesystem");
            }
            case "networkpolicies.networking.k8s.io" -> {
                ObjectNode s = Json.with(obj, "spec");
                if (!s.has("policyTypes")) {
                    ArrayNode types = s.putArray("policyTypes");
                    types.add("Ingress");
                    if (s.has("egress")) {
                        types.add("Egress");
                    }
                }
            }
            default -> { }
        }
    }

    private static void template(JsonNode template) {
        if (template.get("spec") instanceof ObjectNode spec) {
            PodSpecDefaults.apply(spec);
        }
    }

    private static void job(ObjectNode s) {
        if (!s.has("completions") && !s.has("parallelism")) {
            s.put("completions", 1);
            s.put("parallelism", 1);
        } else if (!s.has("parallelism")) {
            s.put("parallelism", 1);
        }
        if (!s.has("backoffLimit")) {
            s.put("backoffLimit", s.has("backoffLimitPerIndex") ? Integer.MAX_VALUE : 6);
        }
        putIfAbsent(s, "completionMode", "NonIndexed");
        if (!s.has("suspend")) {
            s.put("suspend", false);
        }
        putIfAbsent(s, "podReplacementPolicy", s.has("podFailurePolicy") ? "Failed" : "TerminatingOrFailed");
        template(s.path("template"));
    }

    private static void service(ObjectNode s) {
        putIfAbsent(s, "type", "ClusterIP");
        String type = s.path("type").asText();
        if (!type.equals("ExternalName")) {
            putIfAbsent(s, "sessionAffinity", "None");
            putIfAbsent(s, "internalTrafficPolicy", "Cluster");
        }
        if (type.equals("NodePort") || type.equals("LoadBalancer")) {
            putIfAbsent(s, "externalTrafficPolicy", "Cluster");
        }
        if (type.equals("LoadBalancer") && !s.has("allocateLoadBalancerNodePorts")) {
            s.put("allocateLoadBalancerNodePorts", true);
        }
        for (JsonNode p : s.path("ports")) {
            if (p instanceof ObjectNode port) {
                putIfAbsent(port, "protocol", "TCP");
                if (!port.has("targetPort") && port.has("port")) {
                    port.set("targetPort", port.get("port").deepCopy());
                }
            }
        }
    }

    private static void pvcSpec(ObjectNode s) {
        putIfAbsent(s, "volumeMode", "Filesystem");
    }

    private static void replicas(ObjectNode s) {
        intIfAbsent(s, "replicas", 1);
    }

    private static void putIfAbsent(ObjectNode o, String f, String v) {
        if (!o.has(f) || o.get(f).isNull()) {
            o.put(f, v);
        }
    }

    private static void intIfAbsent(ObjectNode o, String f, int v) {
        if (!o.has(f) || o.get(f).isNull()) {
            o.put(f, v);
        }
    }
}
