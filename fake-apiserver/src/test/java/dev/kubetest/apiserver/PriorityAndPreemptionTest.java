package dev.kubetest.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kubetest.apiserver.support.Kubectl;
import dev.kubetest.apiserver.support.TestServer;
import dev.kubetest.core.KubeCluster;
import dev.kubetest.core.node.NodeConfig;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** PriorityClasses resolved by admission, and the scheduler preempting lower-priority pods as upstream. */
class PriorityAndPreemptionTest {

    /** A cluster without CoreDNS, whose two pods would take 200m of the CPU these tests share out exactly. */
    private static KubeCluster.Builder lean() {
        return KubeCluster.builder().withoutController("coredns");
    }

    private static Pod pod(String name, String priorityClass, String cpu) {
        return new PodBuilder().withNewMetadata().withName(name).endMetadata().withNewSpec()
                .withPriorityClassName(priorityClass)
                .addNewContainer().withName("main").withImage("nginx:1.27").withNewResources()
                .addToRequests("cpu", new Quantity(cpu)).endResources().endContainer().endSpec().build();
    }

    private static Pod get(KubernetesClient client, String name) {
        return client.pods().inNamespace("default").withName(name).get();
    }

    private static List<String> events(KubernetesClient client, String pod) {
        return client.v1().events().inNamespace("default").withField("involvedObject.name", pod).list().getItems().stream()
                .map(e -> e.getReason() + ": " + e.getMessage()).toList();
    }

    private static final String CLASSES = """
            apiVersion: scheduling.k8s.io/v1
            kind: PriorityClass
            metadata: {name: high}
            value: 1000
            description: urgent work
            ---
            apiVersion: scheduling.k8s.io/v1
            kind: PriorityClass
            metadata: {name: polite}
            value: 1000
            preemptionPolicy: Never
            """;

