package dev.kubetest.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kubetest.apiserver.support.Kubectl;
import dev.kubetest.apiserver.support.TestServer;
import dev.kubetest.core.KubeCluster;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Deployments roll out through ReplicaSets as kube-controller-manager rolls them, checked with fabric8 and kubectl. */
class DeploymentTest {

    static Deployment deployment(String name, int replicas, String image) {
        return new DeploymentBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withReplicas(replicas)
                .withNewSelector().withMatchLabels(Map.of("app", name)).endSelector()
                .withNewTemplate().withNewMetadata().withLabels(Map.of("app", name)).endMetadata()
                .withNewSpec().addNewContainer().withName("web").withImage(image).endContainer().endSpec()
                .endTemplate().endSpec().build();
    }

    static Deployment get(KubernetesClient client, String name) {
        return client.apps().deployments().inNamespace("default").withName(name).get();
    }

    static List<ReplicaSet> replicaSets(KubernetesClient client, String app) {
        return client.apps().replicaSets().inNamespace("default").withLabel("app", app).list().getItems();
    }

    static DeploymentCondition condition(Deployment d, String type) {
        return d.getStatus() == null || d.getStatus().getConditions() == null ? null
                : d.getStatus().getConditions().stream().filter(c -> c.getType().equals(type)).findFirst().orElse(null);
    }

