package dev.kubetest.core.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kubetest.core.json.Json;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The scheduler's pure placement rules, driven with hand-made snapshots. */
class SchedulingFunctionsTest {
    private static JsonNode node(String name, String zone) {
        return Json.parse("{\"metadata\":{\"name\":\"" + name + "\",\"labels\":{\"kubernetes.io/hostname\":\"" + name
                + "\",\"topology.kubernetes.io/zone\":\"" + zone + "\"}},\"status\":{\"allocatable\":{\"cpu\":\"4\",\"memory\":\"16Gi\",\"pods\":\"110\"}}}");
    }

    private static JsonNode pod(String ns, String name, String node, String labels, String specExtra) {
        return Json.parse("{\"metadata\":{\"namespace\":\"" + ns + "\",\"name\":\"" + name + "\",\"labels\":" + labels
                + "},\"spec\":{\"nodeName\":\"" + node + "\",\"containers\":[{\"name\":\"c\"}]" + specExtra + "}}");
    }

    private static final List<JsonNode> NODES = List.of(node("a1", "a"), node("b1", "b"), node("c1", "c"));

    @Test
    void largeClustersAreSearchedUntilEnoughFeasibleNodesAsUpstream() {
        assertThat(SchedulingFilters.feasibleNodesToFind(50)).isEqualTo(50);
        assertThat(SchedulingFilters.feasibleNodesToFind(100)).isEqualTo(100);
        assertThat(SchedulingFilters.feasibleNodesToFind(1000)).as("42%").isEqualTo(420);
        assertThat(SchedulingFilters.feasibleNodesToFind(5000)).as("10%").isEqualTo(500);
        assertThat(SchedulingFilters.feasibleNodesToFind(20000)).as("at least 5%").isEqualTo(1000);
    }

    @Test
    void minDomainsTreatsMissingDomainsAsEmpty() {
        String constraint = ",\"topologySpreadConstraints\":[{\"maxSkew\":1,\"topologyKey\":\"topology.kubernetes.io/zone\","
                + "\"whenUnsatisfiable\":\"DoNotSchedule\",\"labelSelector\":{\"matchLabels\":{\"app\":\"x\"}},\"minDomains\":%d}]";
        // zones a and b hold one pod each; only nodes a1 and b1 are eligible for the pod (node selector)
        ClusterSnapshot snapshot = ClusterSnapshot.of(NODES, List.of(pod("d", "p1", "a1", "{\"app\":\"x\"}", ""),
                pod("d", "p2", "b1", "{\"app\":\"x\"}", "")), Map.of());
        String selector = ",\"nodeSelector\":{\"kubernetes.io/hostname\":\"a1\"}";
        JsonNode oneDomain = pod("d", "new", "", "{\"app\":\"x\"}", String.format(constraint, 1) + selector);
        // with the selector only zone a is eligible: its count is the global minimum, skew 1 is allowed
        assertThat(TopologySpread.reason(oneDomain, NODES.get(0), snapshot)).isNull();
        // asking for more domains than are eligible makes the minimum 0: 1 + 1 - 0 > 1
        JsonNode twoDomains = pod("d", "new", "", "{\"app\":\"x\"}", String.format(constraint, 2) + selector);
        assertThat(TopologySpread.reason(twoDomains, NODES.get(0), snapshot)).isEqualTo(TopologySpread.UNSATISFIED);
        // pods of other namespaces do not count
        ClusterSnapshot otherNs = ClusterSnapshot.of(NODES, List.of(pod("e", "p1", "a1", "{\"app\":\"x\"}", "")), Map.of());
        JsonNode anywhere = pod("d", "new", "", "{\"app\":\"x\"}", String.format(constraint, 1));
        assertThat(TopologySpread.counts(anywhere, anywhere.path("spec").path("topologySpreadConstraints").get(0), otherNs))
                .isEqualTo(Map.of("a", 0, "b", 0, "c", 0));
    }

