package dev.kubetest.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kubetest.apiserver.support.Kubectl;
import dev.kubetest.apiserver.support.TestServer;
import dev.kubetest.core.KubeCluster;
import dev.kubetest.core.node.NodeConfig;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** DaemonSets follow the nodes: one pod per eligible node, as nodes join, leave and change. */
class DaemonSetTest {

    static DaemonSet daemonSet(String name, String image) {
        return new DaemonSetBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withNewSelector().withMatchLabels(Map.of("app", name)).endSelector()
                .withNewTemplate().withNewMetadata().withLabels(Map.of("app", name)).endMetadata()
                .withNewSpec().addNewContainer().withName("agent").withImage(image).withCommand("sh", "-c", "sleep 3600")
                .endContainer().endSpec().endTemplate().endSpec().build();
    }

    static DaemonSet get(KubernetesClient client, String name) {
        return client.apps().daemonSets().inNamespace("default").withName(name).get();
    }

    static List<Pod> live(KubernetesClient client, String app) {
        return client.pods().inNamespace("default").withLabel("app", app).list().getItems().stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null).toList();
    }

    static List<String> nodesOf(KubernetesClient client, String app) {
        return live(client, app).stream().map(p -> p.getSpec().getNodeName()).toList();
    }

    @Test
    void oneAgentPerEligibleNodeAsNodesJoinAndLeave() {
        Kubectl.assumePresent();
        try (TestServer server = new TestServer(KubeCluster.builder().timeMode(KubeCluster.TimeMode.AUTO)
                .node(NodeConfig.named("node-a")).node(NodeConfig.named("node-b"))
                .node(NodeConfig.named("infra").withTaint("dedicated=infra:NoSchedule")))) {
            KubernetesClient client = server.fabric8();
            client.apps().daemonSets().inNamespace("default").resource(daemonSet("agent", "busybox:1.36")).create();
            assertThat(server.kubectl().run("rollout", "status", "ds/agent", "--timeout=30s").ok().out())
                    .contains("daemon set \"agent\" successfully rolled out");
            assertThat(nodesOf(client, "agent")).containsExactlyInAnyOrder("node-a", "node-b");
            DaemonSet ds = get(client, "agent");
            assertThat(ds.getStatus().getDesiredNumberScheduled()).isEqualTo(2);
            assertThat(ds.getStatus().getCurrentNumberScheduled()).isEqualTo(2);
            assertThat(ds.getStatus().getNumberReady()).isEqualTo(2);
            assertThat(ds.getStatus().getNumberAvailable()).isEqualTo(2);
            assertThat(ds.getStatus().getUpdatedNumberScheduled()).isEqualTo(2);
            Pod one = live(client, "agent").get(0);
            assertThat(one.getSpec().getTolerations()).anySatisfy(t -> {
                assertThat(t.getKey()).isEqualTo("node.kubernetes.io/unreachable");
                assertThat(t.getEffect()).isEqualTo("NoExecute");
            });
            assertThat(one.getSpec().getAffinity().getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution()
                    .getNodeSelectorTerms().get(0).getMatchFields().get(0).getValues()).containsExactly(one.getSpec().getNodeName());
            assertThat(one.getMetadata().getLabels()).containsKeys("controller-revision-hash", "pod-template-generation");

            server.cluster().addNode(NodeConfig.named("node-c"));
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(nodesOf(client, "agent")).containsExactlyInAnyOrder("node-a", "node-b", "node-c"));

            server.cluster().removeNode("node-a");
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                assertThat(nodesOf(client, "agent")).containsExactlyInAnyOrder("node-b", "node-c");
                assertThat(get(client, "agent").getStatus().getDesiredNumberScheduled()).isEqualTo(2);
            });

            // a node selector narrows the set; a label brings a node into it
            client.apps().daemonSets().inNamespace("default").withName("agent").edit(d -> new DaemonSetBuilder(d).editSpec()
                    .editTemplate().editSpec().withNodeSelector(Map.of("agents", "yes")).endSpec().endTemplate().endSpec().build());
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(nodesOf(client, "agent")).isEmpty());
            client.nodes().withName("node-b").edit(n -> {
                n.getMetadata().getLabels().put("agents", "yes");
                return n;
            });
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(nodesOf(client, "agent")).containsExactly("node-b"));
        }
    }

    @Test
    void aRollingUpdateReplacesOneNodeAtATime() {
        Kubectl.assumePresent();
        try (TestServer server = new TestServer(KubeCluster.builder().timeMode(KubeCluster.TimeMode.AUTO).nodes(3))) {
            KubernetesClient client = server.fabric8();
            client.apps().daemonSets().inNamespace("default").resource(daemonSet("agent", "busybox:1.36")).create();
            Kubectl kubectl = server.kubectl();
            kubectl.run("rollout", "status", "ds/agent", "--timeout=30s").ok();
            List<Integer> unavailable = new java.util.concurrent.CopyOnWriteArrayList<>();
            try (var watch = client.apps().daemonSets().inNamespace("default").withName("agent").watch(
                    new io.fabric8.kubernetes.client.Watcher<DaemonSet>() {
                        @Override
                        public void eventReceived(Action action, DaemonSet d) {
                            Integer u = d.getStatus() == null ? null : d.getStatus().getNumberUnavailable();
                            unavailable.add(u == null ? 0 : u);
                        }

                        @Override
                        public void onClose(io.fabric8.kubernetes.client.WatcherException cause) {
                        }
                    })) {
                kubectl.run("set", "image", "ds/agent", "agent=busybox:1.37").ok();
                assertThat(kubectl.run("rollout", "status", "ds/agent", "--timeout=60s").ok().out())
                        .contains("daemon set \"agent\" successfully rolled out");
            }
            assertThat(live(client, "agent")).hasSize(3).allSatisfy(p ->
                    assertThat(p.getSpec().getContainers().get(0).getImage()).isEqualTo("busybox:1.37"));
            // maxUnavailable 1: never more than one node without an available agent
            assertThat(unavailable).allMatch(u -> u <= 1);
            assertThat(kubectl.run("rollout", "history", "ds/agent").ok().out()).containsPattern("(?m)^2\\s");
        }
    }

    @Test
    void withMaxSurgeTheNewAgentStartsBesideTheOldOneBeforeItGoes() {
        Kubectl.assumePresent();
        try (TestServer server = new TestServer(KubeCluster.builder().timeMode(KubeCluster.TimeMode.AUTO).nodes(2))) {
            KubernetesClient client = server.fabric8();
            DaemonSet ds = daemonSet("agent", "busybox:1.36");
            ds.getSpec().setUpdateStrategy(new io.fabric8.kubernetes.api.model.apps.DaemonSetUpdateStrategyBuilder()
                    .withType("RollingUpdate").withNewRollingUpdate().withMaxSurge(new IntOrString(1))
                    .withMaxUnavailable(new IntOrString(0)).endRollingUpdate().build());
            client.apps().daemonSets().inNamespace("default").resource(ds).create();
            Kubectl kubectl = server.kubectl();
            kubectl.run("rollout", "status", "ds/agent", "--timeout=30s").ok();
            Map<String, Pod> seen = new ConcurrentHashMap<>();
            var before = client.pods().inNamespace("default").withLabel("app", "agent").list();
            before.getItems().forEach(p -> seen.put(p.getMetadata().getName(), p));
            List<Integer> mostOnANode = new CopyOnWriteArrayList<>();
            List<Integer> nodesWithoutReadyAgent = new CopyOnWriteArrayList<>();
            try (var watch = client.pods().inNamespace("default").withLabel("app", "agent")
                    .withResourceVersion(before.getMetadata().getResourceVersion()).watch(new Watcher<Pod>() {
                        @Override
                        public void eventReceived(Action action, Pod p) {
                            if (action == Action.DELETED) {
                                seen.remove(p.getMetadata().getName());
                            } else {
                                seen.put(p.getMetadata().getName(), p);
                            }
                            Map<String, Long> perNode = seen.values().stream().collect(Collectors.groupingBy(
                                    x -> String.valueOf(x.getSpec().getNodeName()), Collectors.counting()));
                            mostOnANode.add(perNode.values().stream().mapToInt(Long::intValue).max().orElse(0));
                            long readyNodes = seen.values().stream().filter(DaemonSetTest::ready)
                                    .map(x -> x.getSpec().getNodeName()).distinct().count();
                            nodesWithoutReadyAgent.add(2 - (int) readyNodes);
                        }

                        @Override
                        public void onClose(WatcherException cause) {
                        }
                    })) {
                kubectl.run("set", "image", "ds/agent", "agent=busybox:1.37").ok();
                assertThat(kubectl.run("rollout", "status", "ds/agent", "--timeout=60s").ok().out())
                        .contains("daemon set \"agent\" successfully rolled out");
            }
            assertThat(live(client, "agent")).hasSize(2).allSatisfy(p ->
                    assertThat(p.getSpec().getContainers().get(0).getImage()).isEqualTo("busybox:1.37"));
            // surge: two agents on one node for a while, and no node ever without a ready one (maxUnavailable 0)
            assertThat(mostOnANode).contains(2).allMatch(n -> n <= 2);
            assertThat(nodesWithoutReadyAgent).allMatch(n -> n == 0);
        }
    }

    @Test
    void onDeleteLeavesOldAgentsUntilTheUserDeletesThem() {
        try (TestServer server = new TestServer(KubeCluster.builder().timeMode(KubeCluster.TimeMode.AUTO).nodes(2))) {
            KubernetesClient client = server.fabric8();
            DaemonSet ds = daemonSet("agent", "busybox:1.36");
            ds.getSpec().setUpdateStrategy(new io.fabric8.kubernetes.api.model.apps.DaemonSetUpdateStrategyBuilder()
                    .withType("OnDelete").build());
            client.apps().daemonSets().inNamespace("default").resource(ds).create();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(get(client, "agent").getStatus().getNumberAvailable()).isEqualTo(2));
            client.apps().daemonSets().inNamespace("default").withName("agent").edit(d -> new DaemonSetBuilder(d).editSpec()
                    .editTemplate().editSpec().editContainer(0).withImage("busybox:1.37").endContainer().endSpec()
                    .endTemplate().endSpec().build());
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                DaemonSet now = get(client, "agent");
                assertThat(now.getStatus().getObservedGeneration()).isEqualTo(2L);
                assertThat(now.getStatus().getUpdatedNumberScheduled()).isZero();
            });
            assertThat(live(client, "agent")).allSatisfy(p ->
                    assertThat(p.getSpec().getContainers().get(0).getImage()).isEqualTo("busybox:1.36"));

            Pod old = live(client, "agent").get(0);
            client.pods().inNamespace("default").withName(old.getMetadata().getName()).delete();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                assertThat(live(client, "agent")).hasSize(2)
                        .filteredOn(p -> p.getSpec().getNodeName().equals(old.getSpec().getNodeName()))
                        .singleElement().satisfies(p -> {
                            assertThat(p.getSpec().getContainers().get(0).getImage()).isEqualTo("busybox:1.37");
                            assertThat(p.getMetadata().getLabels()).containsEntry("pod-template-generation", "2");
                        });
                assertThat(get(client, "agent").getStatus().getUpdatedNumberScheduled()).isEqualTo(1);
            });
            assertThat(live(client, "agent")).filteredOn(p -> !p.getSpec().getNodeName().equals(old.getSpec().getNodeName()))
                    .singleElement().satisfies(p -> assertThat(p.getSpec().getContainers().get(0).getImage()).isEqualTo("busybox:1.36"));
        }
    }

    @Test
    void anAgentTheKubeletKeepsFailingIsReplacedWithAGrowingBackoff() {
        try (TestServer server = new TestServer(KubeCluster.builder().timeMode(KubeCluster.TimeMode.AUTO).nodes(1))) {
            KubernetesClient client = server.fabric8();
            DaemonSet ds = daemonSet("doomed", "busybox:1.36");
            // the kubelet fails each pod one second after it starts (DeadlineExceeded)
            ds.getSpec().getTemplate().getSpec().setActiveDeadlineSeconds(1L);
            client.apps().daemonSets().inNamespace("default").resource(ds).create();
            java.util.function.Supplier<List<java.time.Instant>> kills = () -> client.v1().events().inNamespace("default")
                    .withField("involvedObject.name", "doomed").list().getItems().stream()
                    .filter(e -> "FailedDaemonPod".equals(e.getReason()))
                    .map(e -> java.time.Instant.parse(e.getFirstTimestamp())).sorted().toList();
            await().atMost(Duration.ofSeconds(60)).until(() -> kills.get().size() >= 6);
            List<java.time.Instant> first = kills.get().subList(0, 6);
            // deletions about 1, 2, 4, 8 and 16 s apart: without the back-off they would come every second
            List<Long> gaps = new java.util.ArrayList<>();
            for (int i = 1; i < first.size(); i++) {
                gaps.add(Duration.between(first.get(i - 1), first.get(i)).toSeconds());
            }
            assertThat(gaps.get(gaps.size() - 1)).as("gaps %s", gaps).isGreaterThanOrEqualTo(8 * Math.max(1, gaps.get(0)));
            assertThat(Duration.between(first.get(0), first.get(5))).as("gaps %s", gaps).isGreaterThanOrEqualTo(Duration.ofSeconds(25));
        }
    }

    private static boolean ready(Pod p) {
        return p.getMetadata().getDeletionTimestamp() == null && p.getStatus() != null && p.getStatus().getConditions()
                .stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }
}
