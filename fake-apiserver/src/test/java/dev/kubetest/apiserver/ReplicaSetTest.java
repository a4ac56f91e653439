package dev.kubetest.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kubetest.apiserver.support.Kubectl;
import dev.kubetest.apiserver.support.TestServer;
import dev.kubetest.core.KubeCluster;
import dev.kubetest.core.clock.ManualClock;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ReplicationControllerBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** ReplicaSets and ReplicationControllers keep their replicas, as kube-controller-manager does. */
class ReplicaSetTest {

    static ReplicaSet replicaSet(String name, int replicas) {
        return new ReplicaSetBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withReplicas(replicas)
                .withNewSelector().withMatchLabels(Map.of("app", name)).endSelector()
                .withNewTemplate().withNewMetadata().withLabels(Map.of("app", name)).endMetadata()
                .withNewSpec().addNewContainer().withName("web").withImage("nginx:1.27").endContainer().endSpec()
                .endTemplate().endSpec().build();
    }

    private static List<Pod> podsOf(KubernetesClient client, String app) {
        return client.pods().inNamespace("default").withLabel("app", app).list().getItems().stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null).toList();
    }

    private static List<String> events(KubernetesClient client, String name) {
        return client.v1().events().inNamespace("default").withField("involvedObject.name", name).list().getItems()
                .stream().map(e -> e.getReason() + ": " + e.getMessage()).toList();
    }

    @Test
    void aReplicaSetCreatesItsPodsOnceAndReportsThemReadyAndAvailable() {
        try (TestServer server = new TestServer(KubeCluster.builder().timeMode(KubeCluster.TimeMode.AUTO))) {
            KubernetesClient client = server.fabric8();
            client.apps().replicaSets().inNamespace("default").resource(replicaSet("web", 3)).create();
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                ReplicaSet rs = client.apps().replicaSets().inNamespace("default").withName("web").get();
                assertThat(rs.getStatus().getReplicas()).isEqualTo(3);
                assertThat(rs.getStatus().getReadyReplicas()).isEqualTo(3);
                assertThat(rs.getStatus().getAvailableReplicas()).isEqualTo(3);
                assertThat(rs.getStatus().getFullyLabeledReplicas()).isEqualTo(3);
                assertThat(rs.getStatus().getObservedGeneration()).isEqualTo(1L);
            });
            ReplicaSet rs = client.apps().replicaSets().inNamespace("default").withName("web").get();
            List<Pod> pods = podsOf(client, "web");
            assertThat(pods).hasSize(3).allSatisfy(p -> {
                assertThat(p.getMetadata().getName()).matches("web-[a-z0-9]{5}");
                OwnerReference ref = p.getMetadata().getOwnerReferences().get(0);
                assertThat(ref.getKind()).isEqualTo("ReplicaSet");
                assertThat(ref.getApiVersion()).isEqualTo("apps/v1");
                assertThat(ref.getUid()).isEqualTo(rs.getMetadata().getUid());
                assertThat(ref.getController()).isTrue();
                assertThat(ref.getBlockOwnerDeletion()).isTrue();
            });
            assertThat(events(client, "web")).filteredOn(e -> e.startsWith("SuccessfulCreate: Created pod: web-")).hasSize(3);

            // a deleted pod is replaced
            client.pods().inNamespace("default").resource(pods.get(0)).delete();
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                assertThat(podsOf(client, "web")).hasSize(3)
                        .noneMatch(p -> p.getMetadata().getName().equals(pods.get(0).getMetadata().getName()));
                assertThat(events(client, "web")).filteredOn(e -> e.startsWith("SuccessfulCreate")).hasSize(4);
            });
        }
    }

    @Test
    void scalingDownDeletesTheCheapestPodsFirstAndKubectlScaleWorks() {
        Kubectl.assumePresent();
        try (TestServer server = new TestServer(KubeCluster.builder().timeMode(KubeCluster.TimeMode.AUTO))) {
            KubernetesClient client = server.fabric8();
            client.apps().replicaSets().inNamespace("default").resource(replicaSet("web", 4)).create();
            await().atMost(Duration.ofSeconds(20)).until(() -> podsOf(client, "web").stream()
                    .filter(p -> "Running".equals(p.getStatus().getPhase())).count() == 4);
            List<Pod> pods = podsOf(client, "web");
            for (int i = 0; i < pods.size(); i++) {
                client.pods().inNamespace("default").withName(pods.get(i).getMetadata().getName()).edit(p ->
                        new PodBuilder(p).editMetadata().addToAnnotations("controller.kubernetes.io/pod-deletion-cost", "0")
                                .endMetadata().build());
            }
            String keep1 = pods.get(1).getMetadata().getName();
            String keep3 = pods.get(3).getMetadata().getName();
            for (String keep : List.of(keep1, keep3)) {
                client.pods().inNamespace("default").withName(keep).edit(p -> new PodBuilder(p).editMetadata()
                        .addToAnnotations("controller.kubernetes.io/pod-deletion-cost", "100").endMetadata().build());
            }
            server.kubectl().run("scale", "rs/web", "--replicas=2").ok();
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                    assertThat(podsOf(client, "web")).extracting(p -> p.getMetadata().getName())
                            .containsExactlyInAnyOrder(keep1, keep3));
            await().untilAsserted(() -> assertThat(events(client, "web"))
                    .filteredOn(e -> e.startsWith("SuccessfulDelete: Deleted pod: web-")).hasSize(2));
            String table = server.kubectl().run("get", "rs", "web").ok().out();
            assertThat(table).containsPattern("web\\s+2\\s+2\\s+2");
        }
    }

    @Test
    void orphansThatMatchAreAdoptedAndPodsThatStopMatchingAreReleased() {
        try (TestServer server = new TestServer(KubeCluster.builder().timeMode(KubeCluster.TimeMode.AUTO))) {
            KubernetesClient client = server.fabric8();
            client.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName("stray")
                    .withLabels(Map.of("app", "web")).endMetadata().withNewSpec().addNewContainer().withName("web")
                    .withImage("nginx:1.27").endContainer().endSpec().build()).create();
            client.apps().replicaSets().inNamespace("default").resource(replicaSet("web", 2)).create();
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                assertThat(podsOf(client, "web")).hasSize(2);
                Pod stray = client.pods().inNamespace("default").withName("stray").get();
                assertThat(stray.getMetadata().getOwnerReferences()).singleElement()
                        .satisfies(r -> assertThat(r.getName()).isEqualTo("web"));
            });
            assertThat(events(client, "web")).filteredOn(e -> e.startsWith("SuccessfulCreate")).hasSize(1);

            client.pods().inNamespace("default").withName("stray").edit(p -> new PodBuilder(p).editMetadata()
                    .addToLabels("app", "debugging").endMetadata().build());
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                assertThat(client.pods().inNamespace("default").withName("stray").get().getMetadata().getOwnerReferences())
                        .isNullOrEmpty();
                assertThat(podsOf(client, "web")).hasSize(2).noneMatch(p -> p.getMetadata().getName().equals("stray"));
            });
        }
    }

    @Test
    void aRefusedCreateShowsAsReplicaFailureAndAFailedCreateEvent() {
        try (TestServer server = new TestServer(KubeCluster.builder().timeMode(KubeCluster.TimeMode.AUTO))) {
            KubernetesClient client = server.fabric8();
            ReplicaSet rs = replicaSet("web", 2);
            rs.getSpec().getTemplate().getSpec().setServiceAccountName("missing");
            client.apps().replicaSets().inNamespace("default").resource(rs).create();
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                ReplicaSet got = client.apps().replicaSets().inNamespace("default").withName("web").get();
                assertThat(got.getStatus().getConditions()).singleElement().satisfies(c -> {
                    assertThat(c.getType()).isEqualTo("ReplicaFailure");
                    assertThat(c.getStatus()).isEqualTo("True");
                    assertThat(c.getReason()).isEqualTo("FailedCreate");
                    assertThat(c.getMessage()).contains("serviceaccount \"missing\" not found");
                });
                assertThat(events(client, "web")).anyMatch(e -> e.startsWith("FailedCreate: Error creating: pods \"web-")
                        && e.contains("is forbidden: error looking up service account default/missing"));
            });
            client.serviceAccounts().inNamespace("default").resource(new io.fabric8.kubernetes.api.model.ServiceAccountBuilder()
                    .withNewMetadata().withName("missing").endMetadata().build()).create();
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                ReplicaSet got = client.apps().replicaSets().inNamespace("default").withName("web").get();
                assertThat(got.getStatus().getReplicas()).isEqualTo(2);
                assertThat(got.getStatus().getConditions()).extracting(ReplicaSetCondition::getType)
                        .doesNotContain("ReplicaFailure");
            });
        }
    }

    @Test
    void podsBecomeAvailableOnlyAfterMinReadySecondsOfClusterTime() {
        try (TestServer server = new TestServer(KubeCluster.builder().timeMode(KubeCluster.TimeMode.MANUAL))) {
            KubernetesClient client = server.fabric8();
            ManualClock clock = (ManualClock) server.cluster().clock();
            ReplicaSet rs = replicaSet("web", 2);
            rs.getSpec().setMinReadySeconds(30);
            client.apps().replicaSets().inNamespace("default").resource(rs).create();
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                ReplicaSet got = client.apps().replicaSets().inNamespace("default").withName("web").get();
                assertThat(got.getStatus().getReadyReplicas()).isEqualTo(2);
                assertThat(got.getStatus().getAvailableReplicas()).isZero();
            });
            clock.advance(Duration.ofSeconds(31));
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(client.apps().replicaSets()
                    .inNamespace("default").withName("web").get().getStatus().getAvailableReplicas()).isEqualTo(2));
        }
    }

    @Test
    void aReplicationControllerKeepsItsReplicasAndScalesThroughKubectl() {
        Kubectl.assumePresent();
        try (TestServer server = new TestServer(KubeCluster.builder().timeMode(KubeCluster.TimeMode.AUTO))) {
            KubernetesClient client = server.fabric8();
            client.replicationControllers().inNamespace("default").resource(new ReplicationControllerBuilder()
                    .withNewMetadata().withName("legacy").endMetadata().withNewSpec().withReplicas(2)
                    .withSelector(Map.of("app", "legacy")).withNewTemplate().withNewMetadata()
                    .withLabels(Map.of("app", "legacy")).endMetadata().withNewSpec().addNewContainer().withName("web")
                    .withImage("nginx:1.27").endContainer().endSpec().endTemplate().endSpec().build()).create();
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                assertThat(podsOf(client, "legacy")).hasSize(2).allSatisfy(p ->
                        assertThat(p.getMetadata().getOwnerReferences().get(0).getKind()).isEqualTo("ReplicationController"));
                assertThat(client.replicationControllers().inNamespace("default").withName("legacy").get()
                        .getStatus().getReadyReplicas()).isEqualTo(2);
            });
            server.kubectl().run("scale", "rc/legacy", "--replicas=3").ok();
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(podsOf(client, "legacy")).hasSize(3));
            String scale = server.kubectl().run("get", "--raw", "/api/v1/namespaces/default/replicationcontrollers/legacy/scale").ok().out();
            assertThat(scale).contains("\"selector\":\"app=legacy\"");
            assertThat(events(client, "legacy")).filteredOn(e -> e.startsWith("SuccessfulCreate")).hasSize(3);
        }
    }
}