    @Test
    void affinityTermsSelectByNamespaceListSelectorAndMatchLabelKeys() {
        ClusterSnapshot snapshot = ClusterSnapshot.of(NODES, List.of(), Map.of("prod", Map.of("env", "prod"), "dev", Map.of()));
        JsonNode owner = pod("dev", "o", "", "{\"app\":\"web\",\"rev\":\"2\"}", "");
        JsonNode sameNs = pod("dev", "p", "", "{\"app\":\"web\",\"rev\":\"2\"}", "");
        JsonNode prod = pod("prod", "p", "", "{\"app\":\"web\",\"rev\":\"2\"}", "");
        JsonNode oldRev = pod("dev", "p", "", "{\"app\":\"web\",\"rev\":\"1\"}", "");
        JsonNode plain = Json.parse("{\"labelSelector\":{\"matchLabels\":{\"app\":\"web\"}},\"topologyKey\":\"k\"}");
        assertThat(PodAffinity.selects(plain, owner, sameNs, snapshot)).isTrue();
        assertThat(PodAffinity.selects(plain, owner, prod, snapshot)).isFalse();
        JsonNode byNsSelector = Json.parse("{\"labelSelector\":{\"matchLabels\":{\"app\":\"web\"}},\"namespaceSelector\":"
                + "{\"matchLabels\":{\"env\":\"prod\"}},\"topologyKey\":\"k\"}");
        assertThat(PodAffinity.selects(byNsSelector, owner, prod, snapshot)).isTrue();
        assertThat(PodAffinity.selects(byNsSelector, owner, sameNs, snapshot)).isFalse();
        JsonNode allNs = Json.parse("{\"labelSelector\":{\"matchLabels\":{\"app\":\"web\"}},\"namespaceSelector\":{},\"topologyKey\":\"k\"}");
        assertThat(PodAffinity.selects(allNs, owner, prod, snapshot)).isTrue();
        JsonNode byRevision = Json.parse("{\"labelSelector\":{\"matchLabels\":{\"app\":\"web\"}},\"matchLabelKeys\":[\"rev\"],\"topologyKey\":\"k\"}");
        assertThat(PodAffinity.selects(byRevision, owner, sameNs, snapshot)).isTrue();
        assertThat(PodAffinity.selects(byRevision, owner, oldRev, snapshot)).isFalse();
        JsonNode noSelector = Json.parse("{\"topologyKey\":\"k\"}");
        assertThat(PodAffinity.selects(noSelector, owner, sameNs, snapshot)).isFalse();
    }

    @Test
    void failedSchedulingMessagesSortEachPartAsText() {
        assertThat(SchedulingFilters.message(12, Map.of("Insufficient memory", 10, "node(s) were unschedulable", 2), 2))
                .isEqualTo("0/12 nodes are available: 10 Insufficient memory, 2 node(s) were unschedulable. preemption: "
                        + "0/12 nodes are available: 10 No preemption victims found for incoming pod, 2 Preemption is not "
                        + "helpful for scheduling.");
        assertThat(SchedulingFilters.message(0, Map.of(), 0)).isEqualTo("no nodes available to schedule pods");
    }

    @Test
    void scoringNormalisesEachPluginAndBreaksTiesByName() {
        JsonNode pod = pod("d", "p", "", "{}", "");
        ClusterSnapshot empty = ClusterSnapshot.of(NODES, List.of(), Map.of());
        assertThat(NodeScoring.best(pod, NODES, empty).path("metadata").path("name").asText()).isEqualTo("a1");
        ClusterSnapshot busyA = ClusterSnapshot.of(NODES, List.of(pod("d", "x", "a1", "{}", "")), Map.of());
        assertThat(NodeScoring.best(pod, NODES, busyA).path("metadata").path("name").asText()).isEqualTo("b1");
        JsonNode prefersC = pod("d", "p", "", "{}", ",\"affinity\":{\"nodeAffinity\":{\"preferredDuringSchedulingIgnoredDuringExecution\":"
                + "[{\"weight\":1,\"preference\":{\"matchExpressions\":[{\"key\":\"topology.kubernetes.io/zone\",\"operator\":\"In\",\"values\":[\"c\"]}]}}]}}");
        assertThat(NodeScoring.best(prefersC, NODES, busyA).path("metadata").path("name").asText()).isEqualTo("c1");
    }

    private static JsonNode prioritized(String name, String node, int priority, String cpu) {
        return Json.parse("{\"metadata\":{\"namespace\":\"d\",\"name\":\"" + name + "\"},\"spec\":{\"nodeName\":\"" + node
                + "\",\"priority\":" + priority + ",\"containers\":[{\"name\":\"c\",\"resources\":{\"requests\":{\"cpu\":\""
                + cpu + "\"}}}]}}");
    }

    @Test
    void preemptionReprievesTheHighestPriorityPodsFirstAndPrefersCheaperNodes() {
        List<JsonNode> pods = List.of(prioritized("p1", "a1", 1, "1"), prioritized("p2", "a1", 5, "2"),
                prioritized("p3", "a1", 3, "1"), prioritized("q1", "b1", 8, "4"), prioritized("top", "c1", 20, "4"));
        ClusterSnapshot snapshot = ClusterSnapshot.of(NODES, pods, Map.of());
        JsonNode preemptor = prioritized("new", "", 10, "2");
        Preemption.Candidate onA = Preemption.onNode(preemptor, NODES.get(0), snapshot);
        assertThat(onA.victims()).extracting(v -> v.path("metadata").path("name").asText()).containsExactly("p3", "p1");
        // c1 holds only a higher-priority pod: no candidate there
        assertThat(Preemption.onNode(preemptor, NODES.get(2), snapshot)).isNull();
        // a1's victims (highest priority 3) are cheaper than b1's (8)
        assertThat(Preemption.find(preemptor, NODES, snapshot).node().path("metadata").path("name").asText()).isEqualTo("a1");
    }

