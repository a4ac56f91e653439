package dev.kubetest.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kubetest.apiserver.support.Kubectl;
import dev.kubetest.apiserver.support.TestServer;
import dev.kubetest.core.KubeCluster;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.ExecWatch;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** pods/attach over WebSocket: what a running container prints from the moment of attaching, until it ends. */
class AttachTest {

    private static void shellPod(KubernetesClient client, String name, String script) {
        client.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withRestartPolicy("Never").addNewContainer().withName("main").withImage("busybox")
                .withCommand("sh", "-c", script).endContainer().endSpec().build()).create();
        await().atMost(Duration.ofSeconds(30)).until(() ->
                "Running".equals(client.pods().inNamespace("default").withName(name).get().getStatus().getPhase()));
    }

    @Test
    void kubectlAttachStreamsOutputUntilTheContainerEnds() throws Exception {
        Kubectl.assumePresent();
        try (TestServer server = new TestServer(KubeCluster.builder().timeMode(KubeCluster.TimeMode.MANUAL))) {
            KubernetesClient client = server.fabric8();
            dev.kubetest.core.clock.ManualClock clock = (dev.kubetest.core.clock.ManualClock) server.cluster().clock();
            shellPod(client, "talker", "echo before; while [ ! -f /tmp/stop ]; do echo tick; sleep 1; done; echo second >&2; echo done");
            java.util.List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
            Process attach = server.kubectl().start("attach", "talker");
            try {
                Kubectl.collectLines(attach, lines);
                // cluster time moves only here: once kubectl shows a tick it is attached, whatever the machine's load
                await().atMost(Duration.ofSeconds(60)).until(() -> {
                    clock.advance(Duration.ofSeconds(1));
                    return lines.contains("tick");
                });
                server.cluster().container("default", "talker", "main").writeFile("/tmp/stop", new byte[0]);
                clock.advance(Duration.ofSeconds(1));
                assertThat(attach.waitFor(30, TimeUnit.SECONDS)).as("kubectl attach ends with the container: %s", lines).isTrue();
                assertThat(attach.exitValue()).isZero();
                assertThat(lines).doesNotContain("before").contains("second").endsWith("done");
                assertThat(lines.stream().filter(l -> !l.equals("tick")).toList())
                        .containsExactly("If you don't see a command prompt, try pressing enter.", "second", "done");
            } finally {
                attach.destroy();
            }
        }
    }

    @Test
    void fabric8AttachReadsWhatTheContainerPrints() throws Exception {
        try (TestServer server = new TestServer(KubeCluster.builder())) {
            KubernetesClient client = server.fabric8();
            shellPod(client, "ticker", "while true; do echo tick; sleep 1; done");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (ExecWatch watch = client.pods().inNamespace("default").withName("ticker").writingOutput(out).attach()) {
                await().atMost(Duration.ofSeconds(20)).until(() -> out.toString(StandardCharsets.UTF_8).contains("tick\ntick\n"));
            }
            client.pods().inNamespace("default").withName("ticker").withGracePeriod(0).delete();
            client.pods().inNamespace("default").withName("ticker").waitUntilCondition(p -> p == null, 30, TimeUnit.SECONDS);
        }
    }
}
