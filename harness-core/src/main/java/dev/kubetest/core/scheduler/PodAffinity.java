package dev.kubetest.core.scheduler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubetest.core.selector.LabelSelector;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Inter-pod affinity and anti-affinity as pure functions: the required terms filter nodes (including the symmetric
 * rule that an existing pod's required anti-affinity repels the incoming pod), the preferred terms score them.
 */
public final class PodAffinity {
    public static final String AFFINITY = "node(s) didn't match pod affinity rules";
    public static final String ANTI_AFFINITY = "node(s) didn't match pod anti-affinity rules";
    public static final String EXISTING_ANTI_AFFINITY = "node(s) didn't satisfy existing pods anti-affinity rules";

    private PodAffinity() {}

    private static JsonNode terms(JsonNode pod, String kind, String mode) {
        return pod.path("spec").path("affinity").path(kind).path(mode);
    }

    private static final String REQUIRED = "requiredDuringSchedulingIgnoredDuringExecution";
    private static final String PREFERRED = "preferredDuringSchedulingIgnoredDuringExecution";

    /** Whether {@code term}, written on {@code owner}, selects {@code candidate}. */
    static boolean selects(JsonNode term, JsonNode owner, JsonNode candidate, ClusterSnapshot snapshot) {
        String candidateNs = candidate.path("metadata").path("namespace").asText();
        if (!namespaceMatches(term, owner.path("metadata").path("namespace").asText(), candidateNs, snapshot)) {
            return false;
        }
        ObjectNode selector = ClusterSnapshot.selectorOf(term, owner);
        if (selector == null) {
            return false;
        }
        Map<String, String> ownerLabels = LabelSelector.labelsOf(owner);
        for (JsonNode key : term.path("mismatchLabelKeys")) {
            String value = ownerLabels.get(key.asText());
            if (value != null) {
                ObjectNode expr = (selector.path("matchExpressions").isArray() ? (ArrayNode) selector.get("matchExpressions")
                        : selector.putArray("matchExpressions")).addObject();
                expr.put("key", key.asText());
                expr.put("operator", "NotIn");
                expr.putArray("values").add(value);
            }
        }
        return Objects.requireNonNull(LabelSelector.fromJson(selector)).matches(LabelSelector.labelsOf(candidate));
    }

    private static boolean namespaceMatches(JsonNode term, String ownerNs, String candidateNs, ClusterSnapshot snapshot) {
        Set<String> listed = new HashSet<>();
        term.path("namespaces").forEach(n -> listed.add(n.asText()));
        JsonNode nsSelector = term.get("namespaceSelector");
        boolean hasSelector = nsSelector != null && !nsSelector.isNull();
        if (listed.isEmpty() && !hasSelector) {
            return candidateNs.equals(ownerNs);
        }
        if (listed.contains(candidateNs)) {
            return true;
        }
        return hasSelector && Objects.requireNonNull(LabelSelector.fromJson(nsSelector))
                .matches(snapshot.labelsOfNamespace(candidateNs));
    }

    private static boolean sameDomain(JsonNode a, JsonNode b, String key) {
        String va = ClusterSnapshot.topology(a, key);
        return va != null && va.equals(ClusterSnapshot.topology(b, key));
    }

    /**
     * Why inter-pod affinity rules out {@code node}, checked in upstream's order (the pod's required affinity, its
     * required anti-affinity, then existing pods' required anti-affinity towards it), or null when it passes.
     */
    public static String reason(JsonNode pod, JsonNode node, ClusterSnapshot snapshot) {
        JsonNode affinity = terms(pod, "podAffinity", REQUIRED);
        if (affinity.isArray() && !affinity.isEmpty() && !affinitySatisfied(pod, node, affinity, snapshot.placed(), snapshot)) {
            return AFFINITY;
        }
        for (JsonNode term : terms(pod, "podAntiAffinity", REQUIRED)) {
            String key = term.path("topologyKey").asText();
            if (snapshot.placed().stream().anyMatch(p -> sameDomain(p.node(), node, key) && selects(term, pod, p.pod(), snapshot))) {
                return ANTI_AFFINITY;
            }
        }
        for (ClusterSnapshot.Placed p : snapshot.withAffinity()) {
            for (JsonNode term : terms(p.pod(), "podAntiAffinity", REQUIRED)) {
                if (sameDomain(p.node(), node, term.path("topologyKey").asText()) && selects(term, p.pod(), pod, snapshot)) {
                    return EXISTING_ANTI_AFFINITY;
                }
            }
        }
        return null;
    }

    private static boolean affinitySatisfied(JsonNode pod, JsonNode node, JsonNode affinity,
                                             List<ClusterSnapshot.Placed> placed, ClusterSnapshot snapshot) {
        boolean allSatisfied = true;
        boolean anyPeerAnywhere = false;
        for (JsonNode term : affinity) {
            String key = term.path("topologyKey").asText();
            boolean here = false;
            for (ClusterSnapshot.Placed p : placed) {
                if (selects(term, pod, p.pod(), snapshot)) {
                    anyPeerAnywhere = true;
                    here |= sameDomain(p.node(), node, key);
                }
            }
            allSatisfied &= here;
        }
        if (allSatisfied) {
            return true;
        }
        // the first pod of a group whose affinity selects itself may go anywhere that has the topology keys
        if (anyPeerAnywhere) {
            return false;
        }
        for (JsonNode term : affinity) {
            if (!selects(term, pod, pod, snapshot) || ClusterSnapshot.topology(node, term.path("topologyKey").asText()) == null) {
                return false;
            }
        }
        return true;
    }

    /**
     * The preferred (anti-)affinity score of {@code node}: the weight of each preferred term for every selected pod in
     * the same topology domain, added for affinity and subtracted for anti-affinity, in both directions.
     */
    public static long score(JsonNode pod, JsonNode node, ClusterSnapshot snapshot) {
        long score = 0;
        boolean own = pod.path("spec").path("affinity").has("podAffinity") || pod.path("spec").path("affinity").has("podAntiAffinity");
        for (ClusterSnapshot.Placed p : own ? snapshot.placed() : snapshot.withAffinity()) {
            score += weigh(terms(pod, "podAffinity", PREFERRED), pod, p.pod(), p.node(), node, snapshot, 1);
            score += weigh(terms(pod, "podAntiAffinity", PREFERRED), pod, p.pod(), p.node(), node, snapshot, -1);
            score += weigh(terms(p.pod(), "podAffinity", PREFERRED), p.pod(), pod, p.node(), node, snapshot, 1);
            score += weigh(terms(p.pod(), "podAntiAffinity", PREFERRED), p.pod(), pod, p.node(), node, snapshot, -1);
        }
        return score;
    }

    private static long weigh(JsonNode weightedTerms, JsonNode owner, JsonNode other, JsonNode otherNode, JsonNode node,
                              ClusterSnapshot snapshot, int sign) {
        long sum = 0;
        for (JsonNode wt : weightedTerms) {
            JsonNode term = wt.path("podAffinityTerm");
            if (sameDomain(otherNode, node, term.path("topologyKey").asText()) && selects(term, owner, other, snapshot)) {
                sum += sign * wt.path("weight").asLong(0);
            }
        }
        return sum;
    }
}
