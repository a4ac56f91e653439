package dev.kubetest.core.scheduler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubetest.core.selector.LabelSelector;
import java.util.HashMap;
import java.util.Map;

/**
 * Pod topology spread constraints as pure functions. A domain is a value of the constraint's topology key among the
 * nodes the pod could go to (its node selector and required node affinity honoured, taints ignored, as upstream's
 * default policies); the skew of placing the pod in a domain is that domain's count of matching pods, plus one,
 * minus the smallest count of any eligible domain (zero when fewer domains exist than {@code minDomains}).
 */
public final class TopologySpread {
    public static final String UNSATISFIED = "node(s) didn't match pod topology spread constraints";
    public static final String MISSING_LABEL = "node(s) didn't match pod topology spread constraints (missing required label)";

    private TopologySpread() {}

    /** The reason a DoNotSchedule constraint rules {@code node} out, or null. */
    public static String reason(JsonNode pod, JsonNode node, ClusterSnapshot snapshot) {
        for (JsonNode c : pod.path("spec").path("topologySpreadConstraints")) {
            if (!"DoNotSchedule".equals(c.path("whenUnsatisfiable").asText("DoNotSchedule"))) {
                continue;
            }
            String key = c.path("topologyKey").asText();
            String domain = ClusterSnapshot.topology(node, key);
            if (domain == null) {
                return MISSING_LABEL;
            }
            Map<String, Integer> counts = counts(pod, c, snapshot);
            int min = counts.values().stream().min(Integer::compare).orElse(0);
            if (counts.size() < c.path("minDomains").asInt(1)) {
                min = 0;
            }
            int self = selfMatches(pod, c) ? 1 : 0;
            if (counts.getOrDefault(domain, 0) + self - min > c.path("maxSkew").asInt(1)) {
                return UNSATISFIED;
            }
        }
        return null;
    }

    /** How many matching pods the node's domains already hold over the ScheduleAnyway constraints: lower is better. */
    public static long penalty(JsonNode pod, JsonNode node, ClusterSnapshot snapshot) {
        long sum = 0;
        for (JsonNode c : pod.path("spec").path("topologySpreadConstraints")) {
            if (!"ScheduleAnyway".equals(c.path("whenUnsatisfiable").asText())) {
                continue;
            }
            String domain = ClusterSnapshot.topology(node, c.path("topologyKey").asText());
            if (domain != null) {
                sum += counts(pod, c, snapshot).getOrDefault(domain, 0);
            }
        }
        return sum;
    }

    /** Matching pods per eligible domain; every eligible domain is present, with zero when empty. */
    static Map<String, Integer> counts(JsonNode pod, JsonNode constraint, ClusterSnapshot snapshot) {
        String key = constraint.path("topologyKey").asText();
        LabelSelector selector = selector(pod, constraint);
        String namespace = pod.path("metadata").path("namespace").asText();
        Map<String, Integer> counts = new HashMap<>();
        for (JsonNode node : snapshot.nodes()) {
            String domain = ClusterSnapshot.topology(node, key);
            if (domain == null || !SchedulingFilters.matchesSelectorAndAffinity(pod.path("spec"), node)) {
                continue;
            }
            int n = counts.getOrDefault(domain, 0);
            for (JsonNode p : snapshot.podsOn(node)) {
                if (selector != null && namespace.equals(p.path("metadata").path("namespace").asText())
                        && !p.path("metadata").hasNonNull("deletionTimestamp")
                        && selector.matches(LabelSelector.labelsOf(p))) {
                    n++;
                }
            }
            counts.put(domain, n);
        }
        return counts;
    }

    private static boolean selfMatches(JsonNode pod, JsonNode constraint) {
        LabelSelector selector = selector(pod, constraint);
        return selector != null && selector.matches(LabelSelector.labelsOf(pod));
    }

    private static LabelSelector selector(JsonNode pod, JsonNode constraint) {
        ObjectNode selector = ClusterSnapshot.selectorOf(constraint, pod);
        if (selector == null) {
            return null;
        }
        return LabelSelector.fromJson(selector);
    }
}
