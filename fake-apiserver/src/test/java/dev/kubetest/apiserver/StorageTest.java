package dev.kubetest.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kubetest.apiserver.support.Kubectl;
import dev.kubetest.apiserver.support.TestServer;
import dev.kubetest.core.KubeCluster;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.storage.StorageClassBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Claims get bound: the default class's simulated provisioner, static volumes, reclaim policies, protection. */
class StorageTest {

    static PersistentVolumeClaim claim(String name, String storageClass, String size) {
        return new PersistentVolumeClaimBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withAccessModes("ReadWriteOnce").withStorageClassName(storageClass)
                .withNewResources().addToRequests("storage", new Quantity(size)).endResources().endSpec().build();
    }

    static PersistentVolumeClaim get(KubernetesClient client, String name) {
        return client.persistentVolumeClaims().inNamespace("default").withName(name).get();
    }

    private static List<String> events(KubernetesClient client, String name) {
        return client.v1().events().inNamespace("default").withField("involvedObject.name", name).list().getItems()
                .stream().map(e -> e.getReason() + ": " + e.getMessage()).toList();
    }

    private static void runPod(KubernetesClient client, String name, String claim, String script) {
        client.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withRestartPolicy("Never").addNewContainer().withName("main").withImage("busybox:1.36")
                .withCommand("sh", "-c", script).addNewVolumeMount().withName("data").withMountPath("/data").endVolumeMount()
                .endContainer().addNewVolume().withName("data").withNewPersistentVolumeClaim().withClaimName(claim)
                .endPersistentVolumeClaim().endVolume().endSpec().build()).create();
    }

    @Test
    void theDefaultClassProvisionsAVolumeForTheFirstPodAndDeletesItWithTheClaim() {
        Kubectl.assumePresent();
        try (TestServer server = new TestServer(KubeCluster.builder().timeMode(KubeCluster.TimeMode.AUTO))) {
            KubernetesClient client = server.fabric8();
            assertThat(client.storage().v1().storageClasses().withName("standard").get().getMetadata().getAnnotations())
                    .containsEntry("storageclass.kubernetes.io/is-default-class", "true");
            client.persistentVolumeClaims().inNamespace("default").resource(claim("data", null, "2Gi")).create();
            PersistentVolumeClaim pending = get(client, "data");
            assertThat(pending.getSpec().getStorageClassName()).isEqualTo("standard");
            assertThat(pending.getMetadata().getFinalizers()).contains("kubernetes.io/pvc-protection");
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(events(client, "data"))
                    .contains("WaitForFirstConsumer: waiting for first consumer to be created before binding"));
            assertThat(get(client, "data").getStatus().getPhase()).isEqualTo("Pending");

            runPod(client, "writer", "data", "echo kept > /data/file; sleep 3600");
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                PersistentVolumeClaim bound = get(client, "data");
                assertThat(bound.getStatus().getPhase()).isEqualTo("Bound");
                assertThat(bound.getSpec().getVolumeName()).isEqualTo("pvc-" + bound.getMetadata().getUid());
                assertThat(bound.getStatus().getCapacity()).containsEntry("storage", new Quantity("2Gi"));
                assertThat(bound.getMetadata().getAnnotations()).containsEntry("pv.kubernetes.io/bind-completed", "yes")
                        .containsEntry("volume.kubernetes.io/storage-provisioner", "kubetest.dev/simulated")
                        .containsKey("volume.kubernetes.io/selected-node");
                assertThat(client.pods().inNamespace("default").withName("writer").get().getStatus().getPhase()).isEqualTo("Running");
            });
            PersistentVolumeClaim bound = get(client, "data");
            PersistentVolume pv = client.persistentVolumes().withName(bound.getSpec().getVolumeName()).get();
            assertThat(pv.getStatus().getPhase()).isEqualTo("Bound");
            assertThat(pv.getSpec().getClaimRef().getUid()).isEqualTo(bound.getMetadata().getUid());
            assertThat(pv.getSpec().getPersistentVolumeReclaimPolicy()).isEqualTo("Delete");
            assertThat(pv.getMetadata().getAnnotations()).containsEntry("pv.kubernetes.io/provisioned-by", "kubetest.dev/simulated");
            assertThat(pv.getMetadata().getFinalizers()).contains("kubernetes.io/pv-protection");
            assertThat(pv.getSpec().getNodeAffinity().getRequired().getNodeSelectorTerms().get(0).getMatchExpressions().get(0)
                    .getValues()).containsExactly(bound.getMetadata().getAnnotations().get("volume.kubernetes.io/selected-node"));
            assertThat(events(client, "data")).contains("ProvisioningSucceeded: Successfully provisioned volume " + pv.getMetadata().getName());
            assertThat(server.kubectl().run("get", "pvc", "data").ok().out())
                    .containsPattern("data\\s+Bound\\s+" + pv.getMetadata().getName() + "\\s+2Gi\\s+RWO\\s+standard");

            // deleting the claim while a pod uses it leaves it Terminating; once the pod is gone, claim and volume go
            client.persistentVolumeClaims().inNamespace("default").withName("data").delete();
            assertThat(get(client, "data").getMetadata().getDeletionTimestamp()).isNotNull();
            await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5)).until(() -> get(client, "data") != null);
            client.pods().inNamespace("default").withName("writer").withGracePeriod(0).delete();
            await().atMost(Duration.ofSeconds(30)).until(() -> get(client, "data") == null
                    && client.persistentVolumes().withName(pv.getMetadata().getName()).get() == null);
        }
    }

    @Test
    void staticVolumesBindTheSmallestThatFitsAndRetainKeepsThemReleased() {
        try (TestServer server = new TestServer(KubeCluster.builder().timeMode(KubeCluster.TimeMode.AUTO))) {
            KubernetesClient client = server.fabric8();
            for (String size : List.of("1Gi", "5Gi", "10Gi")) {
                client.persistentVolumes().resource(new PersistentVolumeBuilder().withNewMetadata().withName("pv-" + size.toLowerCase())
                        .withLabels(Map.of("size", size)).endMetadata().withNewSpec().withCapacity(Map.of("storage", new Quantity(size)))
                        .withAccessModes("ReadWriteOnce").withStorageClassName("manual").withNewHostPath().withPath("/srv/" + size)
                        .endHostPath().endSpec().build()).create();
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> client.persistentVolumes().list().getItems().stream()
                    .allMatch(v -> "Available".equals(v.getStatus().getPhase())));
            client.persistentVolumeClaims().inNamespace("default").resource(claim("mid", "manual", "3Gi")).create();
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                assertThat(get(client, "mid").getStatus().getPhase()).isEqualTo("Bound");
                assertThat(get(client, "mid").getSpec().getVolumeName()).isEqualTo("pv-5gi");
                PersistentVolume pv = client.persistentVolumes().withName("pv-5gi").get();
                assertThat(pv.getStatus().getPhase()).isEqualTo("Bound");
                assertThat(pv.getMetadata().getAnnotations()).containsEntry("pv.kubernetes.io/bound-by-controller", "yes");
            });
            // a claim too big for what is left stays Pending; the class has no StorageClass to provision with
            client.persistentVolumeClaims().inNamespace("default").resource(claim("huge", "manual", "20Gi")).create();
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(events(client, "huge"))
                    .contains("ProvisioningFailed: storageclass.storage.k8s.io \"manual\" not found"));
            assertThat(get(client, "huge").getStatus().getPhase()).isEqualTo("Pending");

            client.persistentVolumeClaims().inNamespace("default").withName("mid").delete();
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                PersistentVolume pv = client.persistentVolumes().withName("pv-5gi").get();
                assertThat(pv.getStatus().getPhase()).isEqualTo("Released");
                assertThat(pv.getSpec().getClaimRef().getName()).isEqualTo("mid");
            });
            // a Released volume is not bound again, even to a claim that fits
            client.persistentVolumeClaims().inNamespace("default").resource(claim("again", "manual", "4Gi")).create();
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(get(client, "again").getSpec().getVolumeName())
                    .isEqualTo("pv-10gi"));

            // a bound volume is protected; forced away (its finalizer removed), its claim is Lost
            client.persistentVolumes().withName("pv-10gi").delete();
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                    assertThat(client.persistentVolumes().withName("pv-10gi").get().getMetadata().getDeletionTimestamp()).isNotNull());
            assertThat(client.persistentVolumes().withName("pv-10gi").get().getMetadata().getFinalizers())
                    .contains("kubernetes.io/pv-protection");
            client.persistentVolumes().withName("pv-10gi").edit(v -> {
                v.getMetadata().setFinalizers(List.of());
                return v;
            });
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                assertThat(get(client, "again").getStatus().getPhase()).isEqualTo("Lost");
                assertThat(events(client, "again")).contains("ClaimLost: Bound claim has lost its PersistentVolume. "
                        + "Data on the volume is lost!");
            });
        }
    }

    @Test
    void anImmediateClassBindsAtOnceAndAPodWaitsForItsUnboundImmediateClaim() {
        try (TestServer server = new TestServer(KubeCluster.builder().timeMode(KubeCluster.TimeMode.AUTO))) {
            KubernetesClient client = server.fabric8();
            client.storage().v1().storageClasses().resource(new StorageClassBuilder().withNewMetadata().withName("fast").endMetadata()
                    .withProvisioner("kubetest.dev/simulated").withVolumeBindingMode("Immediate").withReclaimPolicy("Retain")
                    .build()).create();
            client.persistentVolumeClaims().inNamespace("default").resource(claim("now", "fast", "1Gi")).create();
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(get(client, "now").getStatus().getPhase())
                    .isEqualTo("Bound"));
            PersistentVolume pv = client.persistentVolumes().withName(get(client, "now").getSpec().getVolumeName()).get();
            assertThat(pv.getSpec().getNodeAffinity()).isNull();
            assertThat(pv.getSpec().getPersistentVolumeReclaimPolicy()).isEqualTo("Retain");

            // a class whose provisioner is not here: the claim waits, and so does its pod
            client.storage().v1().storageClasses().resource(new StorageClassBuilder().withNewMetadata().withName("remote").endMetadata()
                    .withProvisioner("ebs.csi.aws.com").withVolumeBindingMode("Immediate").build()).create();
            client.persistentVolumeClaims().inNamespace("default").resource(claim("cloud", "remote", "1Gi")).create();
            runPod(client, "waits", "cloud", "true");
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                assertThat(events(client, "cloud")).anyMatch(e -> e.startsWith("ExternalProvisioning: Waiting for a volume to be "
                        + "created either by the external provisioner 'ebs.csi.aws.com'"));
                assertThat(events(client, "waits")).contains("FailedScheduling: 0/1 nodes are available: pod has unbound "
                        + "immediate PersistentVolumeClaims. preemption: 0/1 nodes are available: 1 Preemption is not helpful "
                        + "for scheduling.");
            });
        }
    }

    @Test
    void claimsGrowWhenTheirClassAllowsItAndReadWriteOncePodAdmitsOnePod() {
        try (TestServer server = new TestServer(KubeCluster.builder().timeMode(KubeCluster.TimeMode.AUTO))) {
            KubernetesClient client = server.fabric8();
            client.persistentVolumeClaims().inNamespace("default").resource(claim("grow", null, "1Gi")).create();
            runPod(client, "user", "grow", "sleep 3600");
            await().atMost(Duration.ofSeconds(20)).until(() -> "Bound".equals(get(client, "grow").getStatus().getPhase()));
            client.persistentVolumeClaims().inNamespace("default").withName("grow").edit(c -> {
                c.getSpec().getResources().getRequests().put("storage", new Quantity("5Gi"));
                return c;
            });
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                assertThat(get(client, "grow").getStatus().getCapacity()).containsEntry("storage", new Quantity("5Gi"));
                assertThat(client.persistentVolumes().withName(get(client, "grow").getSpec().getVolumeName()).get()
                        .getSpec().getCapacity()).containsEntry("storage", new Quantity("5Gi"));
                assertThat(events(client, "grow")).anyMatch(e -> e.startsWith("VolumeResizeSuccessful: resize volume pvc-"));
            });
            // shrinking is invalid; growing a claim of a class without allowVolumeExpansion is forbidden
            assertThat(org.assertj.core.api.Assertions.catchThrowableOfType(() -> client.persistentVolumeClaims()
                    .inNamespace("default").withName("grow").edit(c -> {
                        c.getSpec().getResources().getRequests().put("storage", new Quantity("2Gi"));
                        return c;
                    }), io.fabric8.kubernetes.client.KubernetesClientException.class).getCode()).isEqualTo(422);
            client.storage().v1().storageClasses().resource(new StorageClassBuilder().withNewMetadata().withName("fixed").endMetadata()
                    .withProvisioner("kubetest.dev/simulated").withVolumeBindingMode("Immediate").build()).create();
            PersistentVolumeClaim exclusive = claim("exclusive", "fixed", "1Gi");
            exclusive.getSpec().setAccessModes(List.of("ReadWriteOncePod"));
            client.persistentVolumeClaims().inNamespace("default").resource(exclusive).create();
            await().atMost(Duration.ofSeconds(20)).until(() -> "Bound".equals(get(client, "exclusive").getStatus().getPhase()));
            assertThat(org.assertj.core.api.Assertions.catchThrowableOfType(() -> client.persistentVolumeClaims()
                    .inNamespace("default").withName("exclusive").edit(c -> {
                        c.getSpec().getResources().getRequests().put("storage", new Quantity("3Gi"));
                        return c;
                    }), io.fabric8.kubernetes.client.KubernetesClientException.class))
                    .satisfies(e -> {
                        assertThat(e.getCode()).isEqualTo(403);
                        assertThat(e.getMessage()).contains("only dynamically provisioned pvc can be resized and the "
                                + "storageclass that provisions the pvc must support resize");
                    });

            runPod(client, "first", "exclusive", "sleep 3600");
            await().atMost(Duration.ofSeconds(20)).until(() -> "Running".equals(client.pods().inNamespace("default")
                    .withName("first").get().getStatus().getPhase()));
            runPod(client, "second", "exclusive", "sleep 3600");
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(events(client, "second")).anyMatch(e ->
                    e.startsWith("FailedScheduling: 0/1 nodes are available: node has pod using PersistentVolumeClaim with "
                            + "the same name and ReadWriteOncePod access mode")));
            client.pods().inNamespace("default").withName("first").withGracePeriod(0).delete();
            await().atMost(Duration.ofSeconds(30)).until(() -> "Running".equals(client.pods().inNamespace("default")
                    .withName("second").get().getStatus().getPhase()));
        }
    }
}
