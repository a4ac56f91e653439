package dev.kubetest.core.workload;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubetest.core.json.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The arithmetic of the ReplicaSet controller: slow start, availability, and which pods go first. */
class ReplicaSetFunctionsTest {
    private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");

    @ParameterizedTest
    @CsvSource({"0, ''", "1, 1", "3, 1 2", "7, 1 2 4", "10, 1 2 4 3", "20, 1 2 4 8 5"})
    void slowStartBatchesDouble(int count, String expected) {
        List<Integer> want = expected.isEmpty() ? List.of()
                : java.util.Arrays.stream(expected.split(" ")).map(Integer::valueOf).toList();
        assertThat(SlowStart.batches(count, 1)).isEqualTo(want);
    }

    @Test
    void aFailingBatchStopsTheRun() {
        int[] calls = {0};
        // the 2nd create fails: batch 1 (1 pod) succeeds, batch 2 (2 pods) has a failure, no batch 3
        int done = SlowStart.run(10, () -> ++calls[0] != 2);
        assertThat(calls[0]).isEqualTo(3);
        assertThat(done).isEqualTo(2);
    }

    private static ObjectNode pod(String name, String node, String phase, boolean ready, Instant readySince,
                                  int restarts, Instant created) {
        ObjectNode p = Json.object();
        ObjectNode meta = p.putObject("metadata");
        meta.put("name", name).put("uid", "uid-" + name).put("creationTimestamp", created.toString());
        ObjectNode spec = p.putObject("spec");
        if (node != null) {
            spec.put("nodeName", node);
        }
        ObjectNode status = p.putObject("status").put("phase", phase);
        status.putArray("conditions").addObject().put("type", "Ready").put("status", ready ? "True" : "False")
                .put("lastTransitionTime", readySince.toString());
        status.putArray("containerStatuses").addObject().put("restartCount", restarts);
        return p;
    }

    private static List<String> names(List<JsonNode> pods) {
        return pods.stream().map(p -> p.path("metadata").path("name").asText()).toList();
    }

    @Test
    void victimsFollowUpstreamsOrder() {
        Instant old = NOW.minus(Duration.ofHours(10));
        ObjectNode running = pod("running", "n1", "Running", true, old, 0, old);
        ObjectNode unscheduled = pod("unscheduled", null, "Pending", false, old, 0, old);
        ObjectNode pending = pod("pending", "n1", "Pending", false, old, 0, old);
        ObjectNode unknown = pod("unknown", "n1", "Unknown", false, old, 0, old);
        ObjectNode notReady = pod("notready", "n1", "Running", false, old, 0, old);
        List<ObjectNode> all = List.of(running, notReady, unknown, pending, unscheduled);
        assertThat(names(DeletionOrder.victims(all, all, 4, NOW)))
                .containsExactly("unscheduled", "pending", "unknown", "notready");
    }

    @Test
    void amongReadyPodsCostThenDoublingUpThenReadyTimeThenRestartsThenAge() {
        Instant old = NOW.minus(Duration.ofHours(10));
        ObjectNode cheap = pod("cheap", "n1", "Running", true, old, 0, old);
        cheap.with("metadata").putObject("annotations").put(DeletionOrder.DELETION_COST, "-5");
        ObjectNode alone = pod("alone", "n2", "Running", true, old, 0, old);
        ObjectNode doubled = pod("doubled", "n3", "Running", true, old, 0, old);
        ObjectNode twin = pod("twin", "n3", "Running", true, old, 0, old.minusSeconds(36_000 * 4));
        assertThat(names(DeletionOrder.victims(List.of(alone, doubled, cheap), List.of(alone, doubled, cheap, twin), 2, NOW)))
                .containsExactly("cheap", "doubled");

        ObjectNode recentlyReady = pod("recent", "n1", "Running", true, NOW.minusSeconds(10), 0, old);
        ObjectNode longReady = pod("long", "n2", "Running", true, old, 0, old);
        assertThat(names(DeletionOrder.victims(List.of(longReady, recentlyReady), List.of(), 1, NOW))).containsExactly("recent");

        ObjectNode restarted = pod("restarted", "n1", "Running", true, old, 4, old);
        ObjectNode steady = pod("steady", "n2", "Running", true, old, 0, old);
        assertThat(names(DeletionOrder.victims(List.of(steady, restarted), List.of(), 1, NOW))).containsExactly("restarted");

        ObjectNode newer = pod("newer", "n1", "Running", true, old, 0, NOW.minusSeconds(60));
        ObjectNode older = pod("older", "n2", "Running", true, old, 0, old);
        assertThat(names(DeletionOrder.victims(List.of(older, newer), List.of(), 1, NOW))).containsExactly("newer");
    }

