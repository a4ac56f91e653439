package dev.kubetest.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kubetest.apiserver.support.Kubectl;
import dev.kubetest.apiserver.support.TestServer;
import dev.kubetest.core.KubeCluster;
import dev.kubetest.core.node.NodeConfig;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The scheduler's placement rules beyond fit: pod affinity and anti-affinity (required, preferred, symmetric),
 * topology spread constraints, preferred node affinity, host ports and scheduling gates, driven with manifests
 * through kubectl and observed with the fabric8 client.
 */
class SchedulingTest {
    private static final String ZONE = "topology.kubernetes.io/zone";

    /** Three nodes in zone a, one in zone b. */
    private static KubeCluster.Builder zonedCluster() {
        return KubeCluster.builder()
                .node(NodeConfig.named("a1").withLabel(ZONE, "a"))
                .node(NodeConfig.named("a2").withLabel(ZONE, "a"))
                .node(NodeConfig.named("a3").withLabel(ZONE, "a"))
                .node(NodeConfig.named("b1").withLabel(ZONE, "b"));
    }

    private static String pod(String name, String labels, String specExtra) {
        return "apiVersion: v1\nkind: Pod\nmetadata:\n  name: " + name + "\n  labels: {" + labels + "}\nspec:\n"
                + "  containers:\n  - name: main\n    image: nginx:1.27\n" + specExtra + "---\n";
    }

    private static void apply(TestServer server, String manifests) {
        server.kubectl().runWithInput(manifests, "apply", "-f", "-").ok();
    }

    private static String nodeOf(KubernetesClient client, String name) {
        Pod p = client.pods().inNamespace("default").withName(name).get();
        return p == null ? null : p.getSpec().getNodeName();
    }

    private static PodCondition scheduled(KubernetesClient client, String name) {
        Pod p = client.pods().inNamespace("default").withName(name).get();
        if (p == null || p.getStatus() == null || p.getStatus().getConditions() == null) {
            return null;
        }
        return p.getStatus().getConditions().stream().filter(c -> c.getType().equals("PodScheduled")).findFirst().orElse(null);
    }

    private static void awaitScheduled(KubernetesClient client, String... names) {
        await().atMost(Duration.ofSeconds(30)).until(() -> List.of(names).stream().allMatch(n -> nodeOf(client, n) != null));
    }

