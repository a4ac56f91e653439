package dev.kubetest.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.kubetest.apiserver.support.Kubectl;
import dev.kubetest.apiserver.support.TestServer;
import dev.kubetest.core.KubeCluster;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** StatefulSets: ordinal pods with stable names and claims, ordered start and stop, rolling updates by revision. */
class StatefulSetTest {

    static StatefulSet statefulSet(String name, int replicas, String image) {
        return new StatefulSetBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withReplicas(replicas).withServiceName(name)
                .withNewSelector().withMatchLabels(Map.of("app", name)).endSelector()
                .withNewTemplate().withNewMetadata().withLabels(Map.of("app", name)).endMetadata()
                .withNewSpec().addNewContainer().withName("main").withImage(image).withCommand("sh", "-c", "sleep 3600")
                .addNewVolumeMount().withName("data").withMountPath("/data").endVolumeMount().endContainer().endSpec()
                .endTemplate()
                .addNewVolumeClaimTemplate().withNewMetadata().withName("data").endMetadata().withNewSpec()
                .withAccessModes("ReadWriteOnce").withNewResources().addToRequests("storage", new Quantity("1Gi")).endResources()
                .endSpec().endVolumeClaimTemplate().endSpec().build();
    }

    static StatefulSet get(KubernetesClient client, String name) {
        return client.apps().statefulSets().inNamespace("default").withName(name).get();
    }

    static Pod pod(KubernetesClient client, String name) {
        return client.pods().inNamespace("default").withName(name).get();
    }

