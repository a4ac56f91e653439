package dev.kubetest.core.scheduler;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The scheduler's filters and messages as pure functions of a pod, a node and the pods already on it:
 * unschedulable nodes, nodeSelector and required node affinity, taints and tolerations, host ports, resource fit.
 * Each failing filter gives upstream's reason text.
 */
public final class SchedulingFilters {
    private SchedulingFilters() {}

    /**
     * Why a node was filtered out: the failing plugin's reasons, and whether evicting lower-priority pods could ever
     * help (upstream's Unschedulable) or not (UnschedulableAndUnresolvable).
     */
    public record Verdict(List<String> reasons, boolean resolvable) {
        static final Verdict FITS = new Verdict(List.of(), true);

        public boolean fits() {
            return reasons.isEmpty();
        }

        static Verdict unresolvable(String reason) {
            return new Verdict(List.of(reason), false);
        }

        static Verdict resolvable(List<String> reasons) {
            return new Verdict(reasons, true);
        }
    }

    /**
     * Runs the filters in upstream's plugin order (NodeUnschedulable, TaintToleration, NodeAffinity, NodePorts,
     * NodeResourcesFit, PodTopologySpread, InterPodAffinity) and stops at the first that fails, as upstream does.
     */
    public static Verdict filter(JsonNode pod, JsonNode node, ClusterSnapshot snapshot) {
        JsonNode spec = pod.path("spec");
        List<JsonNode> podsOnNode = snapshot.podsOn(node);
        if (node.path("spec").path("unschedulable").asBoolean(false)
                && !tolerates(spec, "node.kubernetes.io/unschedulable", "", "NoSchedule")) {
            return Verdict.unresolvable("node(s) were unschedulable");
        }
        for (JsonNode taint : node.path("spec").path("taints")) {
            String effect = taint.path("effect").asText();
            if ((effect.equals("NoSchedule") || effect.equals("NoExecute"))
                    && !tolerates(spec, taint.path("key").asText(), taint.path("value").asText(""), effect)) {
                return Verdict.unresolvable("node(s) had untolerated taint {" + taint.path("key").asText() + ": "
                        + taint.path("value").asText("") + "}");
            }
        }
        if (!matchesSelectorAndAffinity(spec, node)) {
            return Verdict.unresolvable("node(s) didn't match Pod's node affinity/selector");
        }
        if (!hostPortsFree(spec, podsOnNode)) {
            return Verdict.resolvable(List.of("node(s) didn't have free ports for the requested pod ports"));
        }
        List<String> insufficient = insufficient(pod, node, podsOnNode.size(), snapshot.requestedOn(node));
        if (!insufficient.isEmpty()) {
            return Verdict.resolvable(insufficient);
        }
        String spread = TopologySpread.reason(pod, node, snapshot);
        if (spread != null) {
            return spread.equals(TopologySpread.MISSING_LABEL) ? Verdict.unresolvable(spread) : Verdict.resolvable(List.of(spread));
        }
        String affinity = PodAffinity.reason(pod, node, snapshot);
        if (affinity != null) {
            return affinity.equals(PodAffinity.AFFINITY) ? Verdict.unresolvable(affinity) : Verdict.resolvable(List.of(affinity));
        }
        return Verdict.FITS;
    }

