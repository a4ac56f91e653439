package dev.kubetest.core.scheduler;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * Ranks the feasible nodes as upstream's score plugins do: each plugin's raw scores are normalised to 0..100 across
 * the feasible nodes and summed with upstream's weights (taints 3, node affinity 2, inter-pod affinity 2, topology
 * spread 2, least allocated 1). Ties go to the node with fewer pods, then by name, so a
 * test sees the same placement every run.
 */
public final class NodeScoring {
    private NodeScoring() {}

    /** The best feasible node for {@code pod}; {@code feasible} must not be empty. */
    public static JsonNode best(JsonNode pod, List<? extends JsonNode> feasible, ClusterSnapshot snapshot) {
        double[] total = new double[feasible.size()];
        add(total, feasible, 3, n -> -intolerablePreferNoSchedule(pod, n));
        add(total, feasible, 2, n -> preferredNodeAffinity(pod, n));
        add(total, feasible, 2, n -> PodAffinity.score(pod, n, snapshot));
        add(total, feasible, 2, n -> -TopologySpread.penalty(pod, n, snapshot));
        add(total, feasible, 1, n -> -SchedulingFilters.load(pod, n, snapshot.podsOn(n).size(), snapshot.scoringRequestedOn(n)));
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < feasible.size(); i++) {
            order.add(i);
        }
        order.sort(Comparator.<Integer>comparingDouble(i -> -total[i])
                .thenComparingInt(i -> snapshot.podsOn(feasible.get(i)).size())
                .thenComparing(i -> feasible.get(i).path("metadata").path("name").asText()));
        return feasible.get(order.get(0));
    }

    /** Adds one plugin's scores, scaled so the best node gets {@code 100 * weight} and the worst 0. */
    static void add(double[] total, List<? extends JsonNode> nodes, int weight, ToDoubleFunction<JsonNode> raw) {
        double[] values = new double[nodes.size()];
        double min = Double.MAX_VALUE;
        double max = -Double.MAX_VALUE;
        for (int i = 0; i < values.length; i++) {
            values[i] = raw.applyAsDouble(nodes.get(i));
            min = Math.min(min, values[i]);
            max = Math.max(max, values[i]);
        }
        if (max - min < 1e-12) {
            return;
        }
        for (int i = 0; i < values.length; i++) {
            total[i] += weight * 100 * (values[i] - min) / (max - min);
        }
    }

    /** The sum of the weights of the pod's preferred node affinity terms that the node matches. */
    static long preferredNodeAffinity(JsonNode pod, JsonNode node) {
        long sum = 0;
        for (JsonNode t : pod.path("spec").path("affinity").path("nodeAffinity")
                .path("preferredDuringSchedulingIgnoredDuringExecution")) {
            if (SchedulingFilters.termMatches(t.path("preference"), node)) {
                sum += t.path("weight").asLong(0);
            }
        }
        return sum;
    }

    /** How many PreferNoSchedule taints of the node the pod does not tolerate. */
    static long intolerablePreferNoSchedule(JsonNode pod, JsonNode node) {
        long n = 0;
        for (JsonNode taint : node.path("spec").path("taints")) {
            if ("PreferNoSchedule".equals(taint.path("effect").asText())
                    && !SchedulingFilters.tolerates(pod.path("spec"), taint.path("key").asText(),
                    taint.path("value").asText(""), "PreferNoSchedule")) {
                n++;
            }
        }
        return n;
    }
}
