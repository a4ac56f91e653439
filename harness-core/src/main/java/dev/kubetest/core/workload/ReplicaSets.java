package dev.kubetest.core.workload;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** What the Deployment controller reads off its ReplicaSets: sizes, counts, revisions and the replicas annotations. */
public final class ReplicaSets {
    public static final String REVISION = "deployment.kubernetes.io/revision";
    public static final String REVISION_HISTORY = "deployment.kubernetes.io/revision-history";
    public static final String DESIRED_REPLICAS = "deployment.kubernetes.io/desired-replicas";
    public static final String MAX_REPLICAS = "deployment.kubernetes.io/max-replicas";

    /** Oldest first (ties by name), as upstream's ReplicaSetsByCreationTimestamp. */
    public static final Comparator<JsonNode> BY_CREATION = Comparator
            .comparing((JsonNode rs) -> rs.path("metadata").path("creationTimestamp").asText(""))
            .thenComparing(rs -> rs.path("metadata").path("name").asText());

    private ReplicaSets() {}

    public static int replicas(JsonNode rs) {
        return rs == null ? 0 : rs.path("spec").path("replicas").asInt(1);
    }

    public static int sumReplicas(List<? extends JsonNode> sets) {
        return sets.stream().mapToInt(ReplicaSets::replicas).sum();
    }

    /** Sum of {@code status.<field>} over the sets. */
    public static int sumStatus(List<? extends JsonNode> sets, String field) {
        return sets.stream().mapToInt(rs -> rs.path("status").path(field).asInt(0)).sum();
    }

    public static long revision(JsonNode rs) {
        try {
            return Long.parseLong(annotation(rs, REVISION).orElse("0"));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    public static Optional<String> annotation(JsonNode obj, String name) {
        JsonNode v = obj.path("metadata").path("annotations").get(name);
        return v == null || v.isNull() ? Optional.empty() : Optional.of(v.asText());
    }

    public static Optional<Integer> desiredReplicasAnnotation(JsonNode rs) {
        return intAnnotation(rs, DESIRED_REPLICAS);
    }

    public static Optional<Integer> maxReplicasAnnotation(JsonNode rs) {
        return intAnnotation(rs, MAX_REPLICAS);
    }

    private static Optional<Integer> intAnnotation(JsonNode rs, String name) {
        try {
            return annotation(rs, name).map(Integer::valueOf);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** The set's status does not yet answer its latest spec (observedGeneration behind generation). */
    public static boolean statusBehind(JsonNode rs) {
        return rs.path("status").path("observedGeneration").asLong(0) < rs.path("metadata").path("generation").asLong(0);
    }

    /** The sets with replicas above zero. */
    public static List<JsonNode> active(List<? extends JsonNode> sets) {
        return sets.stream().filter(rs -> replicas(rs) > 0).map(rs -> (JsonNode) rs).toList();
    }
}
