package dev.kubetest.core.workload;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubetest.core.json.Json;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The arithmetic of the Deployment controller, against the cases upstream documents. */
class DeploymentFunctionsTest {
    private static final String T0 = "2026-01-01T00:00:00Z";

    private static JsonNode intOrString(String v) {
        return v.endsWith("%") ? Json.NODES.textNode(v) : Json.NODES.numberNode(Integer.parseInt(v));
    }

    @ParameterizedTest
    @CsvSource({
            "25%, 25%, 10, 3, 2",   // 10 replicas at 25%: up to 13 pods, at least 8 available
            "25%, 25%, 3, 1, 0",
            "1, 0, 3, 1, 0",
            "0, 0, 5, 0, 1",        // never both zero: one may be unavailable
            "0%, 0%, 3, 0, 1",
            "50%, 10%, 7, 4, 0",
            "3, 2, 10, 3, 2"})
    void surgeRoundsUpAndUnavailableRoundsDown(String surge, String unavailable, int replicas, int wantSurge, int wantUnavailable) {
        RolloutMath.Fenceposts f = RolloutMath.fenceposts(intOrString(surge), intOrString(unavailable), replicas);
        assertThat(f.maxSurge()).isEqualTo(wantSurge);
        assertThat(f.maxUnavailable()).isEqualTo(wantUnavailable);
    }

    private static ObjectNode deployment(int replicas, String surge, String unavailable) {
        ObjectNode d = Json.object();
        d.putObject("metadata").put("name", "web").put("generation", 2);
        ObjectNode spec = d.putObject("spec").put("replicas", replicas).put("progressDeadlineSeconds", 600);
        ObjectNode ru = spec.putObject("strategy").put("type", "RollingUpdate").putObject("rollingUpdate");
        ru.set("maxSurge", intOrString(surge));
        ru.set("maxUnavailable", intOrString(unavailable));
        d.putObject("status");
        return d;
    }

    private static ObjectNode set(String name, String created, int replicas, int available, Integer maxReplicas) {
        ObjectNode rs = Json.object();
        ObjectNode meta = rs.putObject("metadata").put("name", name).put("uid", "uid-" + name).put("creationTimestamp", created);
        if (maxReplicas != null) {
            meta.putObject("annotations").put(ReplicaSets.MAX_REPLICAS, maxReplicas.toString());
        }
        rs.putObject("spec").put("replicas", replicas);
        rs.putObject("status").put("replicas", replicas).put("availableReplicas", available).put("readyReplicas", available);
        return rs;
    }

    @Test
    void theNewSetGrowsOnlyWithinTheSurge() {
        ObjectNode d = deployment(10, "3", "2");
        ObjectNode old = set("old", T0, 10, 10, 13);
        ObjectNode fresh = set("new", "2026-01-01T00:01:00Z", 0, 0, 13);
        assertThat(RolloutMath.newReplicaSetReplicas(d, List.of(old, fresh), fresh)).isEqualTo(3);
        old.with("spec").put("replicas", 8);
        fresh.with("spec").put("replicas", 3);
        assertThat(RolloutMath.newReplicaSetReplicas(d, List.of(old, fresh), fresh)).isEqualTo(5);
        fresh.with("spec").put("replicas", 5);
        assertThat(RolloutMath.newReplicaSetReplicas(d, List.of(old, fresh), fresh)).isEqualTo(5);
    }

    @Test
    void scalingAStuckRolloutFromTenToFifteenAddsThreeToTheOldSetAndTwoToTheNew() {
        // upstream's documented example: maxSurge 3, maxUnavailable 2, old set at 8, new (never available) at 5
        ObjectNode d = deployment(15, "3", "2");
        d.with("status").put("replicas", 13);
        ObjectNode old = set("old", T0, 8, 8, 13);
        ObjectNode fresh = set("new", "2026-01-01T00:01:00Z", 5, 0, 13);
        Map<ObjectNode, Integer> plan = ProportionalScaling.plan(d, fresh, List.of(old));
        assertThat(plan).containsEntry(old, 11).containsEntry(fresh, 7);
    }

