package dev.kubetest.core.network;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kubetest.core.selector.LabelSelector;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * What {@code kubectl port-forward TYPE/NAME PORT} connects to, as pure functions: the pod (for a Service or a
 * workload, a running pod its selector picks, ready ones first, then the oldest) and the pod's port (a Service
 * port becomes its targetPort, a named one looked up in the pod's containers).
 */
public final class ForwardTargets {
    private ForwardTargets() {}

    /** The kind's plural for kubectl's short and long names: svc, service, deploy, rs, sts, ds, pod... */
    public static String plural(String kind) {
        return switch (kind.toLowerCase(java.util.Locale.ROOT)) {
            case "svc", "service", "services" -> "services";
            case "deploy", "deployment", "deployments" -> "deployments";
            case "rs", "replicaset", "replicasets" -> "replicasets";
            case "sts", "statefulset", "statefulsets" -> "statefulsets";
            case "ds", "daemonset", "daemonsets" -> "daemonsets";
            case "po", "pod", "pods" -> "pods";
            default -> throw new IllegalArgumentException("error: the server doesn't have a resource type \"" + kind + "\"");
        };
    }

    /** The selector of a Service ({@code spec.selector}) or a workload ({@code spec.selector}). */
    public static LabelSelector selector(JsonNode obj) {
        JsonNode sel = obj.path("spec").path("selector");
        return "Service".equals(obj.path("kind").asText()) || !sel.has("matchLabels") && !sel.has("matchExpressions")
                ? LabelSelector.fromMap(sel) : LabelSelector.fromJson(sel);
    }

    /** The pod kubectl picks among {@code candidates}: running ones, ready before not ready, then the oldest. */
    public static Optional<JsonNode> pick(List<? extends JsonNode> candidates) {
        return candidates.stream().filter(p -> "Running".equals(p.path("status").path("phase").asText()))
                .map(p -> (JsonNode) p)
                .min(Comparator.comparing((JsonNode p) -> ready(p) ? 0 : 1)
                        .thenComparing(p -> p.path("metadata").path("creationTimestamp").asText())
                        .thenComparing(p -> p.path("metadata").path("name").asText()));
    }

    private static boolean ready(JsonNode pod) {
        for (JsonNode c : pod.path("status").path("conditions")) {
            if ("Ready".equals(c.path("type").asText())) {
                return "True".equals(c.path("status").asText());
            }
        }
        return false;
    }

    /** The pod port a Service's port {@code port} forwards to, as kubectl translates it. */
    public static int podPort(JsonNode svc, int port, JsonNode pod) {
        for (JsonNode p : svc.path("spec").path("ports")) {
            if (p.path("port").asInt() != port) {
                continue;
            }
            JsonNode target = p.path("targetPort");
            if (target.isMissingNode() || target.isNull()) {
                return port;
            }
            if (target.isInt() || target.asText().matches("\\d+")) {
                return target.asInt();
            }
            return containerPort(pod, target.asText()).orElseThrow(() -> new IllegalArgumentException(
                    "error: pod " + pod.path("metadata").path("name").asText() + " does not have a named port '" + target.asText() + "'"));
        }
        throw new IllegalArgumentException("error: Service " + svc.path("metadata").path("name").asText()
                + " does not have a service port " + port);
    }

    private static Optional<Integer> containerPort(JsonNode pod, String name) {
        for (JsonNode c : pod.path("spec").path("containers")) {
            for (JsonNode p : c.path("ports")) {
                if (name.equals(p.path("name").asText())) {
                    return Optional.of(p.path("containerPort").asInt());
                }
            }
        }
        return Optional.empty();
    }
}