    @ParameterizedTest
    @CsvSource({"0, 100", "3, 100", "30, 100", "100, 60"})
    void timesAreComparedInPowersOfTwo(long seconds, long otherSeconds) {
        long a = DeletionOrder.log2Rank(Duration.ofSeconds(seconds));
        long b = DeletionOrder.log2Rank(Duration.ofSeconds(otherSeconds));
        assertThat(a <= b).isEqualTo(seconds <= otherSeconds);
        assertThat(DeletionOrder.log2Rank(Duration.ofNanos(1024))).isEqualTo(10);
        assertThat(DeletionOrder.log2Rank(Duration.ofNanos(1500))).isEqualTo(10);
        assertThat(DeletionOrder.log2Rank(Duration.ZERO)).isEqualTo(-1);
    }

    @Test
    void availableMeansReadyForMoreThanMinReadySeconds() {
        ObjectNode p = pod("p", "n1", "Running", true, NOW.minusSeconds(30), 0, NOW);
        assertThat(Pods.available(p, 0, NOW)).isTrue();
        assertThat(Pods.available(p, 30, NOW)).isFalse();
        assertThat(Pods.available(p, 29, NOW)).isTrue();
        assertThat(Pods.untilAvailable(p, 40, NOW)).contains(Duration.ofSeconds(10).plusMillis(1));
        assertThat(Pods.available(pod("q", "n1", "Running", false, NOW.minusSeconds(100), 0, NOW), 0, NOW)).isFalse();
    }

    @Test
    void theOrderIsTotalOverManySimilarPods() {
        // pods of one age bucket, with equal and differing ready times and restarts: a sort must not fail
        java.util.Random random = new java.util.Random(7);
        List<ObjectNode> pods = new java.util.ArrayList<>();
        for (int i = 0; i < 200; i++) {
            Instant t = NOW.minusSeconds(100 + random.nextInt(20));
            pods.add(pod("p" + i, "n" + random.nextInt(3), "Running", true, random.nextBoolean() ? t : NOW.minusSeconds(110),
                    random.nextInt(2), NOW.minusSeconds(1000 + random.nextInt(50))));
        }
        assertThat(DeletionOrder.victims(pods, pods, 100, NOW)).hasSize(100).doesNotHaveDuplicates();

        // the smallest cycle upstream's rules would make: a and b ready at the same instant (restarts decide),
        // c ready at another instant of the same power of two (upstream: its UID decides)
        Instant created = NOW.minusSeconds(5000);
        ObjectNode a = pod("a", "n1", "Running", true, NOW.minusSeconds(100), 3, created);
        ObjectNode b = pod("b", "n1", "Running", true, NOW.minusSeconds(100), 0, created);
        ObjectNode c = pod("c", "n1", "Running", true, NOW.minusSeconds(101), 0, created);
        a.with("metadata").put("uid", "3");
        b.with("metadata").put("uid", "1");
        c.with("metadata").put("uid", "2");
        java.util.Comparator<JsonNode> order = DeletionOrder.order(p -> 0, NOW);
        List<ObjectNode> three = List.of(a, b, c);
        for (ObjectNode x : three) {
            for (ObjectNode y : three) {
                for (ObjectNode z : three) {
                    if (order.compare(x, y) < 0 && order.compare(y, z) < 0) {
                        assertThat(order.compare(x, z)).as("transitive").isNegative();
                    }
                }
            }
        }
    }
}
