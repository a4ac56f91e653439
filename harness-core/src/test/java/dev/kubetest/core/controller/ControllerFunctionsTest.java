package dev.kubetest.core.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubetest.core.json.Json;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The pure parts of the controllers, driven without a server. */
class ControllerFunctionsTest {
    @ParameterizedTest(name = "after {0} failures: {1} ms")
    @CsvSource({"0,0", "1,5", "2,10", "3,20", "10,2560", "40,1000000"})
    void workQueueBackOffDoublesUpToTheMaximum(int failures, long millis) {
        assertThat(WorkQueue.backoff(Duration.ofMillis(5), Duration.ofSeconds(1000), failures)).isEqualTo(Duration.ofMillis(millis));
    }

    @Test
    void namespaceConditionsReportWhatRemains() {
        Map<String, Integer> remaining = new TreeMap<>(Map.of("pods.", 2, "widgets.example.com", 1));
        Map<String, Integer> finalizers = Map.of("example.com/hold", 1);
        List<NamespaceConditions.Condition> c = NamespaceConditions.of(remaining, finalizers, null);
        assertThat(c).extracting(NamespaceConditions.Condition::type).containsExactly(
                "NamespaceDeletionDiscoveryFailure", "NamespaceDeletionGroupVersionParsingFailure",
                "NamespaceDeletionContentFailure", "NamespaceContentRemaining", "NamespaceFinalizersRemaining");
        assertThat(c.get(3).message()).isEqualTo(
                "Some resources are remaining: pods. has 2 resource instances, widgets.example.com has 1 resource instances");
        assertThat(c.get(4).message()).isEqualTo(
                "Some content in the namespace has finalizers remaining: example.com/hold in 1 resource instances");
        List<NamespaceConditions.Condition> done = NamespaceConditions.of(Map.of(), Map.of(), null);
        assertThat(done.get(3).status()).isEqualTo("False");
        assertThat(done.get(3).reason()).isEqualTo("ContentRemoved");
    }

    @Test
    void conditionTransitionTimesOnlyMoveWhenTheStatusFlips() {
        var ns = Json.object();
        NamespaceConditions.apply(ns, NamespaceConditions.of(Map.of("pods.", 1), Map.of(), null), "2026-01-01T00:00:00Z");
        NamespaceConditions.apply(ns, NamespaceConditions.of(Map.of("pods.", 1), Map.of(), null), "2026-01-01T00:05:00Z");
        assertThat(ns.path("status").path("conditions").get(3).path("lastTransitionTime").asText()).isEqualTo("2026-01-01T00:00:00Z");
        NamespaceConditions.apply(ns, NamespaceConditions.of(Map.of(), Map.of(), null), "2026-01-01T00:09:00Z");
        assertThat(ns.path("status").path("conditions").get(3).path("lastTransitionTime").asText()).isEqualTo("2026-01-01T00:09:00Z");
    }

    @ParameterizedTest
    @CsvSource({"v1,v1beta1", "v2,v1", "v1beta2,v1beta1", "v1beta1,v1alpha1", "v1alpha1,foo"})
    void crdVersionsSortByKubernetesPriority(String higher, String lower) {
        assertThat(CustomResourceDefinitionController.VERSION_PRIORITY.compare(higher, lower)).isNegative();
    }

    @Test
    void anOrderedQueueHandsOutTheFirstInOrderAndTheOldestOnTies() throws Exception {
        WorkQueue<String> queue = new WorkQueue<>(new dev.kubetest.core.clock.ManualClock(java.time.Instant.EPOCH));
        Map<String, Integer> priority = Map.of("low-a", 0, "low-b", 0, "high", 1000, "mid", 10);
        queue.order(java.util.Comparator.comparingInt((String k) -> -priority.get(k)));
        queue.addAll(List.of("low-a", "low-b", "mid", "high"));
        List<String> taken = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) {
            String k = queue.take();
            taken.add(k);
            queue.done(k);
        }
        assertThat(taken).containsExactly("high", "mid", "low-a", "low-b");
    }

    @ParameterizedTest(name = "{0} with {1} expected and {2} healthy: desired {3}, allowed {4}")
    @CsvSource(delimiter = ';', value = {
            "{\"minAvailable\":2}; 3; 3; 2; 1",
            "{\"minAvailable\":2}; 3; 2; 2; 0",
            "{\"minAvailable\":\"50%\"}; 3; 3; 2; 1",
            "{\"maxUnavailable\":1}; 4; 4; 3; 1",
            "{\"maxUnavailable\":\"30%\"}; 4; 4; 2; 2",
            "{\"maxUnavailable\":5}; 4; 4; 0; 4",
            "{\"minAvailable\":0}; 0; 0; 0; 0",
            "{}; 3; 3; 0; 0"})
    void disruptionBudgetsAllowHealthyPodsBeyondTheDesiredNumber(String spec, int expected, int healthy, int desired, int allowed) {
        DisruptionBudgets.Numbers n = DisruptionBudgets.numbers(Json.parse(spec), expected, healthy);
        assertThat(n.desiredHealthy()).isEqualTo(desired);
        assertThat(n.disruptionsAllowed()).isEqualTo(allowed);
        assertThat(n.currentHealthy()).isEqualTo(healthy);
    }

    @Test
    void onlyMaxUnavailableAndPercentagesCountByTheControllersScale() {
        assertThat(DisruptionBudgets.needsScale(Json.parse("{\"maxUnavailable\":1}"))).isTrue();
        assertThat(DisruptionBudgets.needsScale(Json.parse("{\"minAvailable\":\"50%\"}"))).isTrue();
        assertThat(DisruptionBudgets.needsScale(Json.parse("{\"minAvailable\":1}"))).isFalse();
    }
}
