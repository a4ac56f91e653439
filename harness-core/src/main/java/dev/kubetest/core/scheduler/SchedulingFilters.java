package dev.kubetest.core.scheduler;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The scheduler's filters and messages as pure functions of a pod, a node and the pods already on it:
 * unschedulable nodes, nodeSelector and required node affinity, taints and tolerations, resource fit.
 * Each returns upstream's reason text, or null when the node passes.
 */
public final class SchedulingFilters {
    private SchedulingFilters() {}

    /** Every reason {@code node} cannot take {@code pod}; empty when it fits. */
    public static List<String> reasons(JsonNode pod, JsonNode node, List<JsonNode> podsOnNode) {
        List<String> out = new ArrayList<>();
        JsonNode spec = pod.path("spec");
        if (node.path("spec").path("unschedulable").asBoolean(false)
                && !tolerates(spec, "node.kubernetes.io/unschedulable", "", "NoSchedule")) {
            out.add("node(s) were unschedulable");
            return out;
        }
        if (!matchesSelectorAndAffinity(spec, node)) {
            out.add("node(s) didn't match Pod's node affinity/selector");
        }
        for (JsonNode taint : node.path("spec").path("taints")) {
            String effect = taint.path("effect").asText();
            if ((effect.equals("NoSchedule") || effect.equals("NoExecute"))
                    && !tolerates(spec, taint.path("key").asText(), taint.path("value").asText(""), effect)) {
                out.add("node(s) had untolerated taint {" + taint.path("key").asText() + ": "
                        + taint.path("value").asText("") + "}");
                break;
            }
        }
        out.addAll(insufficient(pod, node, podsOnNode));
        return out;
    }

    static boolean tolerates(JsonNode podSpec, String key, String value, String effect) {
        for (JsonNode t : podSpec.path("tolerations")) {
            String op = t.path("operator").asText("Equal");
            String tk = t.path("key").asText("");
            String te = t.path("effect").asText("");
            boolean keyOk = tk.isEmpty() && op.equals("Exists") || tk.equals(key);
            boolean valueOk = op.equals("Exists") || t.path("value").asText("").equals(value);
            boolean effectOk = te.isEmpty() || te.equals(effect);
            if (keyOk && valueOk && effectOk) {
                return true;
            }
        }
        return false;
    }

    static boolean matchesSelectorAndAffinity(JsonNode spec, JsonNode node) {
        JsonNode labels = node.path("metadata").path("labels");
        for (Map.Entry<String, JsonNode> e : (Iterable<Map.Entry<String, JsonNode>>) spec.path("nodeSelector")::fields) {
            if (!e.getValue().asText().equals(labels.path(e.getKey()).asText(null))) {
                return false;
            }
        }
        JsonNode terms = spec.path("affinity").path("nodeAffinity")
                .path("requiredDuringSchedulingIgnoredDuringExecution").path("nodeSelectorTerms");
        if (!terms.isArray() || terms.isEmpty()) {
            return true;
        }
        for (JsonNode term : terms) {
            if (termMatches(term, node)) {
                return true;
            }
        }
        return false;
    }

    static boolean termMatches(JsonNode term, JsonNode node) {
        for (JsonNode expr : term.path("matchExpressions")) {
            if (!requirement(expr, node.path("metadata").path("labels").get(expr.path("key").asText()))) {
                return false;
            }
        }
        for (JsonNode expr : term.path("matchFields")) {
            JsonNode v = "metadata.name".equals(expr.path("key").asText()) ? node.path("metadata").path("name") : null;
            if (!requirement(expr, v)) {
                return false;
            }
        }
        return term.has("matchExpressions") || term.has("matchFields");
    }

    private static boolean requirement(JsonNode expr, JsonNode actual) {
        String op = expr.path("operator").asText();
        List<String> values = new ArrayList<>();
        expr.path("values").forEach(v -> values.add(v.asText()));
        String a = actual == null || actual.isNull() ? null : actual.asText();
        return switch (op) {
            case "In" -> a != null && values.contains(a);
            case "NotIn" -> a == null || !values.contains(a);
            case "Exists" -> a != null;
            case "DoesNotExist" -> a == null;
            case "Gt" -> a != null && values.size() == 1 && Long.parseLong(a) > Long.parseLong(values.get(0));
            case "Lt" -> a != null && values.size() == 1 && Long.parseLong(a) < Long.parseLong(values.get(0));
            default -> false;
        };
    }