    /** Whether no pod on the node already holds a host port (same protocol, overlapping host IP) the pod asks for. */
    static boolean hostPortsFree(JsonNode spec, List<JsonNode> podsOnNode) {
        for (JsonNode wanted : hostPorts(spec)) {
            for (JsonNode other : podsOnNode) {
                for (JsonNode held : hostPorts(other.path("spec"))) {
                    String a = wanted.path("hostIP").asText("0.0.0.0");
                    String b = held.path("hostIP").asText("0.0.0.0");
                    boolean ipOverlap = a.equals(b) || a.equals("0.0.0.0") || b.equals("0.0.0.0") || a.isEmpty() || b.isEmpty();
                    if (ipOverlap && wanted.path("hostPort").asInt() == held.path("hostPort").asInt()
                            && wanted.path("protocol").asText("TCP").equals(held.path("protocol").asText("TCP"))) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    private static List<JsonNode> hostPorts(JsonNode spec) {
        List<JsonNode> out = new ArrayList<>();
        for (String list : List.of("initContainers", "containers")) {
            for (JsonNode c : spec.path(list)) {
                for (JsonNode port : c.path("ports")) {
                    if (port.path("hostPort").asInt(0) > 0) {
                        out.add(port);
                    }
                }
            }
        }
        return out;
    }

    public static boolean tolerates(JsonNode podSpec, String key, String value, String effect) {
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

    public static boolean matchesSelectorAndAffinity(JsonNode spec, JsonNode node) {
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

    static BigDecimal amount(String quantity) {
        return dev.kubetest.core.meta.Quantities.amount(quantity);
    }

    static List<String> insufficient(JsonNode pod, JsonNode node, List<JsonNode> podsOnNode) {
        return insufficient(pod, node, podsOnNode.size(), requested(podsOnNode));
    }

    /** The summed {@link #requests} of {@code pods}. */
    static Map<String, BigDecimal> requested(List<JsonNode> pods) {
        Map<String, BigDecimal> used = new TreeMap<>();
        for (JsonNode p : pods) {
            requests(p).forEach((k, v) -> used.merge(k, v, BigDecimal::add));
        }
        return used;
    }

    /** The summed {@link #scoringRequests} of {@code pods}. */
    static Map<String, BigDecimal> scoringRequested(List<JsonNode> pods) {
        Map<String, BigDecimal> used = new TreeMap<>();
        for (JsonNode p : pods) {
            scoringRequests(p).forEach((k, v) -> used.merge(k, v, BigDecimal::add));
        }
        return used;
    }

    /** NodeResourcesFit for a node holding {@code podCount} pods that request {@code used} in all. */
    static List<String> insufficient(JsonNode pod, JsonNode node, int podCount, Map<String, BigDecimal> used) {
        List<String> out = new ArrayList<>();
        JsonNode allocatable = node.path("status").path("allocatable");
        int maxPods = allocatable.path("pods").asInt(110);
        if (podCount + 1 > maxPods) {
            out.add("Too many pods");
        }
        Map<String, BigDecimal> wanted = requests(pod);
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

    /**
     * Upstream's FailedScheduling message: each reason with the number of nodes it ruled out, then what preemption
     * found per node, each part sorted as text (so "1 ..." comes before "2 ...").
     */
    public static String message(int nodes, Map<String, Integer> reasonCounts, int unresolvableNodes) {
        return message(nodes, reasonCounts, preemptionSummary(nodes, unresolvableNodes));
    }

    /** The message with a given preemption part, or none (null) when preemption found victims. */
    public static String message(int nodes, Map<String, Integer> reasonCounts, String preemption) {
        if (nodes == 0) {
            return "no nodes available to schedule pods";
        }
        List<String> parts = new ArrayList<>();
        reasonCounts.forEach((reason, n) -> parts.add(n + " " + reason));
        java.util.Collections.sort(parts);
        return "0/" + nodes + " nodes are available: " + String.join(", ", parts) + "."
                + (preemption == null ? "" : " preemption: " + preemption);
    }

    /** What preemption found when no node had victims: per node, whether eviction could not help or found none. */
    public static String preemptionSummary(int nodes, int unresolvableNodes) {
        List<String> preemption = new ArrayList<>();
        if (unresolvableNodes > 0) {
            preemption.add(unresolvableNodes + " Preemption is not helpful for scheduling");
        }
        if (nodes - unresolvableNodes > 0) {
            preemption.add((nodes - unresolvableNodes) + " No preemption victims found for incoming pod");
        }
        java.util.Collections.sort(preemption);
        return "0/" + nodes + " nodes are available: " + String.join(", ", preemption) + ".";
    }

    /**
     * The share of a node's allocatable CPU and memory that would be in use with the pod: lower is better. As
     * upstream's scoring, a container without requests counts as 100m CPU and 200 MiB.
     */
    public static double load(JsonNode pod, JsonNode node, List<JsonNode> podsOnNode) {
        return load(pod, node, podsOnNode.size(), scoringRequested(podsOnNode));
    }

    /** The same for a node holding {@code podCount} pods whose scoring requests sum to {@code onNode}. */
    static double load(JsonNode pod, JsonNode node, int podCount, Map<String, BigDecimal> onNode) {
        JsonNode allocatable = node.path("status").path("allocatable");
        Map<String, BigDecimal> used = new TreeMap<>(scoringRequests(pod));
        onNode.forEach((k, v) -> used.merge(k, v, BigDecimal::add));
        double score = 0;
        for (String r : List.of("cpu", "memory")) {
            BigDecimal have = allocatable.has(r) ? amount(allocatable.get(r).asText()) : BigDecimal.ONE;
            if (have.signum() > 0) {
                score += used.getOrDefault(r, BigDecimal.ZERO).doubleValue() / have.doubleValue();
            }
        }
        return score + podCount * 1e-6;
    }

    private static final BigDecimal DEFAULT_CPU = amount("100m");
    private static final BigDecimal DEFAULT_MEMORY = amount("200Mi");

    static Map<String, BigDecimal> scoringRequests(JsonNode pod) {
        Map<String, BigDecimal> sum = new TreeMap<>();
        for (JsonNode c : pod.path("spec").path("containers")) {
            JsonNode r = c.path("resources").path("requests");
            sum.merge("cpu", r.has("cpu") ? amount(r.get("cpu").asText()) : DEFAULT_CPU, BigDecimal::add);
            sum.merge("memory", r.has("memory") ? amount(r.get("memory").asText()) : DEFAULT_MEMORY, BigDecimal::add);
        }
        return sum;
    }

    /**
     * Pure: how many feasible nodes a scheduling cycle looks for before it stops filtering, as upstream's
     * {@code numFeasibleNodesToFind} with the adaptive {@code percentageOfNodesToScore}: every node below 100; else
     * {@code 50 - nodes/125} percent of them (at least 5%), and at least 100.
     */
    static int feasibleNodesToFind(int nodes) {
        if (nodes < 100) {
            return nodes;
        }
        int percentage = Math.max(5, 50 - nodes / 125);
        return Math.max(100, nodes * percentage / 100);
    }
}
