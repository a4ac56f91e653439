package dev.kubetest.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kubetest.apiserver.support.TestServer;
import dev.kubetest.core.KubeCluster;
import dev.kubetest.core.runtime.ContainerProcess;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Pod volumes as containers see them: configMap (and its updates), secret, downwardAPI, emptyDir, the SA token. */
class PodVolumesTest {
    private static String read(TestServer server, String pod, String container, String path) {
        ContainerProcess c = server.cluster().container("default", pod, container);
        return c == null ? null : c.readFile(path).map(b -> new String(b, StandardCharsets.UTF_8)).orElse(null);
    }

    @Test
    void configMapSecretDownwardAndEmptyDirVolumes() {
        try (TestServer server = new TestServer(KubeCluster.builder().timeMode(KubeCluster.TimeMode.AUTO))) {
            KubernetesClient client = server.fabric8();
            client.configMaps().inNamespace("default").resource(new ConfigMapBuilder().withNewMetadata().withName("app-config")
                    .endMetadata().addToData("color", "blue").addToData("size", "10").build()).create();
            client.secrets().inNamespace("default").resource(new SecretBuilder().withNewMetadata().withName("creds").endMetadata()
                    .addToStringData("password", "s3cret").build()).create();
            client.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName("vols")
                    .addToLabels("app", "vols").endMetadata().withNewSpec()
                    .addNewVolume().withName("config").withNewConfigMap().withName("app-config").endConfigMap().endVolume()
                    .addNewVolume().withName("creds").withNewSecret().withSecretName("creds").endSecret().endVolume()
                    .addNewVolume().withName("info").withNewDownwardAPI().addNewItem().withPath("labels")
                    .withNewFieldRef().withFieldPath("metadata.labels").endFieldRef().endItem().endDownwardAPI().endVolume()
                    .addNewVolume().withName("shared").withNewEmptyDir().endEmptyDir().endVolume()
                    .addNewContainer().withName("writer").withImage("busybox")
                    .withCommand("sh", "-c", "cp /etc/config/color /shared/copied; echo hi >> /shared/log; sleep infinity")
                    .addNewVolumeMount().withName("config").withMountPath("/etc/config").endVolumeMount()
                    .addNewVolumeMount().withName("shared").withMountPath("/shared").endVolumeMount().endContainer()
                    .addNewContainer().withName("reader").withImage("busybox").withCommand("sh", "-c", "sleep infinity")
                    .addNewVolumeMount().withName("creds").withMountPath("/etc/creds").withReadOnly(true).endVolumeMount()
                    .addNewVolumeMount().withName("info").withMountPath("/etc/info").endVolumeMount()
                    .addNewVolumeMount().withName("shared").withMountPath("/data").endVolumeMount().endContainer()
                    .endSpec().build()).create();
            client.pods().inNamespace("default").withName("vols").waitUntilReady(30, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                assertThat(read(server, "vols", "writer", "/etc/config/color")).isEqualTo("blue");
                assertThat(read(server, "vols", "writer", "/etc/config/size")).isEqualTo("10");
                assertThat(read(server, "vols", "reader", "/etc/creds/password")).isEqualTo("s3cret");
                assertThat(read(server, "vols", "reader", "/etc/info/labels")).isEqualTo("app=\"vols\"");
                assertThat(read(server, "vols", "reader", "/data/copied")).as("emptyDir shared by both containers").isEqualTo("blue");
                assertThat(read(server, "vols", "reader", "/var/run/secrets/kubernetes.io/serviceaccount/namespace")).isEqualTo("default");
                assertThat(read(server, "vols", "reader", "/var/run/secrets/kubernetes.io/serviceaccount/token")).contains(".");
            });
            client.configMaps().inNamespace("default").withName("app-config")
                    .edit(cm -> new ConfigMapBuilder(cm).addToData("color", "green").build());
            await().atMost(Duration.ofSeconds(20)).until(() -> "green".equals(read(server, "vols", "writer", "/etc/config/color")));
            server.cluster().container("default", "vols", "writer").writeFile("/shared/from-test", "x".getBytes(StandardCharsets.UTF_8));
            assertThat(read(server, "vols", "reader", "/data/from-test")).isEqualTo("x");
        }
    }

    @Test
    void aMissingConfigMapHoldsThePodInContainerCreating() {
        try (TestServer server = new TestServer(KubeCluster.builder().timeMode(KubeCluster.TimeMode.AUTO))) {
            KubernetesClient client = server.fabric8();
            client.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName("waits").endMetadata()
                    .withNewSpec().addNewVolume().withName("c").withNewConfigMap().withName("later").endConfigMap().endVolume()
                    .addNewContainer().withName("main").withImage("nginx").addNewVolumeMount().withName("c").withMountPath("/c")
                    .endVolumeMount().endContainer().endSpec().build()).create();
            await().atMost(Duration.ofSeconds(20)).until(() -> client.v1().events().inNamespace("default")
                    .withField("involvedObject.name", "waits").list().getItems().stream()
                    .anyMatch(e -> e.getReason().equals("FailedMount") && e.getMessage().equals(
                            "MountVolume.SetUp failed for volume \"c\" : configmap \"later\" not found")));
            assertThat(client.pods().inNamespace("default").withName("waits").get().getStatus().getContainerStatuses().get(0)
                    .getState().getWaiting().getReason()).isEqualTo("ContainerCreating");
            client.configMaps().inNamespace("default").resource(new ConfigMapBuilder().withNewMetadata().withName("later")
                    .endMetadata().addToData("k", "v").build()).create();
            client.pods().inNamespace("default").withName("waits").waitUntilReady(30, TimeUnit.SECONDS);
        }
    }

    private static String shellPod(String name, String node, String script, String volume) {
        return "apiVersion: v1\nkind: Pod\nmetadata: {name: " + name + "}\nspec:\n  restartPolicy: Never\n"
                + (node == null ? "" : "  nodeSelector: {kubernetes.io/hostname: " + node + "}\n")
                + "  containers:\n  - name: main\n    image: busybox:1.36\n    command: [sh, -c, '" + script + "']\n"
                + "    volumeMounts: [{name: data, mountPath: /data}]\n  volumes:\n  - name: data\n    " + volume + "\n---\n";
    }

    private static String phase(KubernetesClient client, String pod) {
        var p = client.pods().inNamespace("default").withName(pod).get();
        return p == null || p.getStatus() == null ? null : p.getStatus().getPhase();
    }

    @Test
    void claimsOutliveTheirPodsAndHostPathsBelongToTheirNode() {
        dev.kubetest.apiserver.support.Kubectl.assumePresent();
        try (TestServer server = new TestServer(KubeCluster.builder().timeMode(KubeCluster.TimeMode.AUTO).nodes(2))) {
            KubernetesClient client = server.fabric8();
            String claim = "persistentVolumeClaim: {claimName: data}";
            String host = "hostPath: {path: /var/shared, type: DirectoryOrCreate}";
            server.kubectl().runWithInput("""
                    apiVersion: v1
                    kind: PersistentVolumeClaim
                    metadata: {name: data}
                    spec:
                      accessModes: [ReadWriteOnce]
                      resources: {requests: {storage: 1Gi}}
                    ---
                    """ + shellPod("write-claim", null, "echo saved > /data/file", claim)
                    + shellPod("write-host", "kubetest-node-1", "echo on-node-1 > /data/file", host), "apply", "-f", "-").ok();
            await().atMost(Duration.ofSeconds(30)).until(() -> "Succeeded".equals(phase(client, "write-claim"))
                    && "Succeeded".equals(phase(client, "write-host")));
            server.kubectl().run("delete", "pod", "write-claim", "write-host").ok();

            // the claim's volume was provisioned on the node its first pod went to, and keeps its pods there
            String claimNode = client.persistentVolumeClaims().inNamespace("default").withName("data").get()
                    .getMetadata().getAnnotations().get("volume.kubernetes.io/selected-node");
            server.kubectl().runWithInput(shellPod("read-claim", null, "cat /data/file", claim)
                    + shellPod("read-host-same", "kubetest-node-1", "cat /data/file", host)
                    + shellPod("read-host-other", "kubetest-node-2", "ls /data; cat /data/file", host), "apply", "-f", "-").ok();
            await().atMost(Duration.ofSeconds(30)).until(() -> "Succeeded".equals(phase(client, "read-claim"))
                    && "Succeeded".equals(phase(client, "read-host-same")) && "Failed".equals(phase(client, "read-host-other")));
            assertThat(server.kubectl().run("logs", "read-claim").ok().out()).isEqualTo("saved\n");
            assertThat(client.pods().inNamespace("default").withName("read-claim").get().getSpec().getNodeName())
                    .isEqualTo(claimNode);
            assertThat(server.kubectl().run("logs", "read-host-same").ok().out()).isEqualTo("on-node-1\n");
            assertThat(server.kubectl().run("logs", "read-host-other").ok().out())
                    .isEqualTo("cat: can't open '/data/file': No such file or directory\n");
        }
    }

    @Test
    void missingClaimsAndHostPathsAreReportedAsUpstream() {
        try (TestServer server = new TestServer(KubeCluster.builder().timeMode(KubeCluster.TimeMode.AUTO))) {
            KubernetesClient client = server.fabric8();
            client.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName("no-claim").endMetadata()
                    .withNewSpec().addNewVolume().withName("d").withNewPersistentVolumeClaim().withClaimName("later")
                    .endPersistentVolumeClaim().endVolume().addNewContainer().withName("main").withImage("nginx")
                    .addNewVolumeMount().withName("d").withMountPath("/d").endVolumeMount().endContainer().endSpec().build()).create();
            client.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName("no-dir").endMetadata()
                    .withNewSpec().addNewVolume().withName("h").withNewHostPath().withPath("/srv/missing").withType("Directory")
                    .endHostPath().endVolume().addNewContainer().withName("main").withImage("nginx")
                    .addNewVolumeMount().withName("h").withMountPath("/h").endVolumeMount().endContainer().endSpec().build()).create();
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                var events = client.v1().events().inNamespace("default").list().getItems().stream()
                        .map(e -> e.getInvolvedObject().getName() + " " + e.getReason() + ": " + e.getMessage()).toList();
                assertThat(events).contains("no-claim FailedScheduling: 0/1 nodes are available: persistentvolumeclaim \"later\" "
                        + "not found. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.",
                        "no-dir FailedMount: MountVolume.SetUp failed for volume \"h\" : hostPath type check failed: "
                                + "/srv/missing is not a directory");
            });
            client.persistentVolumeClaims().inNamespace("default").resource(new io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder()
                    .withNewMetadata().withName("later").endMetadata().withNewSpec().withAccessModes("ReadWriteOnce")
                    .withNewResources().addToRequests("storage", new io.fabric8.kubernetes.api.model.Quantity("1Gi")).endResources()
                    .endSpec().build()).create();
            client.pods().inNamespace("default").withName("no-claim").waitUntilReady(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void anEmptyDirOverItsSizeLimitEvictsThePod() {
        try (TestServer server = new TestServer(KubeCluster.builder().timeMode(KubeCluster.TimeMode.AUTO))) {
            KubernetesClient client = server.fabric8();
            for (String name : List.of("small", "big")) {
                String script = name.equals("big") ? "sleep 5; seq 1 1000 > /cache/numbers; sleep infinity" : "echo ok > /cache/f; sleep infinity";
                client.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName(name).endMetadata()
                        .withNewSpec().addNewVolume().withName("cache").withNewEmptyDir().withSizeLimit(new io.fabric8.kubernetes.api.model.Quantity("1Ki"))
                        .endEmptyDir().endVolume().addNewContainer().withName("main").withImage("busybox").withCommand("sh", "-c", script)
                        .addNewVolumeMount().withName("cache").withMountPath("/cache").endVolumeMount().endContainer().endSpec().build()).create();
            }
            String message = "Usage of EmptyDir volume \"cache\" exceeds the limit \"1Ki\". ";
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                var pod = client.pods().inNamespace("default").withName("big").get();
                assertThat(pod.getStatus().getPhase()).isEqualTo("Failed");
                assertThat(pod.getStatus().getReason()).isEqualTo("Evicted");
                assertThat(pod.getStatus().getMessage()).isEqualTo(message);
                assertThat(pod.getStatus().getConditions()).anySatisfy(c -> {
                    assertThat(c.getType()).isEqualTo("DisruptionTarget");
                    assertThat(c.getReason()).isEqualTo("TerminationByKubelet");
                });
            });
            assertThat(client.v1().events().inNamespace("default").withField("involvedObject.name", "big").list().getItems())
                    .anySatisfy(e -> {
                        assertThat(e.getReason()).isEqualTo("Evicted");
                        assertThat(e.getType()).isEqualTo("Warning");
                        assertThat(e.getMessage()).isEqualTo(message);
                    });
            // the pod within its limit was checked at the same moments and keeps running
            assertThat(client.pods().inNamespace("default").withName("small").get().getStatus().getPhase()).isEqualTo("Running");
        }
    }

    @Test
    void aMemoryEmptyDirIsATmpfsOfItsSizeLimitAndCountsAsMemory() {
        try (TestServer server = new TestServer(KubeCluster.builder().timeMode(KubeCluster.TimeMode.AUTO))) {
            KubernetesClient client = server.fabric8();
            client.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName("cache").endMetadata()
                    .withNewSpec().addNewContainer().withName("app").withImage("busybox").withCommand("sleep", "infinity")
                    .addNewVolumeMount().withName("scratch").withMountPath("/cache").endVolumeMount().endContainer()
                    .addNewVolume().withName("scratch").withNewEmptyDir().withMedium("Memory")
                    .withSizeLimit(new io.fabric8.kubernetes.api.model.Quantity("1Mi")).endEmptyDir().endVolume()
                    .endSpec().build()).create();
            client.pods().inNamespace("default").withName("cache").waitUntilReady(30, TimeUnit.SECONDS);
            var full = server.kubectl().run("exec", "cache", "--", "dd", "if=/dev/zero", "of=/cache/fill", "bs=64K", "count=32");
            assertThat(full.exitCode()).isEqualTo(1);
            assertThat(full.err()).contains("dd: error writing '/cache/fill': No space left on device", "+0 records out");
            long size = Long.parseLong(server.kubectl().run("exec", "cache", "--", "wc", "-c", "/cache/fill").ok().out().trim().split("\\s+")[0]);
            assertThat(size).isPositive().isLessThanOrEqualTo(1 << 20);
            var echo = server.kubectl().run("exec", "cache", "--", "sh", "-c", "echo more >> /cache/fill");
            assertThat(echo.exitCode()).isEqualTo(1);
            assertThat(echo.err()).contains("sh: write error: No space left on device");
            assertThat(server.kubectl().run("exec", "cache", "--", "sh", "-c", "echo ok > /tmp/disk && cat /tmp/disk").ok().out())
                    .isEqualTo("ok\n");

            client.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName("greedy").endMetadata()
                    .withNewSpec().withRestartPolicy("Never").addNewContainer().withName("app").withImage("busybox")
                    .withCommand("sh", "-c", "sleep 5; dd if=/dev/zero of=/cache/big bs=1M count=8; sleep infinity")
                    .withNewResources().addToLimits("memory", new io.fabric8.kubernetes.api.model.Quantity("4Mi")).endResources()
                    .addNewVolumeMount().withName("scratch").withMountPath("/cache").endVolumeMount().endContainer()
                    .addNewVolume().withName("scratch").withNewEmptyDir().withMedium("Memory")
                    .withSizeLimit(new io.fabric8.kubernetes.api.model.Quantity("64Mi")).endEmptyDir().endVolume()
                    .endSpec().build()).create();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                var pod = client.pods().inNamespace("default").withName("greedy").get();
                assertThat(pod.getStatus().getPhase()).isEqualTo("Failed");
                assertThat(pod.getStatus().getContainerStatuses().get(0).getState().getTerminated().getReason()).isEqualTo("OOMKilled");
            });
        }
    }
}
