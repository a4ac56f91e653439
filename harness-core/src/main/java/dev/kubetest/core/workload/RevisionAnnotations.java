package dev.kubetest.core.workload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubetest.core.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The annotations a Deployment keeps on its ReplicaSets, as upstream's SetNewReplicaSetAnnotations and
 * SetReplicasAnnotations: the Deployment's own annotations copied, the revision, the revisions a set had before a
 * rollback brought it back ({@code revision-history}), and {@code desired-replicas}/{@code max-replicas}. Pure.
 */
public final class RevisionAnnotations {
    /** Upstream keeps the revision-history annotation under this many characters. */
    static final int REVISION_HISTORY_CHARS = 2000;
    private static final Set<String> NOT_COPIED = Set.of("kubectl.kubernetes.io/last-applied-configuration",
            ReplicaSets.REVISION, ReplicaSets.REVISION_HISTORY, ReplicaSets.DESIRED_REPLICAS, ReplicaSets.MAX_REPLICAS,
            "deprecated.deployment.rollback.to");

    private RevisionAnnotations() {}

    /**
     * Brings the new set's annotations up to date: the Deployment's annotations, the revision raised to
     * {@code newRevision} (the old one kept in revision-history), and on a set not yet created the replicas ones.
     * Whether anything changed.
     */
    public static boolean setOnNewSet(JsonNode deployment, ObjectNode rs, String newRevision, boolean exists) {
        ObjectNode annotations = Json.with(Json.with(rs, "metadata"), "annotations");
        boolean changed = false;
        for (var e : (Iterable<Map.Entry<String, JsonNode>>) () -> deployment.path("metadata").path("annotations").fields()) {
            if (!NOT_COPIED.contains(e.getKey()) && !e.getValue().equals(annotations.get(e.getKey()))) {
                annotations.set(e.getKey(), e.getValue());
                changed = true;
            }
        }
        String oldRevision = annotations.path(ReplicaSets.REVISION).asText("");
        if (parse(oldRevision) < parse(newRevision)) {
            annotations.put(ReplicaSets.REVISION, newRevision);
            changed = true;
            if (!oldRevision.isEmpty()) {
                annotations.put(ReplicaSets.REVISION_HISTORY,
                        history(annotations.path(ReplicaSets.REVISION_HISTORY).asText(""), oldRevision));
            }
        }
        if (!exists) {
            changed |= setReplicas(deployment, rs);
        }
        return changed;
    }

    /** {@code history} with {@code oldRevision} appended, its oldest entries dropped to stay under the limit. */
    public static String history(String history, String oldRevision) {
        if (history.isEmpty()) {
            return oldRevision;
        }
        List<String> revisions = new ArrayList<>(List.of(history.split(",")));
        int total = history.length() + oldRevision.length() + 1;
        while (total > REVISION_HISTORY_CHARS && !revisions.isEmpty()) {
            total -= revisions.remove(0).length() + 1;
        }
        revisions.add(oldRevision);
        return String.join(",", revisions);
    }

    /** Sets desired-replicas and max-replicas (replicas plus maxSurge) from the Deployment; whether they changed. */
    public static boolean setReplicas(JsonNode deployment, ObjectNode rs) {
        ObjectNode annotations = Json.with(Json.with(rs, "metadata"), "annotations");
        String desired = Integer.toString(RolloutMath.replicas(deployment));
        String max = Integer.toString(RolloutMath.replicas(deployment) + RolloutMath.maxSurge(deployment));
        boolean changed = !desired.equals(annotations.path(ReplicaSets.DESIRED_REPLICAS).asText(null))
                || !max.equals(annotations.path(ReplicaSets.MAX_REPLICAS).asText(null));
        annotations.put(ReplicaSets.DESIRED_REPLICAS, desired);
        annotations.put(ReplicaSets.MAX_REPLICAS, max);
        return changed;
    }

    private static long parse(String s) {
        try {
            return s.isEmpty() ? 0 : Long.parseLong(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
