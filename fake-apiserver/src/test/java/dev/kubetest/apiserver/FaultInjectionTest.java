package dev.kubetest.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kubetest.apiserver.support.TestServer;
import dev.kubetest.core.KubeCluster;
import dev.kubetest.core.clock.ManualClock;
import dev.kubetest.runtime.simulated.Behavior;
import dev.kubetest.runtime.simulated.SimulatedContainer;
import dev.kubetest.runtime.simulated.SimulatedRuntime;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Behaviours by annotation or per image, and the Java API acting on running containers. */
class FaultInjectionTest {
    private static Pod server(String name, String behavior) {
        PodBuilder b = new PodBuilder().withNewMetadata().withName(name).endMetadata();
        if (behavior != null) {
            b.editMetadata().addToAnnotations("kubetest.dev/behavior", behavior).endMetadata();
        }
        return b.withNewSpec().addNewContainer().withName("app").withImage("example.com/app:1").addNewPort().withContainerPort(8080).endPort()
                .withNewReadinessProbe().withNewTcpSocket().withNewPort(8080).endTcpSocket().withPeriodSeconds(5).endReadinessProbe()
                .withNewLivenessProbe().withNewHttpGet().withPath("/healthz").withNewPort(8080).endHttpGet()
                .withPeriodSeconds(10).withFailureThreshold(3).endLivenessProbe()
                .endContainer().endSpec().build();
    }

    private static ContainerStatus status(KubernetesClient client, String name) {
        Pod p = client.pods().inNamespace("default").withName(name).get();
        return p == null || p.getStatus().getContainerStatuses() == null || p.getStatus().getContainerStatuses().isEmpty()
                ? null : p.getStatus().getContainerStatuses().get(0);
    }