    @Test
    void scalingDownMidRolloutTakesFromBothAndNothingBelowZero() {
        ObjectNode d = deployment(5, "3", "2");
        ObjectNode old = set("old", T0, 8, 8, 13);
        ObjectNode fresh = set("new", "2026-01-01T00:01:00Z", 5, 0, 13);
        Map<ObjectNode, Integer> plan = ProportionalScaling.plan(d, fresh, List.of(old));
        assertThat(plan.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(5 + 3);
        assertThat(plan.values()).allMatch(v -> v >= 0);
        assertThat(plan.get(old)).isGreaterThan(plan.get(fresh));
    }

    @Test
    void oneActiveSetTakesTheNewCountAndASaturatedNewSetEmptiesTheOldOnes() {
        ObjectNode d = deployment(4, "25%", "25%");
        ObjectNode only = set("only", T0, 3, 3, 4);
        assertThat(ProportionalScaling.plan(d, only, List.of())).containsExactly(Map.entry(only, 4));

        ObjectNode fresh = set("new", "2026-01-01T00:01:00Z", 4, 4, 5);
        fresh.with("metadata").with("annotations").put(ReplicaSets.DESIRED_REPLICAS, "4");
        ObjectNode old = set("old", T0, 1, 1, 5);
        assertThat(ProportionalScaling.plan(d, fresh, List.of(old))).containsExactly(Map.entry(old, 0));
    }

    @Test
    void theSameTemplateHashesTheSameAndCollisionsChangeIt() {
        ObjectNode a = Json.object();
        a.putObject("metadata").putObject("labels").put("app", "web");
        a.putObject("spec").putArray("containers").addObject().put("name", "web").put("image", "nginx:1.27");
        ObjectNode b = a.deepCopy();
        b.with("metadata").putNull("creationTimestamp");
        assertThat(PodTemplateHash.of(a, null)).isEqualTo(PodTemplateHash.of(b, null))
                .matches("[bcdfghjklmnpqrstvwxz2456789]+");
        assertThat(PodTemplateHash.of(a, 1)).isNotEqualTo(PodTemplateHash.of(a, null));
        ObjectNode labelled = a.deepCopy();
        labelled.with("metadata").with("labels").put(PodTemplateHash.LABEL, "abc");
        assertThat(PodTemplateHash.equalIgnoringHash(a, labelled)).isTrue();
        ObjectNode other = a.deepCopy();
        ((ObjectNode) other.with("spec").withArray("containers").get(0)).put("image", "nginx:1.28");
        assertThat(PodTemplateHash.equalIgnoringHash(a, other)).isFalse();
    }

    @Test
    void safeEncodingAndFnvAreUpstreams() {
        // FNV-1a 32 of "a" is 0xe40c292c; upstream's alphabet maps each decimal digit by its byte value
        assertThat(Integer.toUnsignedString(PodTemplateHash.fnv(0x811c9dc5, "a".getBytes()), 16)).isEqualTo("e40c292c");
        assertThat(PodTemplateHash.safeEncode("0123456789")).isEqualTo("456789bcdf");
    }

    @Test
    void rollbacksKeepTheRevisionsASetHadBefore() {
        assertThat(RevisionAnnotations.history("", "1")).isEqualTo("1");
        assertThat(RevisionAnnotations.history("1,4", "6")).isEqualTo("1,4,6");
        String longHistory = String.join(",", java.util.Collections.nCopies(700, "99"));
        assertThat(RevisionAnnotations.history(longHistory, "100").length()).isLessThanOrEqualTo(2000);
        ObjectNode d = deployment(3, "25%", "25%");
        d.with("metadata").putObject("annotations").put("kubernetes.io/change-cause", "v2")
                .put(ReplicaSets.REVISION, "9").put("kubectl.kubernetes.io/last-applied-configuration", "{}");
        ObjectNode rs = set("rs", T0, 3, 3, null);
        rs.with("metadata").putObject("annotations").put(ReplicaSets.REVISION, "2");
        assertThat(RevisionAnnotations.setOnNewSet(d, rs, "5", true)).isTrue();
        assertThat(rs.path("metadata").path("annotations").path(ReplicaSets.REVISION).asText()).isEqualTo("5");
        assertThat(rs.path("metadata").path("annotations").path(ReplicaSets.REVISION_HISTORY).asText()).isEqualTo("2");
        assertThat(rs.path("metadata").path("annotations").path("kubernetes.io/change-cause").asText()).isEqualTo("v2");
        assertThat(rs.path("metadata").path("annotations").has("kubectl.kubernetes.io/last-applied-configuration")).isFalse();
        assertThat(RevisionAnnotations.setOnNewSet(d, rs, "5", true)).isFalse();
    }

    @Test
    void progressingFollowsUpstreamsReasons() {
        ObjectNode d = deployment(3, "25%", "25%");
        ObjectNode fresh = set("web-abc", T0, 3, 1, 4);
        fresh.with("status").put("replicas", 3);
        Instant now = Instant.parse("2026-01-01T00:05:00Z");
        ObjectNode status = DeploymentProgress.next(d, List.of(fresh), fresh, now, now.toString());
        JsonNode progressing = DeploymentStatus.get(status, DeploymentStatus.PROGRESSING).orElseThrow();
        assertThat(progressing.path("reason").asText()).isEqualTo("ReplicaSetUpdated");
        assertThat(progressing.path("message").asText()).isEqualTo("ReplicaSet \"web-abc\" is progressing.");
        assertThat(DeploymentStatus.get(status, DeploymentStatus.AVAILABLE).orElseThrow().path("status").asText())
                .isEqualTo("False");

        // no progress for longer than the deadline: timed out
        d.set("status", status);
        Instant late = now.plusSeconds(601);
        ObjectNode stuck = DeploymentProgress.next(d, List.of(fresh), fresh, late, late.toString());
        JsonNode timedOut = DeploymentStatus.get(stuck, DeploymentStatus.PROGRESSING).orElseThrow();
        assertThat(timedOut.path("status").asText()).isEqualTo("False");
        assertThat(timedOut.path("reason").asText()).isEqualTo("ProgressDeadlineExceeded");
        assertThat(timedOut.path("message").asText()).isEqualTo("ReplicaSet \"web-abc\" has timed out progressing.");

        // all available: complete
        d.set("status", stuck);
        fresh.with("status").put("availableReplicas", 3).put("readyReplicas", 3);
        ObjectNode done = DeploymentProgress.next(d, List.of(fresh), fresh, late, late.toString());
        JsonNode complete = DeploymentStatus.get(done, DeploymentStatus.PROGRESSING).orElseThrow();
        assertThat(complete.path("reason").asText()).isEqualTo("NewReplicaSetAvailable");
        assertThat(complete.path("status").asText()).isEqualTo("True");
        assertThat(complete.path("lastTransitionTime").asText()).isEqualTo(late.toString());
        assertThat(DeploymentStatus.get(done, DeploymentStatus.AVAILABLE).orElseThrow().path("reason").asText())
                .isEqualTo("MinimumReplicasAvailable");
    }

    @Test
    void pausingAndResumingShowAsProgressingUnknown() {
        ObjectNode d = deployment(3, "25%", "25%");
        assertThat(DeploymentProgress.pausedOrResumed(d, T0)).isEmpty();
        d.with("spec").put("paused", true);
        ObjectNode paused = DeploymentProgress.pausedOrResumed(d, T0).orElseThrow();
        assertThat(DeploymentStatus.get(paused, DeploymentStatus.PROGRESSING).orElseThrow().path("reason").asText())
                .isEqualTo("DeploymentPaused");
        d.set("status", paused);
        assertThat(DeploymentProgress.pausedOrResumed(d, T0)).isEmpty();
        d.with("spec").put("paused", false);
        assertThat(DeploymentStatus.get(DeploymentProgress.pausedOrResumed(d, T0).orElseThrow(), DeploymentStatus.PROGRESSING)
                .orElseThrow().path("message").asText()).isEqualTo("Deployment is resumed");
    }
}
