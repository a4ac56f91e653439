package dev.kubetest.core.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The pieces of upstream's defaulting that several kinds' strategies share (pod templates, Job specs, Services). */
final class Defaulting {
    private Defaulting() {}

    static void template(JsonNode template) {
        if (template.get("spec") instanceof ObjectNode spec) {
            PodSpecDefaults.apply(spec);
        }
    }

    static void job(ObjectNode s) {
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

    static void service(ObjectNode s) {
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

    static void pvcSpec(ObjectNode s) {
        putIfAbsent(s, "volumeMode", "Filesystem");
    }

    static void replicas(ObjectNode s) {
        intIfAbsent(s, "replicas", 1);
    }

    static void putIfAbsent(ObjectNode o, String f, String v) {
        if (!o.has(f) || o.get(f).isNull()) {
            o.put(f, v);
        }
    }

    static void intIfAbsent(ObjectNode o, String f, int v) {
        if (!o.has(f) || o.get(f).isNull()) {
            o.put(f, v);
        }
    }
}
