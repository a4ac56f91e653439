package dev.kubetest.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kubetest.apiserver.support.Kubectl;
import dev.kubetest.apiserver.support.TestServer;
import dev.kubetest.core.KubeCluster;
import dev.kubetest.core.clock.ManualClock;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Pods run: scheduling, the kubelet's lifecycle, restarts with back-off, probes, init containers, sidecars. */
class PodLifecycleTest {

    private static Pod shellPod(String name, String restartPolicy, String script) {
        return new PodBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withRestartPolicy(restartPolicy)
                .addNewContainer().withName("main").withImage("busybox:1.36").withCommand("sh", "-c", script).endContainer()
                .endSpec().build();
    }

    private static ContainerStatus status(KubernetesClient client, String name) {
        Pod p = client.pods().inNamespace("default").withName(name).get();
        if (p == null || p.getStatus() == null || p.getStatus().getContainerStatuses() == null
                || p.getStatus().getContainerStatuses().isEmpty()) {
            return null;
        }
        return p.getStatus().getContainerStatuses().get(0);
    }

    private static List<String> events(KubernetesClient client, String pod) {
        return client.v1().events().inNamespace("default").withField("involvedObject.name", pod).list().getItems().stream()
                .map(e -> e.getReason() + ": " + e.getMessage()).toList();
    }