    @Test
    void aHigherPriorityPodPreemptsExactlyOneLowerPriorityPod() {
        Kubectl.assumePresent();
        try (TestServer server = new TestServer(lean().node(NodeConfig.named("n1").withCpu("2")))) {
            KubernetesClient client = server.fabric8();
            server.kubectl().runWithInput(CLASSES, "apply", "-f", "-").ok();
            assertThat(server.kubectl().run("get", "priorityclasses").ok().out())
                    .containsPattern("NAME\\s+VALUE\\s+GLOBAL-DEFAULT\\s+AGE\\s+PREEMPTIONPOLICY")
                    .containsPattern("high\\s+1000\\s+false\\s+\\S+\\s+PreemptLowerPriority")
                    .containsPattern("polite\\s+1000\\s+false\\s+\\S+\\s+Never")
                    .containsPattern("system-node-critical\\s+2000001000\\s+false");

            client.pods().inNamespace("default").resource(pod("low-1", null, "900m")).create();
            client.pods().inNamespace("default").resource(pod("low-2", null, "900m")).create();
            await().atMost(Duration.ofSeconds(30)).until(() -> "Running".equals(get(client, "low-1").getStatus().getPhase())
                    && "Running".equals(get(client, "low-2").getStatus().getPhase()));
            assertThat(get(client, "low-1").getSpec().getPriority()).isZero();

            // a polite pod of the same priority waits instead of preempting
            client.pods().inNamespace("default").resource(pod("polite", "polite", "1")).create();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(events(client, "polite")).contains(
                    "FailedScheduling: 0/1 nodes are available: 1 Insufficient cpu. preemption: not eligible due to preemptionPolicy=Never."));
            assertThat(get(client, "polite").getSpec().getPreemptionPolicy()).isEqualTo("Never");
            client.pods().inNamespace("default").withName("polite").withGracePeriod(0).delete();
            await().atMost(Duration.ofSeconds(30)).until(() -> get(client, "polite") == null);

            client.pods().inNamespace("default").resource(pod("urgent", "high", "1")).create();
            Pod urgent = get(client, "urgent");
            assertThat(urgent.getSpec().getPriority()).isEqualTo(1000);
            assertThat(urgent.getSpec().getPreemptionPolicy()).isEqualTo("PreemptLowerPriority");
            await().atMost(Duration.ofSeconds(60)).until(() -> "Running".equals(get(client, "urgent").getStatus().getPhase()));
            assertThat(get(client, "urgent").getStatus().getNominatedNodeName()).isEqualTo("n1");
            List<String> survivors = client.pods().inNamespace("default").list().getItems().stream()
                    .map(p -> p.getMetadata().getName()).filter(n -> n.startsWith("low-")).toList();
            assertThat(survivors).hasSize(1);
            String victim = survivors.get(0).equals("low-1") ? "low-2" : "low-1";
            assertThat(events(client, victim)).contains("Preempted: Preempted by pod " + urgent.getMetadata().getUid() + " on node n1");
            assertThat(events(client, "urgent")).contains("FailedScheduling: 0/1 nodes are available: 1 Insufficient cpu.",
                    "Scheduled: Successfully assigned default/urgent to n1");
        }
    }

    @Test
    void theVictimIsMarkedWithADisruptionTargetCondition() {
        try (TestServer server = new TestServer(lean().node(NodeConfig.named("n1").withCpu("1")))) {
            KubernetesClient client = server.fabric8();
            client.resource(new io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClassBuilder().withNewMetadata()
                    .withName("high").endMetadata().withValue(10).build()).create();
            // a finalizer keeps the victim visible after its deletion, so its marked status can be read; a preStop
            // hook keeps it terminating for a while (a pod whose containers stopped is terminal, and frees its room)
            Pod slow = new PodBuilder(pod("slow", null, "1")).editMetadata()
                    .addToFinalizers("example.com/hold").endMetadata().editSpec().editContainer(0).withNewLifecycle()
                    .withNewPreStop().withNewSleep(8L).endPreStop().endLifecycle().endContainer().endSpec().build();
            client.pods().inNamespace("default").resource(slow).create();
            await().atMost(Duration.ofSeconds(30)).until(() -> "Running".equals(get(client, "slow").getStatus().getPhase()));
            client.pods().inNamespace("default").resource(pod("urgent", "high", "1")).create();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                Pod victim = get(client, "slow");
                assertThat(victim).isNotNull();
                assertThat(victim.getMetadata().getDeletionTimestamp()).isNotNull();
                assertThat(victim.getStatus().getConditions()).anySatisfy(c -> {
                    assertThat(c.getType()).isEqualTo("DisruptionTarget");
                    assertThat(c.getStatus()).isEqualTo("True");
                    assertThat(c.getReason()).isEqualTo("PreemptionByScheduler");
                    assertThat(c.getMessage()).isEqualTo("default-scheduler: preempting to accommodate a higher priority pod");
                });
            });
            // while the victim terminates, the preemptor waits on its nominated node and does not preempt again
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(events(client, "urgent")).anyMatch(e ->
                    e.endsWith("preemption: not eligible due to a terminating pod on the nominated node.")));
            // a lower-priority pod arriving meanwhile may not take the room the preemptor was promised
            client.pods().inNamespace("default").resource(pod("filler", null, "100m")).create();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(events(client, "filler"))
                    .anyMatch(e -> e.startsWith("FailedScheduling:")));
            client.pods().inNamespace("default").withName("slow").edit(p -> {
                p.getMetadata().setFinalizers(List.of());
                return p;
            });
            await().atMost(Duration.ofSeconds(30)).until(() -> "Running".equals(get(client, "urgent").getStatus().getPhase()));
            assertThat(get(client, "filler").getSpec().getNodeName()).isNull();
            assertThat(events(client, "filler")).noneMatch(e -> e.startsWith("Scheduled:"));
        }
    }

    @Test
    void admissionResolvesClassesAndRejectsWhatUpstreamRejects() {
        Kubectl.assumePresent();
        try (TestServer server = new TestServer(lean().nodes(1))) {
            KubernetesClient client = server.fabric8();
            Kubectl.Result unknown = server.kubectl().runWithInput("""
                    apiVersion: v1
                    kind: Pod
                    metadata: {name: lost}
                    spec:
                      priorityClassName: nope
                      containers: [{name: c, image: nginx}]
                    """, "apply", "-f", "-");
            assertThat(unknown.exitCode()).isNotZero();
            assertThat(unknown.err()).contains("pods \"lost\" is forbidden: no PriorityClass with name nope was found");

            try {
                client.pods().inNamespace("default").resource(new PodBuilder(pod("forced", "system-cluster-critical", "10m"))
                        .editSpec().withPriority(7).endSpec().build()).create();
                throw new AssertionError("a hand-set priority was accepted");
            } catch (KubernetesClientException e) {
                assertThat(e.getCode()).isEqualTo(403);
                assertThat(e.getMessage()).contains("the integer value of priority (7) must not be provided in pod spec; "
                        + "priority admission controller computed 2000000000 from the given PriorityClass name");
            }

            Kubectl.Result reserved = server.kubectl().runWithInput("""
                    apiVersion: scheduling.k8s.io/v1
                    kind: PriorityClass
                    metadata: {name: system-mine}
                    value: 2000000000
                    """, "create", "-f", "-");
            assertThat(reserved.exitCode()).isNotZero();
            assertThat(reserved.err()).contains("metadata.name: Forbidden: priority class names with 'system-' prefix are reserved")
                    .contains("value: Forbidden: maximum allowed value of a user defined priority is 1000000000");

            server.kubectl().runWithInput("""
                    apiVersion: scheduling.k8s.io/v1
                    kind: PriorityClass
                    metadata: {name: normal}
                    value: 100
                    globalDefault: true
                    """, "create", "-f", "-").ok();
            Kubectl.Result second = server.kubectl().runWithInput("""
                    apiVersion: scheduling.k8s.io/v1
                    kind: PriorityClass
                    metadata: {name: other}
                    value: 5
                    globalDefault: true
                    """, "create", "-f", "-");
            assertThat(second.exitCode()).isNotZero();
            assertThat(second.err()).contains("PriorityClass normal is already marked as default. Only one default can exist");

            Pod plain = client.pods().inNamespace("default").resource(pod("plain", null, "10m")).create();
            assertThat(plain.getSpec().getPriorityClassName()).isEqualTo("normal");
            assertThat(plain.getSpec().getPriority()).isEqualTo(100);
        }
    }

    @Test
    void theSchedulingQueueTakesHigherPrioritiesFirst() {
        Kubectl.assumePresent();
        try (TestServer server = new TestServer(lean().node(NodeConfig.named("n1").withCpu("2")))) {
            KubernetesClient client = server.fabric8();
            server.kubectl().runWithInput(CLASSES, "apply", "-f", "-").ok();
            server.kubectl().run("cordon", "n1").ok();
            // created first, waiting longest; each fits alone but no two together; none can preempt while all wait
            for (int i = 1; i <= 6; i++) {
                client.pods().inNamespace("default").resource(pod("early-low-" + i, null, "1500m")).create();
            }
            // (named so that it comes last in the scheduler's set of pending pods: only the priority puts it first)
            client.pods().inNamespace("default").resource(pod("polite-vip", "polite", "1500m")).create();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(events(client, "polite-vip"))
                    .anyMatch(e -> e.startsWith("FailedScheduling: 0/1 nodes are available: 1 node(s) were unschedulable.")));
            // as in kube-scheduler, a pod that just failed waits out its back-off (1 s) before a cluster event can
            // send it back to the queue: uncordon once every pod's has passed (timestamps have whole seconds)
            java.time.Instant failed = java.time.Instant.parse(client.v1().events().inNamespace("default")
                    .withField("involvedObject.name", "polite-vip").list().getItems().get(0).getLastTimestamp());
            await().atMost(Duration.ofSeconds(10)).until(() -> server.cluster().clock().now().isAfter(failed.plusSeconds(2)));
            server.kubectl().run("uncordon", "n1").ok();
            await().atMost(Duration.ofSeconds(30)).until(() -> get(client, "polite-vip").getSpec().getNodeName() != null);
            for (int i = 1; i <= 6; i++) {
                assertThat(get(client, "early-low-" + i).getSpec().getNodeName()).isNull();
            }
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(events(client, "early-low-1")).contains(
                    "FailedScheduling: 0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: "
                            + "1 No preemption victims found for incoming pod."));
        }
    }

    private static Pod placed(String name, String node, String app, String cpu) {
        return new PodBuilder().withNewMetadata().withName(name).addToLabels("app", app).endMetadata().withNewSpec()
                .addToNodeSelector("kubernetes.io/hostname", node)
                .addNewContainer().withName("main").withImage("nginx:1.27").withNewResources()
                .addToRequests("cpu", new Quantity(cpu)).endResources().endContainer().endSpec().build();
    }

    @Test
    void disruptionBudgetsAreComputedAndHonouredByPreemption() {
        Kubectl.assumePresent();
        try (TestServer server = new TestServer(lean().timeMode(KubeCluster.TimeMode.AUTO)
                .node(NodeConfig.named("n1").withCpu("1")).node(NodeConfig.named("n2").withCpu("1")))) {
            KubernetesClient client = server.fabric8();
            Kubectl k = server.kubectl();
            k.runWithInput(CLASSES, "apply", "-f", "-").ok();
            client.pods().inNamespace("default").resource(placed("db-0", "n1", "db", "900m")).create();
            client.pods().inNamespace("default").resource(placed("web-0", "n2", "web", "900m")).create();
            await().atMost(Duration.ofSeconds(30)).until(() -> "Running".equals(get(client, "db-0").getStatus().getPhase())
                    && "Running".equals(get(client, "web-0").getStatus().getPhase()));
            k.run("create", "poddisruptionbudget", "db", "--selector=app=db", "--min-available=1").ok();
            k.run("create", "poddisruptionbudget", "web", "--selector=app=web", "--min-available=0").ok();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(k.run("get", "pdb").ok().out())
                    .containsPattern("NAME\\s+MIN AVAILABLE\\s+MAX UNAVAILABLE\\s+ALLOWED DISRUPTIONS\\s+AGE")
                    .containsPattern("db\\s+1\\s+N/A\\s+0\\s+")
                    .containsPattern("web\\s+0\\s+N/A\\s+1\\s+"));
            var db = client.policy().v1().podDisruptionBudget().inNamespace("default").withName("db").get().getStatus();
            assertThat(db.getCurrentHealthy()).isEqualTo(1);
            assertThat(db.getDesiredHealthy()).isEqualTo(1);
            assertThat(db.getExpectedPods()).isEqualTo(1);
            assertThat(db.getConditions()).anySatisfy(c -> {
                assertThat(c.getType()).isEqualTo("DisruptionAllowed");
                assertThat(c.getStatus()).isEqualTo("False");
                assertThat(c.getReason()).isEqualTo("InsufficientPods");
            });
            // preemption: n1 comes first by name, but evicting db-0 would break its budget, so web-0 on n2 goes
            client.pods().inNamespace("default").resource(pod("urgent", "high", "1")).create();
            await().atMost(Duration.ofSeconds(30)).until(() -> "n2".equals(get(client, "urgent").getSpec().getNodeName()));
            assertThat(get(client, "db-0")).isNotNull();
            assertThat(get(client, "db-0").getMetadata().getDeletionTimestamp()).isNull();
        }
    }
}