    static String exec(KubernetesClient client, String pod, String script) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (var watch = client.pods().inNamespace("default").withName(pod).inContainer("main").writingOutput(out)
                .exec("sh", "-c", script)) {
            watch.exitCode().get(20, TimeUnit.SECONDS);
        }
        return out.toString();
    }

    /** The first container's image of the pod, or null while it does not exist. */
    private static String image(KubernetesClient client, String name) {
        Pod p = pod(client, name);
        return p == null ? null : p.getSpec().getContainers().get(0).getImage();
    }

    private static List<String> events(KubernetesClient client, String name) {
        return client.v1().events().inNamespace("default").withField("involvedObject.name", name).list().getItems()
                .stream().map(e -> e.getReason() + ": " + e.getMessage()).toList();
    }

    @Test
    void podsStartInOrderWithStableClaimsAndAPodComesBackToItsFiles() throws Exception {
        try (TestServer server = new TestServer(KubeCluster.builder().timeMode(KubeCluster.TimeMode.AUTO))) {
            KubernetesClient client = server.fabric8();
            List<String> added = new CopyOnWriteArrayList<>();
            try (Watch watch = client.pods().inNamespace("default").withLabel("app", "web").watch(new Watcher<>() {
                @Override
                public void eventReceived(Action action, Pod p) {
                    if (action == Action.ADDED) {
                        added.add(p.getMetadata().getName() + (p.getStatus() != null && "Running".equals(p.getStatus().getPhase())
                                ? "" : ""));
                    }
                }

                @Override
                public void onClose(WatcherException cause) {
                }
            })) {
                client.apps().statefulSets().inNamespace("default").resource(statefulSet("web", 3, "busybox:1.36")).create();
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                        assertThat(get(client, "web").getStatus().getReadyReplicas()).isEqualTo(3));
                assertThat(added).containsExactly("web-0", "web-1", "web-2");
            }
            for (int i = 0; i < 3; i++) {
                Pod p = pod(client, "web-" + i);
                assertThat(p.getMetadata().getLabels()).containsEntry("statefulset.kubernetes.io/pod-name", "web-" + i)
                        .containsEntry("apps.kubernetes.io/pod-index", Integer.toString(i))
                        .containsKey("controller-revision-hash");
                assertThat(p.getSpec().getHostname()).isEqualTo("web-" + i);
                assertThat(p.getSpec().getSubdomain()).isEqualTo("web");
                assertThat(client.persistentVolumeClaims().inNamespace("default").withName("data-web-" + i).get()
                        .getStatus().getPhase()).isEqualTo("Bound");
            }
            // each pod starts only once its predecessor is running and ready
            assertThat(events(client, "web")).containsSubsequence("SuccessfulCreate: create Claim data-web-0 Pod web-0 in StatefulSet web success",
                    "SuccessfulCreate: create Pod web-0 in StatefulSet web successful",
                    "SuccessfulCreate: create Pod web-1 in StatefulSet web successful",
                    "SuccessfulCreate: create Pod web-2 in StatefulSet web successful");

            exec(client, "web-1", "echo remembered > /data/note");
            String oldUid = pod(client, "web-1").getMetadata().getUid();
            client.pods().inNamespace("default").withName("web-1").delete();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                Pod p = pod(client, "web-1");
                return p != null && !p.getMetadata().getUid().equals(oldUid) && "Running".equals(p.getStatus().getPhase());
            });
            assertThat(exec(client, "web-1", "cat /data/note")).isEqualTo("remembered\n");

            // scaling down removes the highest ordinals first and keeps their claims
            client.apps().statefulSets().inNamespace("default").withName("web").scale(1);
            await().atMost(Duration.ofSeconds(30)).until(() -> pod(client, "web-1") == null && pod(client, "web-2") == null);
            assertThat(events(client, "web")).containsSubsequence("SuccessfulDelete: delete Pod web-2 in StatefulSet web successful",
                    "SuccessfulDelete: delete Pod web-1 in StatefulSet web successful");
            assertThat(client.persistentVolumeClaims().inNamespace("default").withName("data-web-2").get()).isNotNull();
            client.apps().statefulSets().inNamespace("default").withName("web").scale(2);
            await().atMost(Duration.ofSeconds(30)).until(() -> pod(client, "web-1") != null
                    && "Running".equals(pod(client, "web-1").getStatus().getPhase()));
            assertThat(exec(client, "web-1", "cat /data/note")).isEqualTo("remembered\n");
        }
    }

    @Test
    void aRollingUpdateGoesFromTheHighestOrdinalDownAndRolloutCommandsWork() {
        Kubectl.assumePresent();
        try (TestServer server = new TestServer(KubeCluster.builder().timeMode(KubeCluster.TimeMode.AUTO))) {
            KubernetesClient client = server.fabric8();
            client.apps().statefulSets().inNamespace("default").resource(statefulSet("db", 3, "busybox:1.36")).create();
            Kubectl kubectl = server.kubectl();
            assertThat(kubectl.run("rollout", "status", "sts/db", "--timeout=30s").ok().out())
                    .contains("partitioned roll out complete: 3 new pods have been updated...");
            String first = get(client, "db").getStatus().getCurrentRevision();
            assertThat(first).startsWith("db-");

            kubectl.run("set", "image", "sts/db", "main=busybox:1.37").ok();
            assertThat(kubectl.run("rollout", "status", "sts/db", "--timeout=30s").ok().out())
                    .contains("partitioned roll out complete: 3 new pods have been updated...");
            StatefulSet updated = get(client, "db");
            assertThat(updated.getStatus().getUpdateRevision()).isNotEqualTo(first);
            assertThat(updated.getStatus().getCurrentRevision()).isEqualTo(updated.getStatus().getUpdateRevision());
            assertThat(updated.getStatus().getUpdatedReplicas()).isEqualTo(3);
            assertThat(events(client, "db")).containsSubsequence("SuccessfulDelete: delete Pod db-2 in StatefulSet db successful",
                    "SuccessfulDelete: delete Pod db-1 in StatefulSet db successful",
                    "SuccessfulDelete: delete Pod db-0 in StatefulSet db successful");
            for (int i = 0; i < 3; i++) {
                assertThat(pod(client, "db-" + i).getSpec().getContainers().get(0).getImage()).isEqualTo("busybox:1.37");
            }
            assertThat(kubectl.run("rollout", "history", "sts/db").ok().out()).containsPattern("(?m)^1\\s").containsPattern("(?m)^2\\s");
            kubectl.run("rollout", "undo", "sts/db").ok();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                for (int i = 0; i < 3; i++) {
                    assertThat(image(client, "db-" + i)).isEqualTo("busybox:1.36"); // a pod may be between delete and create
                }
                assertThat(get(client, "db").getStatus().getCurrentRevision()).isEqualTo(first);
            });

            // a partition keeps the ordinals below it at the old revision
            client.apps().statefulSets().inNamespace("default").withName("db").edit(s -> new StatefulSetBuilder(s).editSpec()
                    .editUpdateStrategy().withNewRollingUpdate().withPartition(2).endRollingUpdate().endUpdateStrategy()
                    .editTemplate().editSpec().editContainer(0).withImage("busybox:1.38").endContainer().endSpec().endTemplate()
                    .endSpec().build());
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                assertThat(image(client, "db-2")).isEqualTo("busybox:1.38");
                assertThat(get(client, "db").getStatus().getUpdatedReplicas()).isEqualTo(1);
            });
            assertThat(pod(client, "db-0").getSpec().getContainers().get(0).getImage()).isEqualTo("busybox:1.36");
            assertThat(pod(client, "db-1").getSpec().getContainers().get(0).getImage()).isEqualTo("busybox:1.36");
        }
    }

    @Test
    void parallelSetsFromAStartOrdinalDeleteTheirClaimsAsTheRetentionPolicySays() {
        try (TestServer server = new TestServer(KubeCluster.builder().timeMode(KubeCluster.TimeMode.AUTO))) {
            KubernetesClient client = server.fabric8();
            StatefulSet set = statefulSet("cache", 3, "busybox:1.36");
            set.getSpec().setPodManagementPolicy("Parallel");
            set.getSpec().setOrdinals(new io.fabric8.kubernetes.api.model.apps.StatefulSetOrdinalsBuilder().withStart(5).build());
            set.getSpec().setPersistentVolumeClaimRetentionPolicy(
                    new io.fabric8.kubernetes.api.model.apps.StatefulSetPersistentVolumeClaimRetentionPolicyBuilder()
                            .withWhenScaled("Delete").withWhenDeleted("Delete").build());
            client.apps().statefulSets().inNamespace("default").resource(set).create();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(get(client, "cache").getStatus().getReadyReplicas()).isEqualTo(3));
            assertThat(client.pods().inNamespace("default").withLabel("app", "cache").list().getItems())
                    .extracting(p -> p.getMetadata().getName()).containsExactlyInAnyOrder("cache-5", "cache-6", "cache-7");

            client.apps().statefulSets().inNamespace("default").withName("cache").scale(1);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                assertThat(pod(client, "cache-6")).isNull();
                assertThat(pod(client, "cache-7")).isNull();
                assertThat(client.persistentVolumeClaims().inNamespace("default").withName("data-cache-7").get()).isNull();
                assertThat(client.persistentVolumeClaims().inNamespace("default").withName("data-cache-6").get()).isNull();
            });
            assertThat(client.persistentVolumeClaims().inNamespace("default").withName("data-cache-5").get()).isNotNull();

            client.apps().statefulSets().inNamespace("default").withName("cache").delete();
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    client.persistentVolumeClaims().inNamespace("default").withName("data-cache-5").get() == null);
        }
    }

    @Test
    void maxUnavailableReplacesThatManyPodsAtOnceAndNeverMore() throws Exception {
        try (TestServer server = new TestServer(KubeCluster.builder().timeMode(KubeCluster.TimeMode.AUTO))) {
            KubernetesClient client = server.fabric8();
            StatefulSet set = statefulSet("shard", 4, "busybox:1.36");
            set.getSpec().setPodManagementPolicy("Parallel");
            set.getSpec().setUpdateStrategy(new io.fabric8.kubernetes.api.model.apps.StatefulSetUpdateStrategyBuilder()
                    .withType("RollingUpdate").withNewRollingUpdate().withMaxUnavailable(new IntOrString("50%"))
                    .endRollingUpdate().build());
            client.apps().statefulSets().inNamespace("default").resource(set).create();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(get(client, "shard").getStatus().getAvailableReplicas()).isEqualTo(4));

            Map<String, Pod> seen = new java.util.concurrent.ConcurrentHashMap<>();
            var before = client.pods().inNamespace("default").withLabel("app", "shard").list();
            before.getItems().forEach(p -> seen.put(p.getMetadata().getName(), p));
            List<Integer> unavailableAtEachEvent = new CopyOnWriteArrayList<>();
            try (Watch ignored = client.pods().inNamespace("default").withLabel("app", "shard")
                    .withResourceVersion(before.getMetadata().getResourceVersion()).watch(new Watcher<>() {
                @Override
                public void eventReceived(Action action, Pod p) {
                    if (action == Action.DELETED) {
                        seen.remove(p.getMetadata().getName());
                    } else {
                        seen.put(p.getMetadata().getName(), p);
                    }
                    long healthy = seen.values().stream().filter(StatefulSetTest::healthy).count();
                    unavailableAtEachEvent.add(4 - (int) healthy);
                }

                @Override
                public void onClose(WatcherException cause) {
                }
            })) {
                client.apps().statefulSets().inNamespace("default").withName("shard").edit(s -> new StatefulSetBuilder(s)
                        .editSpec().editTemplate().editSpec().editContainer(0).withImage("busybox:1.37").endContainer()
                        .endSpec().endTemplate().endSpec().build());
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                    StatefulSet now = get(client, "shard");
                    assertThat(now.getStatus().getUpdatedReplicas()).isEqualTo(4);
                    assertThat(now.getStatus().getAvailableReplicas()).isEqualTo(4);
                    assertThat(now.getStatus().getCurrentRevision()).isEqualTo(now.getStatus().getUpdateRevision());
                });
            }
            // 50% of 4: two pods replaced at a time, never a third
            assertThat(unavailableAtEachEvent).isNotEmpty().allMatch(n -> n <= 2).contains(2);
            assertThat(events(client, "shard")).containsSubsequence("SuccessfulDelete: delete Pod shard-3 in StatefulSet shard successful",
                    "SuccessfulDelete: delete Pod shard-2 in StatefulSet shard successful");

            // zero is refused as upstream refuses it
            StatefulSet zero = statefulSet("bad", 1, "busybox:1.36");
            zero.getSpec().setUpdateStrategy(new io.fabric8.kubernetes.api.model.apps.StatefulSetUpdateStrategyBuilder()
                    .withType("RollingUpdate").withNewRollingUpdate().withMaxUnavailable(new IntOrString(0))
                    .endRollingUpdate().build());
            assertThatThrownBy(() -> client.apps().statefulSets().inNamespace("default").resource(zero).create())
                    .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                        assertThat(e.getCode()).isEqualTo(422);
                        assertThat(e.getStatus().getDetails().getCauses()).anySatisfy(c -> {
                            assertThat(c.getField()).isEqualTo("spec.updateStrategy.rollingUpdate.maxUnavailable");
                            assertThat(c.getMessage()).contains("cannot be 0");
                        });
                    });
        }
    }

    private static boolean healthy(Pod p) {
        return p.getMetadata().getDeletionTimestamp() == null && p.getStatus() != null
                && "Running".equals(p.getStatus().getPhase()) && p.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }
}