    @Test
    void annotationsCrashKillForMemoryAndDelayReadiness() {
        try (TestServer server = new TestServer(KubeCluster.builder().timeMode(KubeCluster.TimeMode.MANUAL))) {
            KubernetesClient client = server.fabric8();
            ManualClock clock = (ManualClock) server.cluster().clock();
            client.pods().inNamespace("default").resource(server("slow", "ready-after=20s")).create();
            client.pods().inNamespace("default").resource(server("oom", "oom-after=5s")).create();
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                ContainerStatus s = status(client, "slow");
                return s != null && s.getState().getRunning() != null;
            });
            clock.advance(Duration.ofSeconds(15));
            await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(5)).until(() -> !status(client, "slow").getReady());
            clock.advance(Duration.ofSeconds(10));
            await().atMost(Duration.ofSeconds(20)).until(() -> status(client, "slow").getReady());
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                ContainerStatus s = status(client, "oom");
                assertThat(s).as("the container has a status").isNotNull();
                assertThat(s.getRestartCount()).isGreaterThanOrEqualTo(1);
                assertThat(s.getLastState().getTerminated().getReason()).isEqualTo("OOMKilled");
                assertThat(s.getLastState().getTerminated().getExitCode()).isEqualTo(137);
            });
        }
    }

    @Test
    void behavioursPerImageAndTheJavaApi() {
        try (TestServer server = new TestServer(KubeCluster.builder().timeMode(KubeCluster.TimeMode.AUTO))) {
            KubernetesClient client = server.fabric8();
            ((SimulatedRuntime) server.cluster().runtime()).behavior("example.com/crashy:1", Behavior.crashing());
            client.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName("crashy").endMetadata()
                    .withNewSpec().addNewContainer().withName("app").withImage("example.com/crashy:1").endContainer().endSpec().build()).create();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                ContainerStatus s = status(client, "crashy");
                return s != null && s.getState().getWaiting() != null
                        && "CrashLoopBackOff".equals(s.getState().getWaiting().getReason());
            });

            client.pods().inNamespace("default").resource(server("healthy", null)).create();
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                ContainerStatus s = status(client, "healthy");
                return s != null && s.getReady();
            });
            ((SimulatedContainer) server.cluster().container("default", "healthy", "app")).setHealthy(false);
            await().atMost(Duration.ofSeconds(30)).until(() -> status(client, "healthy").getRestartCount() >= 1);
            assertThat(client.v1().events().inNamespace("default").withField("involvedObject.name", "healthy").list().getItems())
                    .anySatisfy(e -> assertThat(e.getMessage()).isEqualTo("Container app failed liveness probe, will be restarted"));
            server.cluster().container("default", "healthy", "app").kill();
            await().atMost(Duration.ofSeconds(30)).until(() -> status(client, "healthy").getRestartCount() >= 2);
        }
    }

    private static Pod generic(String name, String behavior, String memoryLimit) {
        return new PodBuilder().withNewMetadata().withName(name).addToAnnotations("kubetest.dev/behavior", behavior).endMetadata()
                .withNewSpec().withRestartPolicy("Never").addNewContainer().withName("app").withImage("example.com/worker:2")
                .withNewResources().addToLimits("memory", new io.fabric8.kubernetes.api.model.Quantity(memoryLimit)).endResources()
                .endContainer().endSpec().build();
    }

    @Test
    void memoryOverTheLimitIsOomKilledAndBehavioursLogAndWriteFiles() {
        dev.kubetest.apiserver.support.Kubectl.assumePresent();
        try (TestServer server = new TestServer(KubeCluster.builder().timeMode(KubeCluster.TimeMode.AUTO))) {
            KubernetesClient client = server.fabric8();
            client.pods().inNamespace("default").resource(generic("hungry", "memory=300Mi", "256Mi")).create();
            client.pods().inNamespace("default").resource(generic("fits", "memory=200Mi,log=working,log-every=10s,"
                    + "write=/var/run/app/pid:42", "256Mi")).create();
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                ContainerStatus s = status(client, "hungry");
                assertThat(s).as("the container has a status").isNotNull();
                assertThat(s.getState().getTerminated()).isNotNull();
                assertThat(s.getState().getTerminated().getReason()).isEqualTo("OOMKilled");
                assertThat(s.getState().getTerminated().getExitCode()).isEqualTo(137);
            });
            assertThat(client.pods().inNamespace("default").withName("hungry").get().getStatus().getPhase()).isEqualTo("Failed");
            assertThat(server.kubectl().run("get", "pod", "hungry").ok().out()).containsPattern("hungry\\s+0/1\\s+OOMKilled");

            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(server.kubectl().run("logs", "fits").ok().out())
                    .startsWith("working\nworking\nworking\n"));
            assertThat(status(client, "fits").getState().getRunning()).isNotNull();
            assertThat(server.cluster().container("default", "fits", "app").readFile("/var/run/app/pid"))
                    .hasValueSatisfying(b -> assertThat(new String(b, java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("42"));
        }
    }

    /** The upstream "Assign Memory Resources to Containers and Pods" examples, unchanged. */
    @Test
    void theMemoryLimitExamplesFromTheDocs(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        dev.kubetest.apiserver.support.Kubectl.assumePresent();
        try (TestServer server = new TestServer(KubeCluster.builder().timeMode(KubeCluster.TimeMode.AUTO))) {
            java.nio.file.Path fits = dir.resolve("memory-request-limit.yaml");
            java.nio.file.Files.writeString(fits, """
                    apiVersion: v1
                    kind: Pod
                    metadata:
                      name: memory-demo
                      namespace: mem-example
                    spec:
                      containers:
                      - name: memory-demo-ctr
                        image: polinux/stress
                        resources:
                          requests:
                            memory: "100Mi"
                          limits:
                            memory: "200Mi"
                        command: ["stress"]
                        args: ["--vm", "1", "--vm-bytes", "150M", "--vm-hang", "1"]
                    """);
            java.nio.file.Path over = dir.resolve("memory-request-limit-2.yaml");
            java.nio.file.Files.writeString(over, """
                    apiVersion: v1
                    kind: Pod
                    metadata:
                      name: memory-demo-2
                      namespace: mem-example
                    spec:
                      containers:
                      - name: memory-demo-2-ctr
                        image: polinux/stress
                        resources:
                          requests:
                            memory: "50Mi"
                          limits:
                            memory: "100Mi"
                        command: ["stress"]
                        args: ["--vm", "1", "--vm-bytes", "250M", "--vm-hang", "1"]
                    """);
            var k = server.kubectl();
            k.run("create", "namespace", "mem-example").ok();
            k.run("apply", "-f", fits.toString()).ok();
            k.run("apply", "-f", over.toString()).ok();
            KubernetesClient client = server.fabric8();
            client.pods().inNamespace("mem-example").withName("memory-demo").waitUntilReady(30, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(k.run("logs", "memory-demo", "-n", "mem-example").ok().out())
                    .isEqualTo("stress: info: [1] dispatching hogs: 0 cpu, 0 io, 1 vm, 0 hdd\n");
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                ContainerStatus s = client.pods().inNamespace("mem-example").withName("memory-demo-2").get().getStatus()
                        .getContainerStatuses().get(0);
                assertThat(s.getRestartCount()).isGreaterThanOrEqualTo(2);
                assertThat(s.getLastState().getTerminated().getReason()).isEqualTo("OOMKilled");
                assertThat(s.getLastState().getTerminated().getExitCode()).isEqualTo(137);
            });
            // (between a restart and its OOM kill the pod is Running for a moment, as on a real cluster)
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(k.run("get", "pod", "memory-demo-2", "-n",
                    "mem-example").ok().out()).containsPattern("memory-demo-2\\s+0/1\\s+(OOMKilled|CrashLoopBackOff)\\s+[2-9]"));
            assertThat(client.pods().inNamespace("mem-example").withName("memory-demo").get().getStatus()
                    .getContainerStatuses().get(0).getRestartCount()).isZero();
        }
    }

    @Test
    void aProbeRedirectedToAnotherHostSucceedsWithAProbeWarning() {
        try (TestServer server = new TestServer(KubeCluster.builder().timeMode(KubeCluster.TimeMode.AUTO))) {
            KubernetesClient client = server.fabric8();
            client.pods().inNamespace("default").resource(new io.fabric8.kubernetes.api.model.PodBuilder()
                    .withNewMetadata().withName("sso").addToAnnotations("kubetest.dev/behavior", "redirect=http://login.example.com/")
                    .endMetadata().withNewSpec().addNewContainer().withName("app").withImage("example/app:1")
                    .addNewPort().withName("http").withContainerPort(8080).endPort()
                    .withNewReadinessProbe().withNewHttpGet().withPath("/healthz").withNewPort("http").endHttpGet()
                    .withPeriodSeconds(5).endReadinessProbe().endContainer().endSpec().build()).create();
            client.pods().inNamespace("default").withName("sso").waitUntilReady(30, java.util.concurrent.TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(client.v1().events().inNamespace("default")
                    .withField("involvedObject.name", "sso").list().getItems())
                    .anySatisfy(e -> {
                        assertThat(e.getType()).isEqualTo("Warning");
                        assertThat(e.getReason()).isEqualTo("ProbeWarning");
                        assertThat(e.getMessage()).isEqualTo("Readiness probe warning: Probe terminated redirects, Response body: "
                                + "<a href=\"http://login.example.com/\">Found</a>.\n\n");
                    }));

            // a named port that nginx answers with 404 makes the probe fail, as upstream
            client.pods().inNamespace("default").resource(new io.fabric8.kubernetes.api.model.PodBuilder()
                    .withNewMetadata().withName("web").endMetadata().withNewSpec().addNewContainer().withName("nginx")
                    .withImage("nginx:1.27").addNewPort().withName("web").withContainerPort(80).endPort()
                    .withNewReadinessProbe().withNewHttpGet().withPath("/missing").withNewPort("web").endHttpGet()
                    .withPeriodSeconds(5).endReadinessProbe().endContainer().endSpec().build()).create();
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(client.v1().events().inNamespace("default")
                    .withField("involvedObject.name", "web").list().getItems())
                    .anySatisfy(e -> assertThat(e.getMessage()).isEqualTo("Readiness probe failed: HTTP probe failed with statuscode: 404")));
        }
    }
}
