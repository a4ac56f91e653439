package dev.kubetest.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kubetest.apiserver.support.TestServer;
import dev.kubetest.core.KubeCluster;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** A snapshot restored is a set of ordinary writes: an informer sees events and ends up with the snapshot's state. */
class SnapshotRestoreTest {

    private static ConfigMap map(String name, String value) {
        return new ConfigMapBuilder().withNewMetadata().withName(name).withNamespace("default").endMetadata()
                .addToData("v", value).build();
    }

    @Test
    void restoreWritesBackWhatChangedAtNewResourceVersions() {
        try (TestServer server = new TestServer(KubeCluster.builder().timeMode(KubeCluster.TimeMode.AUTO))) {
            KubernetesClient client = server.fabric8();
            client.configMaps().resource(map("kept", "1")).create();
            ConfigMap changed = client.configMaps().resource(map("changed", "original")).create();
            ConfigMap deleted = client.configMaps().resource(map("deleted", "x")).create();
            List<String> events = new CopyOnWriteArrayList<>();
            SharedIndexInformer<ConfigMap> informer = client.configMaps().inNamespace("default").inform(new ResourceEventHandler<>() {
                @Override
                public void onAdd(ConfigMap obj) {
                    events.add("ADDED " + obj.getMetadata().getName());
                }

                @Override
                public void onUpdate(ConfigMap oldObj, ConfigMap newObj) {
                    events.add("MODIFIED " + newObj.getMetadata().getName());
                }

                @Override
                public void onDelete(ConfigMap obj, boolean deletedFinalStateUnknown) {
                    events.add("DELETED " + obj.getMetadata().getName());
                }
            });
            try {
                var snapshot = server.cluster().snapshot();
                long rvAtSnapshot = Long.parseLong(client.configMaps().withName("changed").get().getMetadata().getResourceVersion());

                client.configMaps().withName("changed").edit(c -> new ConfigMapBuilder(c).addToData("v", "edited").build());
                client.configMaps().withName("deleted").delete();
                client.configMaps().resource(map("added", "new")).create();
                await().atMost(Duration.ofSeconds(10)).until(() -> events.contains("ADDED added") && events.contains("DELETED deleted"));
                events.clear();

                var restored = server.cluster().restore(snapshot);
                // the two ConfigMaps, and whatever else the cluster wrote since (node heartbeats, events)
                assertThat(restored.written()).isGreaterThanOrEqualTo(2);
                assertThat(restored.removed()).isGreaterThanOrEqualTo(1);

                assertThat(client.configMaps().withName("added").get()).isNull();
                ConfigMap back = client.configMaps().withName("changed").get();
                assertThat(back.getData()).isEqualTo(Map.of("v", "original"));
                assertThat(back.getMetadata().getUid()).isEqualTo(changed.getMetadata().getUid());
                assertThat(Long.parseLong(back.getMetadata().getResourceVersion())).isGreaterThan(rvAtSnapshot);
                ConfigMap revived = client.configMaps().withName("deleted").get();
                assertThat(revived.getMetadata().getUid()).isEqualTo(deleted.getMetadata().getUid());
                assertThat(revived.getMetadata().getCreationTimestamp()).isEqualTo(deleted.getMetadata().getCreationTimestamp());
                // the informer saw it all as ordinary events, and its cache holds the snapshot's state
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                    assertThat(events).contains("DELETED added", "MODIFIED changed", "ADDED deleted");
                    assertThat(informer.getStore().list()).extracting(c -> c.getMetadata().getName())
                            .contains("kept", "changed", "deleted").doesNotContain("added");
                    assertThat(informer.getStore().getByKey("default/changed").getData()).containsEntry("v", "original");
                });
                assertThat(events).doesNotContain("MODIFIED kept", "DELETED kept");

            } finally {
                informer.close();
            }
        }
    }

    private static String read(KubeCluster cluster, String pod, String path) {
        var c = cluster.container("default", pod, "app");
        return c == null ? null : c.readFile(path).map(b -> new String(b, java.nio.charset.StandardCharsets.UTF_8)).orElse(null);
    }

    @Test
    void restoreBringsBackVolumeFilesDeletedPodsAndNodes() {
        try (KubeCluster cluster = KubeCluster.builder().timeMode(KubeCluster.TimeMode.AUTO).build()) {
            for (String name : List.of("keeper", "victim")) {
                cluster.client().create(new io.fabric8.kubernetes.api.model.PodBuilder().withNewMetadata().withName(name)
                        .withNamespace("default").endMetadata().withNewSpec().addNewContainer().withName("app").withImage("busybox:1.36")
                        .withCommand("sh", "-c", "echo seeded > /scratch/state; echo layer > /tmp/setup; sleep 3600").addNewVolumeMount().withName("scratch")
                        .withMountPath("/scratch").endVolumeMount().endContainer().addNewVolume().withName("scratch").withNewEmptyDir()
                        .endEmptyDir().endVolume().endSpec().build());
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> "layer\n".equals(read(cluster, "keeper", "/tmp/setup"))
                    && "seeded\n".equals(read(cluster, "keeper", "/scratch/state"))
                    && "seeded\n".equals(read(cluster, "victim", "/scratch/state")));
            String victimUid = cluster.pod("default", "victim").get().orElseThrow().getMetadata().getUid();
            var snapshot = cluster.snapshot();

            // the test: a file changed, a pod deleted, a node added and the first node removed
            cluster.container("default", "keeper", "app").writeFile("/scratch/state", "changed\n".getBytes());
            cluster.container("default", "keeper", "app").writeFile("/scratch/extra", "x".getBytes());
            cluster.container("default", "keeper", "app").writeFile("/tmp/layer", "written by the test".getBytes());
            cluster.container("default", "keeper", "app").writeFile("/tmp/setup", "overwritten".getBytes());
            cluster.client().delete(io.fabric8.kubernetes.api.model.Pod.class, "default", "victim",
                    dev.kubetest.core.meta.DeleteOptions.defaults());
            cluster.addNode(dev.kubetest.core.node.NodeConfig.named("extra-node"));
            await().atMost(Duration.ofSeconds(20)).until(() -> cluster.pod("default", "victim").get().isEmpty());

            cluster.restore(snapshot);

            assertThat(read(cluster, "keeper", "/scratch/state")).isEqualTo("seeded\n");
            assertThat(read(cluster, "keeper", "/scratch/extra")).isNull();
            // the container ran through the test: its own files are back too
            assertThat(read(cluster, "keeper", "/tmp/layer")).isNull();
            assertThat(read(cluster, "keeper", "/tmp/setup")).isEqualTo("layer\n");
            assertThat(cluster.nodes().node("extra-node")).isEmpty();
            assertThat(cluster.node("extra-node").get()).isEmpty();
            // the deleted pod is back, with its UID, running again on its emptyDir's files
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                var victim = cluster.pod("default", "victim").get().orElseThrow();
                assertThat(victim.getMetadata().getUid()).isEqualTo(victimUid);
                assertThat(victim.getStatus().getPhase()).isEqualTo("Running");
                assertThat(read(cluster, "victim", "/scratch/state")).isEqualTo("seeded\n");
            });
        }
    }

    @Test
    void manualTimeGoesBackWithTheObjectsAndPendingTimersKeepTheirDelays() {
        try (KubeCluster cluster = KubeCluster.builder().timeMode(KubeCluster.TimeMode.MANUAL).build()) {
            var clock = (dev.kubetest.core.clock.ManualClock) cluster.clock();
            java.time.Instant then = clock.now();
            var snapshot = cluster.snapshot();
            clock.advance(Duration.ofHours(2));
            java.util.concurrent.atomic.AtomicBoolean fired = new java.util.concurrent.atomic.AtomicBoolean();
            clock.scheduleAfter(Duration.ofSeconds(5), () -> fired.set(true));

            cluster.restore(snapshot);

            assertThat(clock.now()).isEqualTo(then);
            clock.advance(Duration.ofSeconds(4));
            assertThat(fired).isFalse();
            clock.advance(Duration.ofSeconds(1));
            assertThat(fired).isTrue();
        }
    }
}
