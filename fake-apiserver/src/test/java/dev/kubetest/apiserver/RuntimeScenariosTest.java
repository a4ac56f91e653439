package dev.kubetest.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kubetest.apiserver.support.Kubectl;
import dev.kubetest.apiserver.support.Runtimes;
import dev.kubetest.apiserver.support.TestServer;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.ExecWatch;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The same scenarios, manifests and assertions on both container runtimes (issue #27): the simulated one and real
 * containers on Docker (busybox), both in real time (a skipping clock would end a container's {@code sleep 600}
 * while a test waits for kubectl), so the manifests keep their waits short.
 */
class RuntimeScenariosTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    private static Pod pod(KubernetesClient client, String name) {
        return client.pods().inNamespace("default").withName(name).get();
    }

    private static ContainerStatus status(KubernetesClient client, String name, String container) {
        Pod p = pod(client, name);
        if (p == null || p.getStatus() == null || p.getStatus().getContainerStatuses() == null) {
            return null;
        }
        return p.getStatus().getContainerStatuses().stream().filter(s -> s.getName().equals(container)).findFirst().orElse(null);
    }

    private static List<String> events(KubernetesClient client, String pod) {
        return client.v1().events().inNamespace("default").withField("involvedObject.name", pod).list().getItems().stream()
                .map(e -> e.getReason() + ": " + e.getMessage()).toList();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"simulated", "docker"})
    void aPodRunsItsCommandAndItsOutputIsInTheLog(String runtime) {
        try (TestServer server = new TestServer(Runtimes.builder(runtime))) {
            KubernetesClient client = server.fabric8();
            client.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName("hello").endMetadata()
                    .withNewSpec().addNewContainer().withName("main").withImage("busybox")
                    .withCommand("sh", "-c", "echo hello from $(hostname) as $GREETING; sleep 600")
                    .addNewEnv().withName("GREETING").withValue("env").endEnv().endContainer().endSpec().build()).create();
            await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> {
                Pod p = pod(client, "hello");
                assertThat(p.getStatus().getPhase()).isEqualTo("Running");
                assertThat(p.getStatus().getPodIP()).isNotBlank();
                assertThat(client.pods().inNamespace("default").withName("hello").getLog()).isEqualTo("hello from hello as env\n");
            });
            assertThat(status(client, "hello", "main").getContainerID()).startsWith(runtime.equals("docker") ? "docker://" : "");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"simulated", "docker"})
    void aFailingLivenessProbeRestartsTheContainer(String runtime) {
        try (TestServer server = new TestServer(Runtimes.builder(runtime))) {
            KubernetesClient client = server.fabric8();
            client.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName("liveness-exec").endMetadata()
                    .withNewSpec().withTerminationGracePeriodSeconds(1L)
                    .addNewContainer().withName("liveness").withImage("busybox")
                    .withArgs("/bin/sh", "-c", "touch /tmp/healthy; sleep 2; rm -f /tmp/healthy; sleep 600")
                    .withNewLivenessProbe().withNewExec().withCommand("cat", "/tmp/healthy").endExec()
                    .withPeriodSeconds(1).withFailureThreshold(1).endLivenessProbe().endContainer().endSpec().build()).create();
            await().atMost(WAIT).ignoreExceptions().until(() -> status(client, "liveness-exec", "liveness").getRestartCount() >= 1);
            assertThat(events(client, "liveness-exec"))
                    .anyMatch(e -> e.startsWith("Unhealthy: Liveness probe failed: cat: can't open '/tmp/healthy': No such file or directory"))
                    .contains("Killing: Container liveness failed liveness probe, will be restarted");
            // sh as PID 1 without a trap ignores SIGTERM on both runtimes: killed at the end of the 1 s grace period
            ContainerStatus restarted = status(client, "liveness-exec", "liveness");
            assertThat(restarted.getLastState().getTerminated().getReason()).isEqualTo("Error");
            assertThat(restarted.getLastState().getTerminated().getExitCode()).isEqualTo(137);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"simulated", "docker"})
    void aCrashingContainerGoesIntoCrashLoopBackOff(String runtime) {
        try (TestServer server = new TestServer(Runtimes.builder(runtime))) {
            KubernetesClient client = server.fabric8();
            client.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName("crash").endMetadata()
                    .withNewSpec().addNewContainer().withName("main").withImage("busybox")
                    .withCommand("sh", "-c", "date +%s >> /starts/times; echo about to fail; exit 3")
                    .addNewVolumeMount().withName("starts").withMountPath("/starts").endVolumeMount().endContainer()
                    .addNewVolume().withName("starts").withNewEmptyDir().endEmptyDir().endVolume()
                    .endSpec().build()).create();
            await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> {
                ContainerStatus s = status(client, "crash", "main");
                assertThat(s.getState().getWaiting().getReason()).isEqualTo("CrashLoopBackOff");
                assertThat(s.getLastState().getTerminated().getExitCode()).isEqualTo(3);
                assertThat(s.getLastState().getTerminated().getReason()).isEqualTo("Error");
            });
            // back-off: the first restart at once, the next after 10 s (each start is noted in the pod's emptyDir)
            await().atMost(WAIT).ignoreExceptions().until(() -> status(client, "crash", "main").getRestartCount() >= 2);
            String uid = pod(client, "crash").getMetadata().getUid();
            List<Long> starts = new String(server.cluster().runtime().volume(uid, "starts").read("times").orElseThrow(),
                    StandardCharsets.UTF_8).lines().map(Long::parseLong).toList();
            assertThat(starts).hasSizeGreaterThanOrEqualTo(3);
            assertThat(starts.get(1) - starts.get(0)).isLessThan(5);
            assertThat(starts.get(2) - starts.get(1)).isGreaterThanOrEqualTo(10);
            // the crashed instance's output (kubectl logs --previous): the current one may already have restarted
            await().atMost(WAIT).ignoreExceptions().untilAsserted(() ->
                    assertThat(client.pods().inNamespace("default").withName("crash").terminated().getLog()).contains("about to fail"));
            assertThat(events(client, "crash")).anyMatch(e -> e.startsWith("BackOff: Back-off restarting failed container main"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"simulated", "docker"})
    void anInitContainerPreparesAnEmptyDirThatTwoContainersShare(String runtime) {
        try (TestServer server = new TestServer(Runtimes.builder(runtime))) {
            KubernetesClient client = server.fabric8();
            client.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName("shared").endMetadata()
                    .withNewSpec()
                    .addNewInitContainer().withName("prepare").withImage("busybox")
                    .withCommand("sh", "-c", "echo prepared > /work/init.txt")
                    .addNewVolumeMount().withName("work").withMountPath("/work").endVolumeMount().endInitContainer()
                    .addNewContainer().withName("writer").withImage("busybox")
                    .withCommand("sh", "-c", "cat /work/init.txt > /work/msg; echo written >> /work/msg; sleep 600")
                    .addNewVolumeMount().withName("work").withMountPath("/work").endVolumeMount().endContainer()
                    .addNewContainer().withName("reader").withImage("busybox")
                    .withCommand("sh", "-c", "until [ -f /shared/msg ]; do sleep 1; done; sleep 1; cat /shared/msg; sleep 600")
                    .addNewVolumeMount().withName("work").withMountPath("/shared").endVolumeMount().endContainer()
                    .addNewVolume().withName("work").withNewEmptyDir().endEmptyDir().endVolume()
                    .endSpec().build()).create();
            await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> {
                assertThat(pod(client, "shared").getStatus().getPhase()).isEqualTo("Running");
                assertThat(client.pods().inNamespace("default").withName("shared").inContainer("reader").getLog())
                        .isEqualTo("prepared\nwritten\n");
            });
            // the same file seen through the harness's file API, from the other container
            assertThat(server.cluster().container("default", "shared", "reader").readFile("/shared/msg"))
                    .hasValueSatisfying(b -> assertThat(new String(b, StandardCharsets.UTF_8)).isEqualTo("prepared\nwritten\n"));
            assertThat(pod(client, "shared").getStatus().getInitContainerStatuses().get(0).getState().getTerminated().getReason())
                    .isEqualTo("Completed");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"simulated", "docker"})
    void aConfigMapVolumeIsUpdatedInPlace(String runtime) {
        try (TestServer server = new TestServer(Runtimes.builder(runtime))) {
            KubernetesClient client = server.fabric8();
            client.configMaps().inNamespace("default").resource(new ConfigMapBuilder().withNewMetadata().withName("settings")
                    .endMetadata().addToData("mode", "first").build()).create();
            client.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName("reads-config").endMetadata()
                    .withNewSpec().addNewContainer().withName("main").withImage("busybox")
                    .withCommand("sh", "-c", "sleep 600")
                    .addNewVolumeMount().withName("config").withMountPath("/etc/app").endVolumeMount().endContainer()
                    .addNewVolume().withName("config").withNewConfigMap().withName("settings").endConfigMap().endVolume()
                    .endSpec().build()).create();
            await().atMost(WAIT).ignoreExceptions().untilAsserted(() ->
                    assertThat(exec(client, "reads-config", "cat", "/etc/app/mode")).isEqualTo("first"));
            client.configMaps().inNamespace("default").withName("settings").edit(cm -> new ConfigMapBuilder(cm)
                    .addToData("mode", "second").build());
            await().atMost(WAIT).ignoreExceptions().untilAsserted(() ->
                    assertThat(exec(client, "reads-config", "cat", "/etc/app/mode")).isEqualTo("second"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"simulated", "docker"})
    void secretDownwardApiProjectedAndHostPathVolumesAreMounted(String runtime) {
        try (TestServer server = new TestServer(Runtimes.builder(runtime))) {
            KubernetesClient client = server.fabric8();
            client.configMaps().inNamespace("default").resource(new ConfigMapBuilder().withNewMetadata().withName("settings")
                    .endMetadata().addToData("mode", "fast").build()).create();
            client.secrets().inNamespace("default").resource(new io.fabric8.kubernetes.api.model.SecretBuilder()
                    .withNewMetadata().withName("creds").endMetadata().addToStringData("password", "s3cret").build()).create();
            client.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName("mounts")
                    .addToLabels("tier", "one").endMetadata()
                    .withNewSpec().addNewContainer().withName("main").withImage("busybox")
                    .withCommand("sh", "-c", "echo from-first > /host/note; sleep 600")
                    .addNewVolumeMount().withName("secret").withMountPath("/etc/secret").endVolumeMount()
                    .addNewVolumeMount().withName("info").withMountPath("/etc/info").endVolumeMount()
                    .addNewVolumeMount().withName("all").withMountPath("/etc/all").endVolumeMount()
                    .addNewVolumeMount().withName("host").withMountPath("/host").endVolumeMount().endContainer()
                    .addNewVolume().withName("secret").withNewSecret().withSecretName("creds").endSecret().endVolume()
                    .addNewVolume().withName("info").withNewDownwardAPI().addNewItem().withPath("labels")
                    .withNewFieldRef().withFieldPath("metadata.labels").endFieldRef().endItem().endDownwardAPI().endVolume()
                    .addNewVolume().withName("all").withNewProjected()
                    .addNewSource().withNewConfigMap().withName("settings").endConfigMap().endSource()
                    .addNewSource().withNewSecret().withName("creds").endSecret().endSource().endProjected().endVolume()
                    .addNewVolume().withName("host").withNewHostPath().withPath("/var/kubetest-scenario")
                    .withType("DirectoryOrCreate").endHostPath().endVolume()
                    .endSpec().build()).create();
            await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> {
                assertThat(exec(client, "mounts", "cat", "/etc/secret/password")).isEqualTo("s3cret");
                assertThat(exec(client, "mounts", "cat", "/etc/info/labels")).isEqualTo("tier=\"one\"");
                assertThat(exec(client, "mounts", "sh", "-c", "cat /etc/all/mode; echo; cat /etc/all/password"))
                        .isEqualTo("fast\ns3cret");
            });
            // the downward API file follows the pod's labels
            client.pods().inNamespace("default").withName("mounts").edit(p -> new PodBuilder(p).editMetadata()
                    .addToLabels("tier", "two").endMetadata().build());
            await().atMost(WAIT).ignoreExceptions().untilAsserted(() ->
                    assertThat(exec(client, "mounts", "cat", "/etc/info/labels")).isEqualTo("tier=\"two\""));
            // a second pod on the node sees what the first wrote into the node's folder
            client.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName("neighbour").endMetadata()
                    .withNewSpec().withRestartPolicy("Never").addNewContainer().withName("main").withImage("busybox")
                    .withCommand("cat", "/host/note")
                    .addNewVolumeMount().withName("host").withMountPath("/host").endVolumeMount().endContainer()
                    .addNewVolume().withName("host").withNewHostPath().withPath("/var/kubetest-scenario").endHostPath().endVolume()
                    .endSpec().build()).create();
            await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> {
                assertThat(pod(client, "neighbour").getStatus().getPhase()).isEqualTo("Succeeded");
                assertThat(client.pods().inNamespace("default").withName("neighbour").getLog()).isEqualTo("from-first\n");
            });
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"simulated", "docker"})
    void runAsNonRootRefusesARootImageAndRunAsUserSetsTheProcessIds(String runtime) {
        try (TestServer server = new TestServer(Runtimes.builder(runtime))) {
            KubernetesClient client = server.fabric8();
            client.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName("rooted").endMetadata()
                    .withNewSpec().withNewSecurityContext().withRunAsNonRoot(true).endSecurityContext()
                    .addNewContainer().withName("main").withImage("busybox").withCommand("sleep", "600").endContainer()
                    .endSpec().build()).create();
            client.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName("user").endMetadata()
                    .withNewSpec().withNewSecurityContext().withRunAsNonRoot(true).withRunAsUser(1000L).withRunAsGroup(3000L)
                    .endSecurityContext().addNewContainer().withName("main").withImage("busybox")
                    .withCommand("sh", "-c", "echo \"$(id -u) $(id -g)\"; sleep 600").endContainer().endSpec().build()).create();
            String uid = pod(client, "rooted").getMetadata().getUid();
            String refused = "container has runAsNonRoot and image will run as root (pod: \"rooted_default(" + uid
                    + ")\", container: main)";
            await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> {
                var waiting = status(client, "rooted", "main").getState().getWaiting();
                assertThat(waiting.getReason()).isEqualTo("CreateContainerConfigError");
                assertThat(waiting.getMessage()).isEqualTo(refused);
                assertThat(events(client, "rooted")).contains("Failed: Error: " + refused);
                assertThat(client.pods().inNamespace("default").withName("user").getLog()).isEqualTo("1000 3000\n");
            });
            assertThat(pod(client, "rooted").getStatus().getPhase()).isEqualTo("Pending");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"simulated", "docker"})
    void execRunsInTheContainerAndSeesItsFiles(String runtime) throws Exception {
        try (TestServer server = new TestServer(Runtimes.builder(runtime))) {
            KubernetesClient client = server.fabric8();
            client.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName("shell").endMetadata()
                    .withNewSpec().addNewContainer().withName("main").withImage("busybox")
                    .withCommand("sh", "-c", "echo state > /tmp/state; sleep 600").endContainer().endSpec().build()).create();
            await().atMost(WAIT).ignoreExceptions().untilAsserted(() ->
                    assertThat(exec(client, "shell", "cat", "/tmp/state")).isEqualTo("state"));
            assertThat(exec(client, "shell", "sh", "-c", "echo $((6 * 7))")).isEqualTo("42");
            server.cluster().container("default", "shell", "main").writeFile("/tmp/put", "from the test".getBytes(StandardCharsets.UTF_8));
            assertThat(exec(client, "shell", "cat", "/tmp/put")).isEqualTo("from the test");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"simulated", "docker"})
    void anHttpGetReadinessProbeAndAPortForwardReachTheServer(String runtime) throws Exception {
        try (TestServer server = new TestServer(Runtimes.builder(runtime))) {
            KubernetesClient client = server.fabric8();
            client.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName("web").endMetadata()
                    .withNewSpec().addNewContainer().withName("httpd").withImage("busybox")
                    .withCommand("sh", "-c", "mkdir -p /www && echo served > /www/index.html && httpd -f -p 8080 -h /www")
                    .withNewReadinessProbe().withNewHttpGet().withPath("/index.html").withNewPort(8080).endHttpGet()
                    .withPeriodSeconds(1).endReadinessProbe().endContainer().endSpec().build()).create();
            await().atMost(WAIT).ignoreExceptions().untilAsserted(() ->
                    assertThat(pod(client, "web").getStatus().getConditions()).anyMatch(c -> c.getType().equals("Ready")
                            && c.getStatus().equals("True")));
            try (var forward = server.cluster().portForward("default", "pod/web", 8080)) {
                var http = java.net.http.HttpClient.newHttpClient();
                var answer = http.send(java.net.http.HttpRequest.newBuilder(forward.uri("/index.html")).build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
                assertThat(answer.statusCode()).isEqualTo(200);
                assertThat(answer.body()).isEqualTo("served\n");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"simulated", "docker"})
    void kubectlExecAndCpWork(String runtime) throws Exception {
        Kubectl.assumePresent();
        try (TestServer server = new TestServer(Runtimes.builder(runtime))) {
            KubernetesClient client = server.fabric8();
            client.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName("box").endMetadata()
                    .withNewSpec().addNewContainer().withName("main").withImage("busybox")
                    .withCommand("sh", "-c", "echo inside > /tmp/state; sleep 600").endContainer().endSpec().build()).create();
            Kubectl kubectl = server.kubectl();
            await().atMost(WAIT).ignoreExceptions().untilAsserted(() ->
                    assertThat(kubectl.run("exec", "box", "--", "cat", "/tmp/state").ok().out()).isEqualTo("inside\n"));
            assertThat(kubectl.run("exec", "box", "--", "sh", "-c", "echo $((20 + 22)); exit 3").exitCode()).isEqualTo(3);
            java.nio.file.Path local = server.write("upload.txt", "from the host\n");
            kubectl.run("cp", local.toString(), "box:/tmp/upload.txt").ok();
            assertThat(kubectl.run("exec", "box", "--", "cat", "/tmp/upload.txt").ok().out()).isEqualTo("from the host\n");
            kubectl.runWithInput("typed on stdin\n", "exec", "-i", "box", "--", "sh", "-c", "cat > /tmp/typed").ok();
            assertThat(kubectl.run("exec", "box", "--", "cat", "/tmp/typed").ok().out()).isEqualTo("typed on stdin\n");
            java.nio.file.Path back = server.dir().resolve("state.txt");
            kubectl.run("cp", "box:/tmp/state", back.toString()).ok();
            assertThat(java.nio.file.Files.readString(back)).isEqualTo("inside\n");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"simulated", "docker"})
    void goingOverTheMemoryLimitIsOomKilled(String runtime) {
        try (TestServer server = new TestServer(Runtimes.builder(runtime))) {
            KubernetesClient client = server.fabric8();
            // dd holds one block of bs bytes: 64 MiB in a container limited to 16 MiB
            client.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName("hungry").endMetadata()
                    .withNewSpec().withRestartPolicy("Never").addNewContainer().withName("main").withImage("busybox")
                    .withCommand("dd", "if=/dev/zero", "of=/dev/null", "bs=64M", "count=1")
                    .withNewResources().addToLimits("memory", new io.fabric8.kubernetes.api.model.Quantity("16Mi")).endResources()
                    .endContainer().endSpec().build()).create();
            await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> {
                Pod p = pod(client, "hungry");
                assertThat(p.getStatus().getPhase()).isEqualTo("Failed");
                var terminated = p.getStatus().getContainerStatuses().get(0).getState().getTerminated();
                assertThat(terminated.getReason()).isEqualTo("OOMKilled");
                assertThat(terminated.getExitCode()).isEqualTo(137);
            });
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"simulated", "docker"})
    void aJobRunsToCompletion(String runtime) {
        try (TestServer server = new TestServer(Runtimes.builder(runtime))) {
            KubernetesClient client = server.fabric8();
            client.batch().v1().jobs().inNamespace("default").resource(new io.fabric8.kubernetes.api.model.batch.v1.JobBuilder()
                    .withNewMetadata().withName("count").endMetadata().withNewSpec().withCompletions(2).withParallelism(1)
                    .withNewTemplate().withNewSpec().withRestartPolicy("Never").addNewContainer().withName("work")
                    .withImage("busybox").withCommand("sh", "-c", "echo counted to $((2 + 1))").endContainer().endSpec()
                    .endTemplate().endSpec().build()).create();
            await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> {
                var job = client.batch().v1().jobs().inNamespace("default").withName("count").get();
                assertThat(job.getStatus().getSucceeded()).isEqualTo(2);
                assertThat(job.getStatus().getConditions()).anyMatch(c -> c.getType().equals("Complete") && c.getStatus().equals("True"));
            });
            var pods = client.pods().inNamespace("default").withLabel("job-name", "count").list().getItems();
            assertThat(pods).hasSize(2).allSatisfy(p -> assertThat(p.getStatus().getPhase()).isEqualTo("Succeeded"));
            assertThat(client.pods().inNamespace("default").withName(pods.get(0).getMetadata().getName()).getLog())
                    .isEqualTo("counted to 3\n");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"simulated", "docker"})
    void aStatefulSetPodKeepsItsClaimsDataAcrossDeletion(String runtime) throws Exception {
        try (TestServer server = new TestServer(Runtimes.builder(runtime))) {
            KubernetesClient client = server.fabric8();
            client.apps().statefulSets().inNamespace("default").resource(new io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder()
                    .withNewMetadata().withName("db").endMetadata()
                    .withNewSpec().withReplicas(1).withServiceName("db")
                    .withNewSelector().withMatchLabels(java.util.Map.of("app", "db")).endSelector()
                    .withNewTemplate().withNewMetadata().withLabels(java.util.Map.of("app", "db")).endMetadata()
                    .withNewSpec().withTerminationGracePeriodSeconds(1L).addNewContainer().withName("main").withImage("busybox")
                    .withCommand("sh", "-c", "[ -f /data/first ] || hostname > /data/first; echo boot >> /data/boots; sleep 600")
                    .addNewVolumeMount().withName("data").withMountPath("/data").endVolumeMount().endContainer().endSpec()
                    .endTemplate()
                    .addNewVolumeClaimTemplate().withNewMetadata().withName("data").endMetadata().withNewSpec()
                    .withAccessModes("ReadWriteOnce").withNewResources()
                    .addToRequests("storage", new io.fabric8.kubernetes.api.model.Quantity("1Gi")).endResources()
                    .endSpec().endVolumeClaimTemplate().endSpec().build()).create();
            await().atMost(WAIT).ignoreExceptions().untilAsserted(() ->
                    assertThat(exec(client, "db-0", "cat", "/data/boots")).isEqualTo("boot"));
            String uid = pod(client, "db-0").getMetadata().getUid();
            client.pods().inNamespace("default").withName("db-0").delete();
            await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> {
                assertThat(pod(client, "db-0").getMetadata().getUid()).isNotEqualTo(uid);
                assertThat(exec(client, "db-0", "cat", "/data/boots")).isEqualTo("boot\nboot");
            });
            assertThat(exec(client, "db-0", "cat", "/data/first")).isEqualTo("db-0");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"simulated", "docker"})
    void onePodReachesAnotherByItsIp(String runtime) {
        try (TestServer server = new TestServer(Runtimes.builder(runtime))) {
            KubernetesClient client = server.fabric8();
            client.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName("server").endMetadata()
                    .withNewSpec().addNewContainer().withName("httpd").withImage("busybox")
                    .withCommand("sh", "-c", "mkdir -p /www && echo hello neighbour > /www/index.html && httpd -f -p 8080 -h /www")
                    .withNewReadinessProbe().withNewTcpSocket().withNewPort(8080).endTcpSocket().withPeriodSeconds(1)
                    .endReadinessProbe().endContainer().endSpec().build()).create();
            await().atMost(WAIT).ignoreExceptions().untilAsserted(() ->
                    assertThat(pod(client, "server").getStatus().getConditions()).anyMatch(c -> c.getType().equals("Ready")
                            && c.getStatus().equals("True")));
            String ip = pod(client, "server").getStatus().getPodIP();
            client.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName("client").endMetadata()
                    .withNewSpec().withRestartPolicy("Never").addNewContainer().withName("wget").withImage("busybox")
                    .withCommand("sh", "-c", "wget -q -O - http://" + ip + ":8080/index.html").endContainer().endSpec().build())
                    .create();
            await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> {
                assertThat(pod(client, "client").getStatus().getPhase()).isEqualTo("Succeeded");
                assertThat(client.pods().inNamespace("default").withName("client").getLog()).isEqualTo("hello neighbour\n");
            });
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"simulated", "docker"})
    void anImageThatCannotBePulledBacksOff(String runtime) {
        try (TestServer server = new TestServer(Runtimes.builder(runtime))) {
            KubernetesClient client = server.fabric8();
            client.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName("missing").endMetadata()
                    .withNewSpec().addNewContainer().withName("main").withImage("registry.invalid/does-not-exist:1.0")
                    .endContainer().endSpec().build()).create();
            await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> {
                assertThat(status(client, "missing", "main").getState().getWaiting().getReason()).isEqualTo("ImagePullBackOff");
                assertThat(events(client, "missing")).anyMatch(e -> e.startsWith(
                        "Failed: Failed to pull image \"registry.invalid/does-not-exist:1.0\": ")
                        && e.contains("failed to pull and unpack image \"registry.invalid/does-not-exist:1.0\""))
                        .contains("Failed: Error: ErrImagePull");
            });
            assertThat(pod(client, "missing").getStatus().getPhase()).isEqualTo("Pending");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"simulated", "docker"})
    void kubectlAttachFollowsTheMainProcessUntilItEnds(String runtime) {
        Kubectl.assumePresent();
        try (TestServer server = new TestServer(Runtimes.builder(runtime))) {
            KubernetesClient client = server.fabric8();
            client.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName("talker").endMetadata()
                    .withNewSpec().withRestartPolicy("Never").addNewContainer().withName("main").withImage("busybox")
                    .withCommand("sh", "-c", "echo before; sleep 5; echo while attached; sleep 1; exit 0")
                    .endContainer().endSpec().build()).create();
            await().atMost(WAIT).ignoreExceptions().untilAsserted(() ->
                    assertThat(pod(client, "talker").getStatus().getPhase()).isEqualTo("Running"));
            Kubectl.Result attached = server.kubectl().run("attach", "talker", "-c", "main");
            assertThat(attached.out()).contains("while attached\n").doesNotContain("before");
            await().atMost(WAIT).ignoreExceptions().untilAsserted(() ->
                    assertThat(pod(client, "talker").getStatus().getPhase()).isEqualTo("Succeeded"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"simulated", "docker"})
    void kubectlAttachWithStdinFeedsTheMainProcessAndStdinOnceEndsItsInput(String runtime) {
        Kubectl.assumePresent();
        try (TestServer server = new TestServer(Runtimes.builder(runtime))) {
            KubernetesClient client = server.fabric8();
            client.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName("reader").endMetadata()
                    .withNewSpec().withRestartPolicy("Never").addNewContainer().withName("main").withImage("busybox")
                    .withStdin(true).withStdinOnce(true)
                    .withCommand("sh", "-c", "read a b; read c; echo \"a=$a b=$b c=$c\"; cat; echo end of input")
                    .endContainer().endSpec().build()).create();
            await().atMost(WAIT).ignoreExceptions().untilAsserted(() ->
                    assertThat(pod(client, "reader").getStatus().getPhase()).isEqualTo("Running"));
            // the client's end of input closes the container's (stdinOnce), and the attach lasts until it ends
            Kubectl.Result attached = server.kubectl().runWithInput("hello big world\nsecond\nrest 1\nrest 2\n",
                    "attach", "-i", "reader", "-c", "main");
            assertThat(attached.out()).isEqualTo("a=hello b=big world c=second\nrest 1\nrest 2\nend of input\n");
            await().atMost(WAIT).ignoreExceptions().untilAsserted(() ->
                    assertThat(pod(client, "reader").getStatus().getPhase()).isEqualTo("Succeeded"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"simulated", "docker"})
    void kubectlAttachWithStdinDetachesAtItsEndOfInputAndTheProcessKeepsReading(String runtime) {
        Kubectl.assumePresent();
        try (TestServer server = new TestServer(Runtimes.builder(runtime))) {
            KubernetesClient client = server.fabric8();
            client.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName("keeper").endMetadata()
                    .withNewSpec().withRestartPolicy("Never").addNewContainer().withName("main").withImage("busybox")
                    .withStdin(true)
                    .withCommand("sh", "-c", "while read line; do echo \"got $line\"; done; echo input ended")
                    .endContainer().endSpec().build()).create();
            await().atMost(WAIT).ignoreExceptions().untilAsserted(() ->
                    assertThat(pod(client, "keeper").getStatus().getPhase()).isEqualTo("Running"));
            server.kubectl().runWithInput("one\n", "attach", "-i", "keeper", "-c", "main");
            server.kubectl().runWithInput("two\n", "attach", "-i", "keeper", "-c", "main");
            // without stdinOnce the container's input stays open: both clients' lines are read, and it reads on
            await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> assertThat(
                    client.pods().inNamespace("default").withName("keeper").getLog()).isEqualTo("got one\ngot two\n"));
            assertThat(pod(client, "keeper").getStatus().getPhase()).isEqualTo("Running");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"simulated", "docker"})
    void kubectlExecItGivesAShellOnATerminal(String runtime) throws Exception {
        Kubectl.assumePresent();
        try (TestServer server = new TestServer(Runtimes.builder(runtime))) {
            KubernetesClient client = server.fabric8();
            client.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName("term").endMetadata()
                    .withNewSpec().addNewContainer().withName("main").withImage("busybox")
                    .withCommand("sh", "-c", "sleep 600").endContainer().endSpec().build()).create();
            await().atMost(WAIT).ignoreExceptions().untilAsserted(() ->
                    assertThat(pod(client, "term").getStatus().getPhase()).isEqualTo("Running"));
            try (Kubectl.Terminal t = server.kubectl().startInTerminal("exec", "-it", "term", "--", "sh")) {
                t.expect("# ");
                t.type("echo $((6 * 7))\r").expect("42\r\n");
                t.type("stty size\r").expect("40 120");
                t.type("exit 3\r");
                assertThat(t.exitCode()).isEqualTo(3);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"simulated", "docker"})
    void kubectlAttachItTypesIntoTheMainShellOnItsTerminal(String runtime) throws Exception {
        Kubectl.assumePresent();
        try (TestServer server = new TestServer(Runtimes.builder(runtime))) {
            KubernetesClient client = server.fabric8();
            client.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName("console").endMetadata()
                    .withNewSpec().withRestartPolicy("Never").addNewContainer().withName("main").withImage("busybox")
                    .withStdin(true).withTty(true).withCommand("sh").endContainer().endSpec().build()).create();
            await().atMost(WAIT).ignoreExceptions().untilAsserted(() ->
                    assertThat(pod(client, "console").getStatus().getPhase()).isEqualTo("Running"));
            try (Kubectl.Terminal t = server.kubectl().startInTerminal("attach", "-it", "console", "-c", "main")) {
                t.expect("If you don't see a command prompt, try pressing enter.");
                t.type("\r").expect("# ");
                t.type("echo $((6 * 7))\r").expect("42\r\n");
                t.type("stty size\r").expect("40 120");
                t.type("exit 3\r");
                assertThat(t.exitCode()).isZero();
            }
            await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> {
                assertThat(pod(client, "console").getStatus().getPhase()).isEqualTo("Failed");
                assertThat(status(client, "console", "main").getState().getTerminated().getExitCode()).isEqualTo(3);
            });
        }
    }

    private static String exec(KubernetesClient client, String pod, String... command) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ExecWatch w = client.pods().inNamespace("default").withName(pod).writingOutput(out).exec(command)) {
            w.exitCode().get(30, TimeUnit.SECONDS);
        }
        return out.toString(StandardCharsets.UTF_8).trim();
    }
}