    private static void awaitUnschedulable(KubernetesClient client, String name, String message) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            PodCondition c = scheduled(client, name);
            assertThat(c).isNotNull();
            assertThat(c.getReason()).isEqualTo("Unschedulable");
            assertThat(c.getMessage()).isEqualTo(message);
        });
    }

    private static final String ANTI_AFFINITY_WEB = """
              affinity:
                podAntiAffinity:
                  requiredDuringSchedulingIgnoredDuringExecution:
                  - labelSelector: {matchLabels: {app: web}}
                    topologyKey: kubernetes.io/hostname
            """;

    @Test
    void requiredAntiAffinityPutsOneReplicaPerNodeAndLeavesTheRestPending() {
        Kubectl.assumePresent();
        try (TestServer server = new TestServer(zonedCluster())) {
            KubernetesClient client = server.fabric8();
            StringBuilder manifests = new StringBuilder();
            for (int i = 1; i <= 5; i++) {
                manifests.append(pod("web-" + i, "app: web", ANTI_AFFINITY_WEB));
            }
            apply(server, manifests.toString());
            awaitScheduled(client, "web-1", "web-2", "web-3", "web-4");
            assertThat(List.of("web-1", "web-2", "web-3", "web-4")).extracting(n -> nodeOf(client, n))
                    .containsExactlyInAnyOrder("a1", "a2", "a3", "b1");
            awaitUnschedulable(client, "web-5", "0/4 nodes are available: 4 node(s) didn't match pod anti-affinity rules. "
                    + "preemption: 0/4 nodes are available: 4 No preemption victims found for incoming pod.");
            assertThat(server.kubectl().run("get", "pod", "web-5").ok().out()).containsPattern("web-5\\s+0/1\\s+Pending");

            // a replica going away frees its node for the pending one
            String freed = nodeOf(client, "web-2");
            client.pods().inNamespace("default").withName("web-2").withGracePeriod(0).delete();
            await().atMost(Duration.ofSeconds(30)).until(() -> freed.equals(nodeOf(client, "web-5")));
        }
    }

    @Test
    void affinityFollowsPeersAndAntiAffinityIsSymmetric() {
        Kubectl.assumePresent();
        try (TestServer server = new TestServer(zonedCluster())) {
            KubernetesClient client = server.fabric8();
            apply(server, pod("cache", "app: cache", "  nodeSelector: {kubernetes.io/hostname: a2}\n"));
            awaitScheduled(client, "cache");
            apply(server, pod("web", "app: web", """
                      affinity:
                        podAffinity:
                          requiredDuringSchedulingIgnoredDuringExecution:
                          - labelSelector: {matchLabels: {app: cache}}
                            topologyKey: kubernetes.io/hostname
                    """) + pod("orphan", "app: orphan", """
                      affinity:
                        podAffinity:
                          requiredDuringSchedulingIgnoredDuringExecution:
                          - labelSelector: {matchLabels: {app: missing}}
                            topologyKey: kubernetes.io/hostname
                    """) + pod("first", "app: group", """
                      affinity:
                        podAffinity:
                          requiredDuringSchedulingIgnoredDuringExecution:
                          - labelSelector: {matchLabels: {app: group}}
                            topologyKey: kubernetes.io/hostname
                    """));
            awaitScheduled(client, "web", "first");
            assertThat(nodeOf(client, "web")).isEqualTo("a2");
            awaitUnschedulable(client, "orphan", "0/4 nodes are available: 4 node(s) didn't match pod affinity rules. "
                    + "preemption: 0/4 nodes are available: 4 Preemption is not helpful for scheduling.");

            // a pod in zone b that repels "noisy" pods from its whole zone
            apply(server, pod("quiet", "app: quiet", """
                      nodeSelector: {topology.kubernetes.io/zone: b}
                      affinity:
                        podAntiAffinity:
                          requiredDuringSchedulingIgnoredDuringExecution:
                          - labelSelector: {matchLabels: {noise: loud}}
                            topologyKey: topology.kubernetes.io/zone
                    """));
            awaitScheduled(client, "quiet");
            apply(server, pod("noisy", "noise: loud", "  nodeSelector: {topology.kubernetes.io/zone: b}\n"));
            awaitUnschedulable(client, "noisy", "0/4 nodes are available: 1 node(s) didn't satisfy existing pods "
                    + "anti-affinity rules, 3 node(s) didn't match Pod's node affinity/selector. preemption: 0/4 nodes are "
                    + "available: 1 No preemption victims found for incoming pod, 3 Preemption is not helpful for scheduling.");
        }
    }

    private static Map<String, Long> podsPerZone(KubernetesClient client, String prefix) {
        List<String> names = List.of(prefix + "-1", prefix + "-2", prefix + "-3", prefix + "-4");
        return new TreeMap<>(names.stream().collect(Collectors.groupingBy(n -> nodeOf(client, n).substring(0, 1), Collectors.counting())));
    }

    @Test
    void topologySpreadBalancesZonesThatLeastAllocatedAloneWouldNot() {
        Kubectl.assumePresent();
        try (TestServer server = new TestServer(zonedCluster())) {
            KubernetesClient client = server.fabric8();
            // zone b's only node is busy, so scoring alone sends new pods to zone a
            apply(server, pod("heavy", "app: heavy", "  nodeSelector: {kubernetes.io/hostname: b1}\n")
                    .replace("image: nginx:1.27\n", "image: nginx:1.27\n    resources: {requests: {cpu: '3'}}\n"));
            awaitScheduled(client, "heavy");
            StringBuilder plain = new StringBuilder();
            StringBuilder spread = new StringBuilder();
            for (int i = 1; i <= 4; i++) {
                plain.append(pod("plain-" + i, "app: plain", ""));
                spread.append(pod("spread-" + i, "app: spread", """
                          topologySpreadConstraints:
                          - maxSkew: 1
                            topologyKey: topology.kubernetes.io/zone
                            whenUnsatisfiable: DoNotSchedule
                            labelSelector: {matchLabels: {app: spread}}
                        """));
            }
            apply(server, plain.toString());
            awaitScheduled(client, "plain-1", "plain-2", "plain-3", "plain-4");
            assertThat(podsPerZone(client, "plain")).isEqualTo(Map.of("a", 4L));
            apply(server, spread.toString());
            awaitScheduled(client, "spread-1", "spread-2", "spread-3", "spread-4");
            assertThat(podsPerZone(client, "spread")).isEqualTo(Map.of("a", 2L, "b", 2L));

            apply(server, pod("nowhere", "app: nowhere", """
                      topologySpreadConstraints:
                      - maxSkew: 1
                        topologyKey: example.com/rack
                        whenUnsatisfiable: DoNotSchedule
                        labelSelector: {matchLabels: {app: nowhere}}
                    """));
            awaitUnschedulable(client, "nowhere", "0/4 nodes are available: 4 node(s) didn't match pod topology spread "
                    + "constraints (missing required label). preemption: 0/4 nodes are available: 4 Preemption is not "
                    + "helpful for scheduling.");
        }
    }

    @Test
    void preferredNodeAffinityAndPreferNoScheduleTaintsSteerPlacement() {
        Kubectl.assumePresent();
        try (TestServer server = new TestServer(KubeCluster.builder()
                .node(NodeConfig.named("n1").withLabel("disk", "hdd"))
                .node(NodeConfig.named("n2").withLabel("disk", "ssd").withTaint("spot=true:PreferNoSchedule"))
                .node(NodeConfig.named("n3").withLabel("disk", "ssd")))) {
            KubernetesClient client = server.fabric8();
            String prefersSsd = """
                      affinity:
                        nodeAffinity:
                          preferredDuringSchedulingIgnoredDuringExecution:
                          - weight: 80
                            preference:
                              matchExpressions: [{key: disk, operator: In, values: [ssd]}]
                    """;
            apply(server, pod("db-1", "app: db", prefersSsd));
            awaitScheduled(client, "db-1");
            assertThat(nodeOf(client, "db-1")).isEqualTo("n3");
            apply(server, pod("db-2", "app: db", prefersSsd + """
                      tolerations: [{key: spot, operator: Exists}]
                    """));
            awaitScheduled(client, "db-2");
            assertThat(nodeOf(client, "db-2")).isEqualTo("n2");
        }
    }

    @Test
    void hostPortsAreExclusivePerNode() {
        Kubectl.assumePresent();
        try (TestServer server = new TestServer(KubeCluster.builder().nodes(1))) {
            KubernetesClient client = server.fabric8();
            String hostPort = "    ports: [{containerPort: 80, hostPort: 8080}]\n";
            apply(server, pod("proxy-1", "app: proxy", "") .replace("image: nginx:1.27\n", "image: nginx:1.27\n" + hostPort)
                    + pod("proxy-2", "app: proxy", "").replace("image: nginx:1.27\n", "image: nginx:1.27\n" + hostPort));
            await().atMost(Duration.ofSeconds(30)).until(() -> nodeOf(client, "proxy-1") != null || nodeOf(client, "proxy-2") != null);
            String pending = nodeOf(client, "proxy-1") == null ? "proxy-1" : "proxy-2";
            awaitUnschedulable(client, pending, "0/1 nodes are available: 1 node(s) didn't have free ports for the "
                    + "requested pod ports. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.");
        }
    }

    @Test
    void schedulingGatesHoldAPodUntilTheLastIsRemoved() {
        Kubectl.assumePresent();
        try (TestServer server = new TestServer(KubeCluster.builder().nodes(1))) {
            KubernetesClient client = server.fabric8();
            apply(server, pod("gated", "app: gated", "  schedulingGates: [{name: example.com/quota}]\n"));
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                PodCondition c = scheduled(client, "gated");
                assertThat(c).isNotNull();
                assertThat(c.getStatus()).isEqualTo("False");
                assertThat(c.getReason()).isEqualTo("SchedulingGated");
                assertThat(c.getMessage()).isEqualTo("Scheduling is blocked due to non-empty scheduling gates");
            });
            assertThat(server.kubectl().run("get", "pod", "gated").ok().out()).containsPattern("gated\\s+0/1\\s+SchedulingGated");

            Kubectl.Result added = server.kubectl().run("patch", "pod", "gated", "--type=json",
                    "-p", "[{\"op\":\"add\",\"path\":\"/spec/schedulingGates/-\",\"value\":{\"name\":\"example.com/other\"}}]");
            assertThat(added.exitCode()).isNotZero();
            assertThat(added.err()).contains("spec.schedulingGates: Forbidden: only deletion is allowed, but found new scheduling gate 'example.com/other'");

            server.kubectl().run("patch", "pod", "gated", "--type=json", "-p", "[{\"op\":\"remove\",\"path\":\"/spec/schedulingGates\"}]").ok();
            await().atMost(Duration.ofSeconds(30)).until(() -> "Running".equals(
                    client.pods().inNamespace("default").withName("gated").get().getStatus().getPhase()));
            assertThat(scheduled(client, "gated").getStatus()).isEqualTo("True");
        }
    }

    @Test
    void addingASchedulingGateIsRejectedForTheJavaClientsToo() {
        try (TestServer server = new TestServer(KubeCluster.builder().nodes(1))) {
            KubernetesClient client = server.fabric8();
            client.pods().inNamespace("default").resource(new io.fabric8.kubernetes.api.model.PodBuilder()
                    .withNewMetadata().withName("p").endMetadata().withNewSpec().addNewSchedulingGate("a").addNewContainer()
                    .withName("c").withImage("nginx").endContainer().endSpec().build()).create();
            try {
                client.pods().inNamespace("default").withName("p").edit(p -> {
                    p.getSpec().getSchedulingGates().add(new io.fabric8.kubernetes.api.model.PodSchedulingGate("b"));
                    return p;
                });
                throw new AssertionError("adding a gate was accepted");
            } catch (KubernetesClientException e) {
                assertThat(e.getCode()).isEqualTo(422);
                assertThat(e.getStatus().getDetails().getCauses()).anySatisfy(c ->
                        assertThat(c.getField()).isEqualTo("spec.schedulingGates"));
            }
        }
    }
}