    /** Resource requests of a pod: the sum of its containers', or its largest init container's if bigger. */
    public static Map<String, BigDecimal> requests(JsonNode pod) {
        Map<String, BigDecimal> sum = new TreeMap<>();
        for (JsonNode c : pod.path("spec").path("containers")) {
            add(sum, c.path("resources").path("requests"));
        }
        for (JsonNode c : pod.path("spec").path("initContainers")) {
            Map<String, BigDecimal> one = new TreeMap<>();
            add(one, c.path("resources").path("requests"));
            if ("Always".equals(c.path("restartPolicy").asText())) {
                add(sum, c.path("resources").path("requests"));
                continue;
            }
            one.forEach((k, v) -> sum.merge(k, v, BigDecimal::max));
        }
        return sum;
    }

    private static void add(Map<String, BigDecimal> into, JsonNode requests) {
        for (Map.Entry<String, JsonNode> e : (Iterable<Map.Entry<String, JsonNode>>) requests::fields) {
            into.merge(e.getKey(), amount(e.getValue().asText()), BigDecimal::add);
        }
    }

    public static BigDecimal amount(String quantity) {
        return Quantity.getAmountInBytes(new Quantity(quantity));
    }

    static List<String> insufficient(JsonNode pod, JsonNode node, List<JsonNode> podsOnNode) {
        List<String> out = new ArrayList<>();
        JsonNode allocatable = node.path("status").path("allocatable");
        int maxPods = allocatable.path("pods").asInt(110);
        if (podsOnNode.size() + 1 > maxPods) {
            out.add("Too many pods");
        }
        Map<String, BigDecimal> wanted = requests(pod);
        Map<String, BigDecimal> used = new TreeMap<>();
        for (JsonNode p : podsOnNode) {
            requests(p).forEach((k, v) -> used.merge(k, v, BigDecimal::add));
        }
        for (String resource : List.of("cpu", "memory", "ephemeral-storage")) {
            BigDecimal want = wanted.getOrDefault(resource, BigDecimal.ZERO);
            if (want.signum() == 0) {
                continue;
            }
            BigDecimal have = allocatable.has(resource) ? amount(allocatable.get(resource).asText()) : BigDecimal.ZERO;
            if (used.getOrDefault(resource, BigDecimal.ZERO).add(want).compareTo(have) > 0) {
                out.add("Insufficient " + resource);
            }
        }
        return out;
    }

    /** Upstream's FailedScheduling message from the reasons of each node. */
    public static String message(int nodes, Map<String, Integer> reasonCounts, boolean onlyResources) {
        if (nodes == 0) {
            return "no nodes available to schedule pods";
        }
        List<String> parts = new ArrayList<>();
        new TreeMap<>(reasonCounts).forEach((reason, n) -> parts.add(n + " " + reason));
        String preemption = onlyResources ? nodes + " No preemption victims found for incoming pod."
                : nodes + " Preemption is not helpful for scheduling.";
        return "0/" + nodes + " nodes are available: " + String.join(", ", parts) + ". preemption: 0/" + nodes
                + " nodes are available: " + preemption;
    }

    /** The share of a node's allocatable CPU and memory that would be in use with the pod: lower is better. */
    public static double load(JsonNode pod, JsonNode node, List<JsonNode> podsOnNode) {
        JsonNode allocatable = node.path("status").path("allocatable");
        Map<String, BigDecimal> used = new TreeMap<>(requests(pod));
        for (JsonNode p : podsOnNode) {
            requests(p).forEach((k, v) -> used.merge(k, v, BigDecimal::add));
        }
        double score = 0;
        for (String r : List.of("cpu", "memory")) {
            BigDecimal have = allocatable.has(r) ? amount(allocatable.get(r).asText()) : BigDecimal.ONE;
            if (have.signum() > 0) {
                score += used.getOrDefault(r, BigDecimal.ZERO).doubleValue() / have.doubleValue();
            }
        }
        return score + podsOnNode.size() * 1e-6;
    }
}