    static void awaitComplete(KubernetesClient client, String name) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Deployment d = get(client, name);
            assertThat(condition(d, "Progressing")).isNotNull()
                    .satisfies(c -> assertThat(c.getReason()).isEqualTo("NewReplicaSetAvailable"));
            assertThat(d.getStatus().getObservedGeneration()).isEqualTo(d.getMetadata().getGeneration());
            assertThat(d.getStatus().getUpdatedReplicas()).isEqualTo(d.getSpec().getReplicas());
        });
    }

    private static List<String> events(KubernetesClient client, String name) {
        return client.v1().events().inNamespace("default").withField("involvedObject.name", name).list().getItems()
                .stream().map(e -> e.getReason() + ": " + e.getMessage()).toList();
    }

    @Test
    void aDeploymentCreatesAHashedReplicaSetAndBecomesAvailable() {
        Kubectl.assumePresent();
        try (TestServer server = new TestServer(KubeCluster.builder().timeMode(KubeCluster.TimeMode.AUTO))) {
            KubernetesClient client = server.fabric8();
            client.apps().deployments().inNamespace("default").resource(deployment("web", 3, "nginx:1.27")).create();
            awaitComplete(client, "web");
            Deployment d = get(client, "web");
            assertThat(d.getMetadata().getAnnotations()).containsEntry("deployment.kubernetes.io/revision", "1");
            assertThat(d.getStatus().getReplicas()).isEqualTo(3);
            assertThat(d.getStatus().getReadyReplicas()).isEqualTo(3);
            assertThat(d.getStatus().getAvailableReplicas()).isEqualTo(3);
            assertThat(condition(d, "Available").getStatus()).isEqualTo("True");
            assertThat(condition(d, "Available").getReason()).isEqualTo("MinimumReplicasAvailable");
            assertThat(condition(d, "Available").getMessage()).isEqualTo("Deployment has minimum availability.");

            List<ReplicaSet> sets = replicaSets(client, "web");
            assertThat(sets).hasSize(1);
            ReplicaSet rs = sets.get(0);
            String hash = rs.getMetadata().getLabels().get("pod-template-hash");
            assertThat(hash).matches("[bcdfghjklmnpqrstvwxz2456789]{6,10}");
            assertThat(rs.getMetadata().getName()).isEqualTo("web-" + hash);
            assertThat(rs.getSpec().getSelector().getMatchLabels()).containsEntry("pod-template-hash", hash);
            assertThat(rs.getMetadata().getAnnotations()).containsEntry("deployment.kubernetes.io/revision", "1")
                    .containsEntry("deployment.kubernetes.io/desired-replicas", "3")
                    .containsEntry("deployment.kubernetes.io/max-replicas", "4");
            assertThat(rs.getMetadata().getOwnerReferences().get(0).getKind()).isEqualTo("Deployment");
            assertThat(client.pods().inNamespace("default").withLabel("app", "web").list().getItems())
                    .hasSize(3).allSatisfy(p -> assertThat(p.getMetadata().getLabels()).containsEntry("pod-template-hash", hash));
            assertThat(events(client, "web")).contains("ScalingReplicaSet: Scaled up replica set web-" + hash + " from 0 to 3");

            Kubectl kubectl = server.kubectl();
            assertThat(kubectl.run("rollout", "status", "deployment/web", "--timeout=20s").ok().out())
                    .contains("deployment \"web\" successfully rolled out");
            assertThat(kubectl.run("get", "deploy", "web").ok().out()).containsPattern("web\\s+3/3\\s+3\\s+3");

            // the same template again (delete, orphaning, and re-create) adopts the same ReplicaSet
            client.apps().deployments().inNamespace("default").withName("web")
                    .withPropagationPolicy(io.fabric8.kubernetes.api.model.DeletionPropagation.ORPHAN).delete();
            await().until(() -> get(client, "web") == null && replicaSets(client, "web").stream()
                    .allMatch(s -> s.getMetadata().getOwnerReferences() == null || s.getMetadata().getOwnerReferences().isEmpty()));
            client.apps().deployments().inNamespace("default").resource(deployment("web", 3, "nginx:1.27")).create();
            awaitComplete(client, "web");
            assertThat(replicaSets(client, "web")).singleElement().satisfies(s -> {
                assertThat(s.getMetadata().getName()).isEqualTo("web-" + hash);
                assertThat(s.getMetadata().getOwnerReferences().get(0).getUid()).isEqualTo(get(client, "web").getMetadata().getUid());
            });
        }
    }

    /** Pods by name, as a watch sees them. */
    private static final class PodView implements Watcher<Pod> {
        final Map<String, Pod> pods = new ConcurrentHashMap<>();
        final List<String> violations = new CopyOnWriteArrayList<>();
        final int maxPods;
        final int minAvailable;
        volatile boolean checking;

        PodView(int maxPods, int minAvailable) {
            this.maxPods = maxPods;
            this.minAvailable = minAvailable;
        }

        @Override
        public void eventReceived(Action action, Pod pod) {
            if (action == Action.DELETED) {
                pods.remove(pod.getMetadata().getName());
            } else {
                pods.put(pod.getMetadata().getName(), pod);
            }
            if (!checking) {
                return;
            }
            List<Pod> live = pods.values().stream().filter(p -> p.getMetadata().getDeletionTimestamp() == null).toList();
            long ready = live.stream().filter(DeploymentTest::ready).count();
            if (live.size() > maxPods) {
                violations.add(live.size() + " pods at once");
            }
            if (ready < minAvailable) {
                violations.add("only " + ready + " ready pods");
            }
        }

        @Override
        public void onClose(WatcherException cause) {
        }
    }

    static boolean ready(Pod p) {
        return p.getStatus() != null && p.getStatus().getConditions() != null && p.getStatus().getConditions().stream()
                .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"));
    }

    @Test
    void aRollingUpdateOfTenReplicasStaysWithinSurgeAndUnavailabilityThenRollsBack() {
        Kubectl.assumePresent();
        try (TestServer server = new TestServer(KubeCluster.builder().timeMode(KubeCluster.TimeMode.AUTO))) {
            KubernetesClient client = server.fabric8();
            client.apps().deployments().inNamespace("default").resource(deployment("web", 10, "nginx:1.26")).create();
            awaitComplete(client, "web");
            await().until(() -> client.pods().inNamespace("default").withLabel("app", "web").list().getItems().stream()
                    .filter(DeploymentTest::ready).count() == 10);
            // 25% of 10: at most 13 pods (surge rounds up), at least 8 available (unavailable rounds down)
            PodView view = new PodView(13, 8);
            try (Watch watch = client.pods().inNamespace("default").withLabel("app", "web").watch(view)) {
                await().until(() -> view.pods.size() == 10);
                view.checking = true;
                Kubectl kubectl = server.kubectl();
                kubectl.run("set", "image", "deployment/web", "web=nginx:1.27").ok();
                assertThat(kubectl.run("rollout", "status", "deployment/web", "--timeout=60s").ok().out())
                        .contains("successfully rolled out");
                await().until(() -> view.pods.values().stream().filter(DeploymentTest::ready).count() == 10
                        && view.pods.size() == 10);
                assertThat(view.violations).isEmpty();
            }
            assertThat(client.pods().inNamespace("default").withLabel("app", "web").list().getItems())
                    .allSatisfy(p -> assertThat(p.getSpec().getContainers().get(0).getImage()).isEqualTo("nginx:1.27"));
            assertThat(get(client, "web").getMetadata().getAnnotations()).containsEntry("deployment.kubernetes.io/revision", "2");
            List<ReplicaSet> sets = replicaSets(client, "web");
            assertThat(sets).hasSize(2).anySatisfy(rs -> assertThat(rs.getSpec().getReplicas()).isZero());
            assertThat(events(client, "web")).anyMatch(e -> e.matches("ScalingReplicaSet: Scaled down replica set web-\\w+ to \\d+ from \\d+"));

            Kubectl kubectl = server.kubectl();
            String history = kubectl.run("rollout", "history", "deployment/web").ok().out();
            assertThat(history).containsPattern("(?m)^1\\s").containsPattern("(?m)^2\\s");
            kubectl.run("rollout", "undo", "deployment/web").ok();
            awaitComplete(client, "web");
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(client.pods().inNamespace("default")
                    .withLabel("app", "web").list().getItems()).hasSize(10).allSatisfy(p ->
                    assertThat(p.getSpec().getContainers().get(0).getImage()).isEqualTo("nginx:1.26")));
            Deployment d = get(client, "web");
            assertThat(d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage()).isEqualTo("nginx:1.26");
            assertThat(d.getMetadata().getAnnotations()).containsEntry("deployment.kubernetes.io/revision", "3");
            ReplicaSet restored = replicaSets(client, "web").stream().filter(rs -> rs.getSpec().getReplicas() == 10)
                    .findFirst().orElseThrow();
            assertThat(restored.getMetadata().getAnnotations()).containsEntry("deployment.kubernetes.io/revision", "3")
                    .containsEntry("deployment.kubernetes.io/revision-history", "1");
            String after = kubectl.run("rollout", "history", "deployment/web").ok().out();
            assertThat(after).containsPattern("(?m)^2\\s").containsPattern("(?m)^3\\s").doesNotContainPattern("(?m)^1\\s");
        }
    }

    @Test
    void recreateRemovesEveryOldPodBeforeANewOneStarts() {
        try (TestServer server = new TestServer(KubeCluster.builder().timeMode(KubeCluster.TimeMode.AUTO))) {
            KubernetesClient client = server.fabric8();
            Deployment d = deployment("db", 3, "postgres:16");
            d.getSpec().setStrategy(new io.fabric8.kubernetes.api.model.apps.DeploymentStrategyBuilder().withType("Recreate").build());
            client.apps().deployments().inNamespace("default").resource(d).create();
            awaitComplete(client, "db");
            String oldHash = replicaSets(client, "db").get(0).getMetadata().getLabels().get("pod-template-hash");
            List<String> overlaps = new CopyOnWriteArrayList<>();
            Map<String, Pod> seen = new ConcurrentHashMap<>();
            try (Watch watch = client.pods().inNamespace("default").withLabel("app", "db").watch(new Watcher<>() {
                @Override
                public void eventReceived(Action action, Pod pod) {
                    if (action == Action.DELETED) {
                        seen.remove(pod.getMetadata().getName());
                    } else {
                        seen.put(pod.getMetadata().getName(), pod);
                    }
                    // as upstream's Recreate: an old pod still counts until it is gone or has reached a terminal
                    // phase (the kubelet writes Failed or Succeeded before the object goes)
                    boolean oldPresent = seen.values().stream().anyMatch(p ->
                            oldHash.equals(p.getMetadata().getLabels().get("pod-template-hash"))
                                    && !"Failed".equals(p.getStatus().getPhase()) && !"Succeeded".equals(p.getStatus().getPhase()));
                    boolean newPresent = seen.values().stream().anyMatch(p ->
                            !oldHash.equals(p.getMetadata().getLabels().get("pod-template-hash")));
                    if (oldPresent && newPresent) {
                        overlaps.add(new ArrayList<>(seen.keySet()).toString());
                    }
                }

                @Override
                public void onClose(WatcherException cause) {
                }
            })) {
                client.apps().deployments().inNamespace("default").withName("db").edit(x -> new DeploymentBuilder(x)
                        .editSpec().editTemplate().editSpec().editContainer(0).withImage("postgres:17").endContainer()
                        .endSpec().endTemplate().endSpec().build());
                awaitComplete(client, "db");
                await().atMost(Duration.ofSeconds(30)).until(() -> seen.size() == 3 && seen.values().stream()
                        .allMatch(p -> p.getSpec().getContainers().get(0).getImage().equals("postgres:17")));
            }
            assertThat(overlaps).isEmpty();
        }
    }

    @Test
    void scalingInTheMiddleOfAStuckRolloutIsProportional() {
        try (TestServer server = new TestServer(KubeCluster.builder().timeMode(KubeCluster.TimeMode.AUTO))) {
            KubernetesClient client = server.fabric8();
            Deployment d = deployment("web", 10, "nginx:1.26");
            d.getSpec().setStrategy(new io.fabric8.kubernetes.api.model.apps.DeploymentStrategyBuilder()
                    .withType("RollingUpdate").withNewRollingUpdate().withMaxSurge(new IntOrString(3))
                    .withMaxUnavailable(new IntOrString(2)).endRollingUpdate().build());
            client.apps().deployments().inNamespace("default").resource(d).create();
            awaitComplete(client, "web");
            client.apps().deployments().inNamespace("default").withName("web").edit(x -> new DeploymentBuilder(x)
                    .editSpec().editTemplate().editSpec().editContainer(0).withImage("nginx:does-not-exist").endContainer()
                    .endSpec().endTemplate().endSpec().build());
            // as upstream's documentation walks it: the old set goes to 8, the new one to 5, and there it stays
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(replicaSets(client, "web"))
                    .extracting(rs -> rs.getSpec().getReplicas()).containsExactlyInAnyOrder(8, 5));
            if (Kubectl.binary() != null) {
                // kubectl's columns in the middle of the stuck rollout: 8 old pods ready, 5 new ones up to date
                await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(server.kubectl().run("get", "deploy", "web")
                        .ok().out()).containsPattern("web\\s+8/10\\s+5\\s+8"));
            }
            client.apps().deployments().inNamespace("default").withName("web").scale(15);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                List<ReplicaSet> sets = replicaSets(client, "web");
                ReplicaSet newer = sets.stream().filter(rs -> rs.getSpec().getTemplate().getSpec().getContainers().get(0)
                        .getImage().equals("nginx:does-not-exist")).findFirst().orElseThrow();
                ReplicaSet older = sets.stream().filter(rs -> rs != newer).findFirst().orElseThrow();
                assertThat(older.getSpec().getReplicas()).isEqualTo(11);
                assertThat(newer.getSpec().getReplicas()).isEqualTo(7);
                assertThat(newer.getMetadata().getAnnotations()).containsEntry("deployment.kubernetes.io/desired-replicas", "15")
                        .containsEntry("deployment.kubernetes.io/max-replicas", "18");
            });
        }
    }

    @Test
    void invalidStrategiesAreRefusedWithUpstreamsMessages() {
        try (TestServer server = new TestServer()) {
            KubernetesClient client = server.fabric8();
            Deployment d = deployment("web", 3, "nginx:1.27");
            d.getSpec().setStrategy(new io.fabric8.kubernetes.api.model.apps.DeploymentStrategyBuilder()
                    .withType("RollingUpdate").withNewRollingUpdate().withMaxSurge(new IntOrString(0))
                    .withMaxUnavailable(new IntOrString("0%")).endRollingUpdate().build());
            d.getSpec().setMinReadySeconds(20);
            d.getSpec().setProgressDeadlineSeconds(10);
            assertThat(org.assertj.core.api.Assertions.catchThrowableOfType(
                    () -> client.apps().deployments().inNamespace("default").resource(d).create(),
                    io.fabric8.kubernetes.client.KubernetesClientException.class))
                    .satisfies(e -> {
                        assertThat(e.getCode()).isEqualTo(422);
                        assertThat(e.getStatus().getDetails().getCauses()).extracting(c -> c.getField() + ": " + c.getMessage())
                                .contains("spec.strategy.rollingUpdate.maxUnavailable: Invalid value: \"0%\": may not be 0 when `maxSurge` is 0",
                                        "spec.progressDeadlineSeconds: Invalid value: 10: must be greater than minReadySeconds");
                    });
        }
    }

    @Test
    void pausedDeploymentsDoNotRollUntilResumedAndRestartMakesARevision() {
        Kubectl.assumePresent();
        try (TestServer server = new TestServer(KubeCluster.builder().timeMode(KubeCluster.TimeMode.AUTO))) {
            KubernetesClient client = server.fabric8();
            Deployment d = deployment("web", 2, "nginx:1.26");
            d.getSpec().setRevisionHistoryLimit(1);
            client.apps().deployments().inNamespace("default").resource(d).create();
            awaitComplete(client, "web");
            Kubectl kubectl = server.kubectl();
            kubectl.run("rollout", "pause", "deployment/web").ok();
            kubectl.run("annotate", "deployment/web", "kubernetes.io/change-cause=move to 1.27").ok();
            kubectl.run("set", "image", "deployment/web", "web=nginx:1.27").ok();
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                Deployment got = get(client, "web");
                assertThat(condition(got, "Progressing").getStatus()).isEqualTo("Unknown");
                assertThat(condition(got, "Progressing").getReason()).isEqualTo("DeploymentPaused");
                assertThat(got.getStatus().getObservedGeneration()).isEqualTo(got.getMetadata().getGeneration());
            });
            assertThat(replicaSets(client, "web")).hasSize(1);
            kubectl.run("rollout", "resume", "deployment/web").ok();
            assertThat(kubectl.run("rollout", "status", "deployment/web", "--timeout=30s").ok().out())
                    .contains("successfully rolled out");
            assertThat(kubectl.run("rollout", "history", "deployment/web").ok().out())
                    .containsPattern("(?m)^2\\s+move to 1.27");
            assertThat(kubectl.run("rollout", "history", "deployment/web", "--revision=2").ok().out())
                    .contains("nginx:1.27").contains("move to 1.27");

            kubectl.run("rollout", "restart", "deployment/web").ok();
            assertThat(kubectl.run("rollout", "status", "deployment/web", "--timeout=30s").ok().out())
                    .contains("successfully rolled out");
            Deployment restarted = get(client, "web");
            assertThat(restarted.getSpec().getTemplate().getMetadata().getAnnotations())
                    .containsKey("kubectl.kubernetes.io/restartedAt");
            assertThat(restarted.getMetadata().getAnnotations()).containsEntry("deployment.kubernetes.io/revision", "3");
            // revisionHistoryLimit 1: the current set and one old one
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(replicaSets(client, "web"))
                    .extracting(rs -> rs.getMetadata().getAnnotations().get("deployment.kubernetes.io/revision"))
                    .containsExactlyInAnyOrder("2", "3"));
        }
    }

    @Test
    void aRolloutThatCannotProgressExceedsItsDeadlineAndRolloutStatusFails() {
        Kubectl.assumePresent();
        try (TestServer server = new TestServer(KubeCluster.builder().timeMode(KubeCluster.TimeMode.MANUAL))) {
            KubernetesClient client = server.fabric8();
            dev.kubetest.core.clock.ManualClock clock = (dev.kubetest.core.clock.ManualClock) server.cluster().clock();
            Deployment d = deployment("web", 2, "nginx:1.26");
            d.getSpec().setProgressDeadlineSeconds(60);
            client.apps().deployments().inNamespace("default").resource(d).create();
            awaitComplete(client, "web");
            client.apps().deployments().inNamespace("default").withName("web").edit(x -> new DeploymentBuilder(x)
                    .editSpec().editTemplate().editSpec().editContainer(0).withImage("nginx:does-not-exist").endContainer()
                    .endSpec().endTemplate().endSpec().build());
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                    assertThat(condition(get(client, "web"), "Progressing").getReason()).isEqualTo("ReplicaSetUpdated"));
            clock.advance(Duration.ofSeconds(61));
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                DeploymentCondition c = condition(get(client, "web"), "Progressing");
                assertThat(c.getStatus()).isEqualTo("False");
                assertThat(c.getReason()).isEqualTo("ProgressDeadlineExceeded");
                assertThat(c.getMessage()).matches("ReplicaSet \"web-\\w+\" has timed out progressing.");
            });
            // the old pods stay: a stuck rollout keeps the availability it had
            assertThat(condition(get(client, "web"), "Available").getStatus()).isEqualTo("True");
            Kubectl.Result status = server.kubectl().run("rollout", "status", "deployment/web", "--timeout=20s");
            assertThat(status.exitCode()).isNotZero();
            assertThat(status.err()).contains("deployment \"web\" exceeded its progress deadline");
        }
    }

    @Test
    void undoToARevisionBringsThatTemplateBackAsTheNewest() {
        Kubectl.assumePresent();
        try (TestServer server = new TestServer(KubeCluster.builder().timeMode(KubeCluster.TimeMode.AUTO))) {
            KubernetesClient client = server.fabric8();
            client.apps().deployments().inNamespace("default").resource(deployment("web", 2, "nginx:1.25")).create();
            Kubectl kubectl = server.kubectl();
            kubectl.run("rollout", "status", "deployment/web", "--timeout=30s").ok();
            for (String image : List.of("nginx:1.26", "nginx:1.27")) {
                kubectl.run("set", "image", "deployment/web", "web=" + image).ok();
                kubectl.run("rollout", "status", "deployment/web", "--timeout=30s").ok();
            }
            kubectl.run("rollout", "undo", "deployment/web", "--to-revision=1").ok();
            kubectl.run("rollout", "status", "deployment/web", "--timeout=30s").ok();
            Deployment d = get(client, "web");
            assertThat(d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage()).isEqualTo("nginx:1.25");
            assertThat(d.getMetadata().getAnnotations()).containsEntry("deployment.kubernetes.io/revision", "4");
            assertThat(kubectl.run("rollout", "history", "deployment/web").ok().out())
                    .containsPattern("(?m)^2\\s").containsPattern("(?m)^3\\s").containsPattern("(?m)^4\\s")
                    .doesNotContainPattern("(?m)^1\\s");
        }
    }
}