    private static JsonNode labelled(JsonNode pod, String app) {
        ((com.fasterxml.jackson.databind.node.ObjectNode) pod.get("metadata")).putObject("labels").put("app", app);
        return pod;
    }

    private static JsonNode budget(String app, int allowed, String... disrupted) {
        com.fasterxml.jackson.databind.node.ObjectNode b = (com.fasterxml.jackson.databind.node.ObjectNode) Json.parse(
                "{\"metadata\":{\"namespace\":\"d\",\"name\":\"pdb-" + app + "\"},\"spec\":{\"selector\":{\"matchLabels\":"
                        + "{\"app\":\"" + app + "\"}}},\"status\":{\"disruptionsAllowed\":" + allowed + "}}");
        for (String d : disrupted) {
            b.with("status").with("disruptedPods").put(d, "2026-01-01T00:00:00Z");
        }
        return b;
    }

    @Test
    void preemptionAvoidsNodesWhoseVictimsWouldViolateADisruptionBudget() {
        // a1 and b1 each hold one pod of the same priority: without budgets the node name picks a1
        List<JsonNode> pods = List.of(labelled(prioritized("db-0", "a1", 1, "4"), "db"),
                labelled(prioritized("web-0", "b1", 1, "4"), "web"), prioritized("top", "c1", 20, "4"));
        ClusterSnapshot snapshot = ClusterSnapshot.of(NODES, pods, Map.of());
        JsonNode preemptor = prioritized("new", "", 10, "2");
        assertThat(Preemption.find(preemptor, NODES, snapshot).node().path("metadata").path("name").asText()).isEqualTo("a1");
        Preemption.Candidate guarded = Preemption.find(preemptor, NODES, snapshot, List.of(budget("db", 0)));
        assertThat(guarded.node().path("metadata").path("name").asText()).isEqualTo("b1");
        assertThat(guarded.budgetViolations()).isZero();
        // a budget with room, or one that already counts the pod as disrupted, is no obstacle
        assertThat(Preemption.find(preemptor, NODES, snapshot, List.of(budget("db", 1))).node().path("metadata").path("name")
                .asText()).isEqualTo("a1");
        assertThat(Preemption.find(preemptor, NODES, snapshot, List.of(budget("db", 0, "db-0"))).node().path("metadata")
                .path("name").asText()).isEqualTo("a1");
        // when every node violates, the fewest violations win and they are counted
        Preemption.Candidate forced = Preemption.find(preemptor, NODES, snapshot, List.of(budget("db", 0), budget("web", 0)));
        assertThat(forced.budgetViolations()).isEqualTo(1);
    }

    @Test
    void preemptionReprievesBudgetViolatorsBeforeOthers() {
        // two pods fit-wise interchangeable; the one a budget protects is given back first
        List<JsonNode> pods = List.of(labelled(prioritized("free", "a1", 1, "2"), "web"), labelled(prioritized("kept", "a1", 1, "2"), "db"));
        ClusterSnapshot snapshot = ClusterSnapshot.of(NODES, pods, Map.of());
        Preemption.Candidate c = Preemption.onNode(prioritized("new", "", 10, "2"), NODES.get(0), snapshot, List.of(budget("db", 0)));
        assertThat(c.victims()).extracting(v -> v.path("metadata").path("name").asText()).containsExactly("free");
        assertThat(c.budgetViolations()).isZero();
    }

    @Test
    void aNominatedPodHoldsItsRoomAgainstLowerPriorityPodsOnly() {
        BoundPods cache = new BoundPods();
        JsonNode preemptor = prioritized("urgent", "", 10, "4");
        ((com.fasterxml.jackson.databind.node.ObjectNode) preemptor).putObject("status").put("nominatedNodeName", "a1");
        cache.observe(dev.kubetest.core.api.WatchEventType.MODIFIED, preemptor);
        JsonNode low = prioritized("low", "", 0, "1");
        JsonNode high = prioritized("high", "", 20, "1");
        ClusterSnapshot forLow = ClusterSnapshot.of(NODES, cache.withNominatedFor(low), Map.of());
        ClusterSnapshot forHigh = ClusterSnapshot.of(NODES, cache.withNominatedFor(high), Map.of());
        assertThat(SchedulingFilters.filter(low, NODES.get(0), forLow).reasons()).containsExactly("Insufficient cpu");
        assertThat(SchedulingFilters.filter(high, NODES.get(0), forHigh).fits()).isTrue();
        // the preemptor itself does not count against its own room, and once bound it is an ordinary pod
        assertThat(ClusterSnapshot.of(NODES, cache.withNominatedFor(preemptor), Map.of()).podsOn(NODES.get(0))).isEmpty();
        cache.observe(dev.kubetest.core.api.WatchEventType.MODIFIED, prioritized("urgent", "a1", 10, "4"));
        assertThat(cache.withNominatedFor(high)).hasSize(1);
    }
}