    @Test
    void aServerPodIsScheduledStartedAndReady() {
        try (TestServer server = new TestServer(KubeCluster.builder().timeMode(KubeCluster.TimeMode.AUTO))) {
            KubernetesClient client = server.fabric8();
            client.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName("web").endMetadata()
                    .withNewSpec().addNewContainer().withName("nginx").withImage("nginx:1.27").addNewPort().withContainerPort(80).endPort()
                    .withNewReadinessProbe().withNewHttpGet().withPath("/").withNewPort(80).endHttpGet().endReadinessProbe()
                    .endContainer().endSpec().build()).create();
            Pod ready = client.pods().inNamespace("default").withName("web").waitUntilReady(30, TimeUnit.SECONDS);
            assertThat(ready.getStatus().getPhase()).isEqualTo("Running");
            assertThat(ready.getSpec().getNodeName()).isEqualTo("kubetest-node-1");
            assertThat(ready.getStatus().getPodIP()).startsWith("10.244.0.");
            assertThat(ready.getStatus().getHostIP()).isEqualTo("172.18.0.2");
            assertThat(ready.getStatus().getStartTime()).isNotNull();
            assertThat(ready.getStatus().getConditions()).extracting(PodCondition::getType)
                    .contains("PodScheduled", "PodReadyToStartContainers", "Initialized", "ContainersReady", "Ready");
            ContainerStatus cs = ready.getStatus().getContainerStatuses().get(0);
            assertThat(cs.getReady()).isTrue();
            assertThat(cs.getState().getRunning().getStartedAt()).isNotNull();
            assertThat(cs.getContainerID()).matches("containerd://[0-9a-f]{64}");
            assertThat(events(client, "web")).contains("Scheduled: Successfully assigned default/web to kubetest-node-1",
                    "Pulling: Pulling image \"nginx:1.27\"", "Created: Created container: nginx", "Started: Started container nginx");
            if (Kubectl.binary() != null) {
                String table = server.kubectl().run("get", "pods").ok().out();
                assertThat(table).containsPattern("web\\s+1/1\\s+Running\\s+0");
            }
        }
    }

    @Test
    void aCrashingContainerBacksOffTenTwentyFortyUpToFiveMinutes() {
        try (TestServer server = new TestServer(KubeCluster.builder().timeMode(KubeCluster.TimeMode.MANUAL))) {
            KubernetesClient client = server.fabric8();
            ManualClock clock = (ManualClock) server.cluster().clock();
            client.pods().inNamespace("default").resource(shellPod("crash", "Always", "echo failing; exit 1")).create();
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                ContainerStatus s = status(client, "crash");
                assertThat(s).isNotNull();
                assertThat(s.getRestartCount()).isEqualTo(1);
                assertThat(s.getState().getWaiting().getReason()).isEqualTo("CrashLoopBackOff");
                assertThat(s.getLastState().getTerminated().getExitCode()).isEqualTo(1);
                assertThat(s.getLastState().getTerminated().getReason()).isEqualTo("Error");
            });
            int restarts = 1;
            for (int delay : new int[] {10, 20, 40, 80, 160, 300, 300}) {
                clock.advance(Duration.ofSeconds(delay - 1));
                int before = restarts;
                await().during(Duration.ofMillis(100)).atMost(Duration.ofSeconds(5))
                        .until(() -> status(client, "crash").getRestartCount() == before);
                clock.advance(Duration.ofSeconds(1));
                restarts++;
                int expected = restarts;
                await().atMost(Duration.ofSeconds(20)).until(() -> status(client, "crash").getRestartCount() == expected);
            }
            assertThat(status(client, "crash").getState().getWaiting().getMessage()).startsWith("back-off 5m0s restarting failed container=main pod=crash_default(");
            assertThat(events(client, "crash")).anyMatch(e -> e.startsWith("BackOff: Back-off restarting failed container main in pod crash_default("));
        }
    }

    @Test
    void fiveRestartsTakeMillisecondsWithTimeSkipping() {
        try (TestServer server = new TestServer(KubeCluster.builder().timeMode(KubeCluster.TimeMode.AUTO))) {
            KubernetesClient client = server.fabric8();
            client.pods().inNamespace("default").resource(shellPod("skip", "Always", "exit 2")).create();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                ContainerStatus s = status(client, "skip");
                return s != null && s.getRestartCount() >= 5;
            });
            Pod p = client.pods().inNamespace("default").withName("skip").get();
            assertThat(p.getStatus().getPhase()).isEqualTo("Running");
            if (Kubectl.binary() != null) {
                assertThat(server.kubectl().run("get", "pod", "skip").ok().out()).contains("CrashLoopBackOff");
            }
        }
    }

    @Test
    void theLivenessExampleFromTheDocsRestartsTheContainer() {
        try (TestServer server = new TestServer(KubeCluster.builder().timeMode(KubeCluster.TimeMode.AUTO))) {
            KubernetesClient client = server.fabric8();
            client.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName("liveness-exec")
                    .addToLabels("test", "liveness").endMetadata().withNewSpec()
                    .addNewContainer().withName("liveness").withImage("registry.k8s.io/busybox")
                    .withArgs("/bin/sh", "-c", "touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600")
                    .withNewLivenessProbe().withNewExec().withCommand("cat", "/tmp/healthy").endExec()
                    .withInitialDelaySeconds(5).withPeriodSeconds(5).endLivenessProbe().endContainer().endSpec().build()).create();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                ContainerStatus s = status(client, "liveness-exec");
                return s != null && s.getRestartCount() >= 1;
            });
            assertThat(events(client, "liveness-exec"))
                    .anyMatch(e -> e.startsWith("Unhealthy: Liveness probe failed: cat: can't open '/tmp/healthy': No such file or directory"))
                    .contains("Killing: Container liveness failed liveness probe, will be restarted");
            ContainerStatus s = status(client, "liveness-exec");
            // sh as PID 1 ignores SIGTERM: the restart kills it at the end of the grace period, as on a real node
            assertThat(s.getLastState().getTerminated().getExitCode()).isEqualTo(137);
        }
    }

    @Test
    void initContainersGateTheMainOnesAndSidecarsStopLast() {
        try (TestServer server = new TestServer(KubeCluster.builder().timeMode(KubeCluster.TimeMode.MANUAL))) {
            KubernetesClient client = server.fabric8();
            ManualClock clock = (ManualClock) server.cluster().clock();
            client.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName("staged").endMetadata()
                    .withNewSpec().withRestartPolicy("Never")
                    .addNewInitContainer().withName("wait").withImage("busybox").withCommand("sh", "-c", "sleep 20; echo ready > /tmp/x").endInitContainer()
                    .addNewInitContainer().withName("proxy").withImage("busybox").withRestartPolicy("Always")
                    .withCommand("sh", "-c", "while true; do sleep 5; done").endInitContainer()
                    .addNewContainer().withName("job").withImage("busybox").withCommand("sh", "-c", "sleep 30; echo finished").endContainer()
                    .endSpec().build()).create();
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                Pod p = client.pods().inNamespace("default").withName("staged").get();
                assertThat(p.getStatus().getPhase()).isEqualTo("Pending");
                assertThat(p.getStatus().getInitContainerStatuses().get(0).getState().getRunning()).isNotNull();
                assertThat(p.getStatus().getContainerStatuses().get(0).getState().getWaiting().getReason()).isEqualTo("PodInitializing");
            });
            if (Kubectl.binary() != null) {
                assertThat(server.kubectl().run("get", "pod", "staged").ok().out()).containsPattern("staged\\s+0/2\\s+Init:0/2");
            }
            clock.advance(Duration.ofSeconds(20));
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                Pod p = client.pods().inNamespace("default").withName("staged").get();
                assertThat(p.getStatus().getPhase()).isEqualTo("Running");
                assertThat(p.getStatus().getContainerStatuses().get(0).getState().getRunning()).isNotNull();
                assertThat(p.getStatus().getInitContainerStatuses().get(1).getState().getRunning()).isNotNull();
            });
            clock.advance(Duration.ofSeconds(30));
            // the sidecar, a shell without a trap, ignores SIGTERM as PID 1: it is killed when its grace period ends
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
                clock.advance(Duration.ofSeconds(5));
                return "Succeeded".equals(client.pods().inNamespace("default").withName("staged").get().getStatus().getPhase());
            });
            Pod done = client.pods().inNamespace("default").withName("staged").get();
            var sidecar = done.getStatus().getInitContainerStatuses().get(1);
            var main = done.getStatus().getContainerStatuses().get(0);
            assertThat(main.getState().getTerminated().getReason()).isEqualTo("Completed");
            assertThat(sidecar.getState().getTerminated()).as("the sidecar was stopped").isNotNull();
            assertThat(sidecar.getState().getTerminated().getExitCode()).as("killed at the end of its grace period").isEqualTo(137);
            assertThat(sidecar.getState().getTerminated().getFinishedAt())
                    .isGreaterThanOrEqualTo(main.getState().getTerminated().getFinishedAt());
        }
    }

    @Test
    void jobStylePodsSucceedOrFailAndHugeRequestsStayPending() {
        try (TestServer server = new TestServer(KubeCluster.builder().timeMode(KubeCluster.TimeMode.AUTO).nodes(3))) {
            KubernetesClient client = server.fabric8();
            client.pods().inNamespace("default").resource(shellPod("ok", "Never", "echo done")).create();
            client.pods().inNamespace("default").resource(shellPod("bad", "Never", "exit 7")).create();
            client.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName("huge").endMetadata()
                    .withNewSpec().addNewContainer().withName("c").withImage("nginx").withNewResources()
                    .addToRequests("cpu", new io.fabric8.kubernetes.api.model.Quantity("64")).endResources().endContainer()
                    .endSpec().build()).create();
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    "Succeeded".equals(client.pods().inNamespace("default").withName("ok").get().getStatus().getPhase())
                            && "Failed".equals(client.pods().inNamespace("default").withName("bad").get().getStatus().getPhase()));
            assertThat(status(client, "bad").getState().getTerminated().getExitCode()).isEqualTo(7);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                Pod huge = client.pods().inNamespace("default").withName("huge").get();
                assertThat(huge.getStatus().getPhase()).isEqualTo("Pending");
                assertThat(huge.getStatus().getConditions()).anySatisfy(c -> {
                    assertThat(c.getType()).isEqualTo("PodScheduled");
                    assertThat(c.getReason()).isEqualTo("Unschedulable");
                    assertThat(c.getMessage()).isEqualTo("0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 "
                            + "nodes are available: 3 No preemption victims found for incoming pod.");
                });
            });
            assertThat(events(client, "huge")).anyMatch(e -> e.startsWith("FailedScheduling: 0/3 nodes are available: 3 Insufficient cpu."));
            if (Kubectl.binary() != null) {
                String table = server.kubectl().run("get", "pods").ok().out();
                assertThat(table).containsPattern("ok\\s+0/1\\s+Completed").containsPattern("bad\\s+0/1\\s+Error")
                        .containsPattern("huge\\s+0/1\\s+Pending");
                assertThat(server.kubectl().run("logs", "ok").ok().out()).isEqualTo("done\n");
            }
        }
    }

    @Test
    void missingImagesAndConfigurationAreReportedAsUpstream() {
        try (TestServer server = new TestServer(KubeCluster.builder().timeMode(KubeCluster.TimeMode.AUTO))) {
            KubernetesClient client = server.fabric8();
            client.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName("noimage").endMetadata()
                    .withNewSpec().addNewContainer().withName("c").withImage("example.com/does-not-exist:1").endContainer()
                    .endSpec().build()).create();
            client.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName("noconfig").endMetadata()
                    .withNewSpec().addNewContainer().withName("c").withImage("busybox").addNewEnv().withName("X")
                    .withNewValueFrom().withNewConfigMapKeyRef().withName("missing").withKey("k").endConfigMapKeyRef()
                    .endValueFrom().endEnv().endContainer().endSpec().build()).create();
            // a status may not be written yet (null): ignoreExceptions retries those reads too
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
                assertThat(status(client, "noimage").getState().getWaiting().getReason()).isIn("ErrImagePull", "ImagePullBackOff");
                assertThat(status(client, "noconfig").getState().getWaiting().getReason()).isEqualTo("CreateContainerConfigError");
                assertThat(status(client, "noconfig").getState().getWaiting().getMessage()).isEqualTo("configmap \"missing\" not found");
            });
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() ->
                    "ImagePullBackOff".equals(status(client, "noimage").getState().getWaiting().getReason()));
        }
    }

    @Test
    void deletingARunningPodStopsItsContainersGracefully() {
        try (TestServer server = new TestServer(KubeCluster.builder().timeMode(KubeCluster.TimeMode.AUTO))) {
            KubernetesClient client = server.fabric8();
            client.pods().inNamespace("default").resource(shellPod("graceful", "Always",
                    "trap 'echo stopping; exit 0' TERM; while true; do sleep 1; done")).create();
            client.pods().inNamespace("default").withName("graceful").waitUntilReady(30, TimeUnit.SECONDS);
            client.pods().inNamespace("default").withName("graceful").delete();
            Pod terminating = client.pods().inNamespace("default").withName("graceful").get();
            if (terminating != null) {
                assertThat(terminating.getMetadata().getDeletionGracePeriodSeconds()).isEqualTo(30L);
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> client.pods().inNamespace("default").withName("graceful").get() == null);
            List<Event> events = client.v1().events().inNamespace("default").withField("involvedObject.name", "graceful").list().getItems();
            assertThat(events).anySatisfy(e -> assertThat(e.getMessage()).isEqualTo("Stopping container main"));
        }
    }

    @Test
    void lifecycleHooksRunAndDeadlinesFailThePod() {
        try (TestServer server = new TestServer(KubeCluster.builder().timeMode(KubeCluster.TimeMode.MANUAL))) {
            KubernetesClient client = server.fabric8();
            ManualClock clock = (ManualClock) server.cluster().clock();
            client.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName("hooked").endMetadata()
                    .withNewSpec().addNewVolume().withName("shared").withNewEmptyDir().endEmptyDir().endVolume()
                    .addNewContainer().withName("main").withImage("busybox").withCommand("sh", "-c", "sleep 3600")
                    .addNewVolumeMount().withName("shared").withMountPath("/shared").endVolumeMount()
                    .withNewLifecycle().withNewPostStart().withNewExec().withCommand("sh", "-c", "echo started > /shared/post")
                    .endExec().endPostStart().withNewPreStop().withNewExec().withCommand("sh", "-c", "echo stopping > /shared/pre; sleep 5")
                    .endExec().endPreStop().endLifecycle().endContainer()
                    .addNewContainer().withName("watcher").withImage("busybox").withCommand("sh", "-c", "sleep 3600")
                    .addNewVolumeMount().withName("shared").withMountPath("/shared").endVolumeMount().endContainer()
                    .endSpec().build()).create();
            client.pods().inNamespace("default").withName("hooked").waitUntilReady(30, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(20)).until(() -> server.cluster().container("default", "hooked", "watcher")
                    .readFile("/shared/post").isPresent());
            var watcher = server.cluster().container("default", "hooked", "watcher");
            client.pods().inNamespace("default").withName("hooked").withGracePeriod(30).delete();
            await().atMost(Duration.ofSeconds(20)).until(() -> watcher.readFile("/shared/pre").isPresent());
            assertThat(watcher.readFile("/shared/pre").map(String::new)).contains("stopping\n");
            assertThat(client.pods().inNamespace("default").withName("hooked").get())
                    .as("the preStop hook still sleeps: the pod is Terminating").isNotNull();
            if (Kubectl.binary() != null) {
                assertThat(server.kubectl().run("get", "pod", "hooked").ok().out()).contains("Terminating");
            }
            clock.advance(Duration.ofSeconds(5));
            // then SIGTERM, which the shells (PID 1, no trap) ignore: SIGKILL when the rest of the 30 s is over
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).until(() -> {
                clock.advance(Duration.ofSeconds(5));
                return client.pods().inNamespace("default").withName("hooked").get() == null;
            });
            assertThat(events(client, "hooked")).contains("Killing: Stopping container main");

            client.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName("deadline").endMetadata()
                    .withNewSpec().withActiveDeadlineSeconds(60L).withRestartPolicy("Never")
                    .addNewContainer().withName("main").withImage("busybox").withCommand("sleep", "3600").endContainer()
                    .endSpec().build()).create();
            await().atMost(Duration.ofSeconds(20)).until(() -> "Running".equals(
                    client.pods().inNamespace("default").withName("deadline").get().getStatus().getPhase()));
            clock.advance(Duration.ofSeconds(60));
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
                clock.advance(Duration.ofSeconds(5)); // the grace period of the kill
                Pod p = client.pods().inNamespace("default").withName("deadline").get();
                assertThat(p.getStatus().getPhase()).isEqualTo("Failed");
                assertThat(p.getStatus().getReason()).isEqualTo("DeadlineExceeded");
            });
            assertThat(events(client, "deadline")).contains("DeadlineExceeded: Pod was active on the node longer than the specified deadline");
        }
    }
}
