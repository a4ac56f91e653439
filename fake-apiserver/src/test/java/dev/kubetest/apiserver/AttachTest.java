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
    void kubectlAttachStreamsOutputUntilTheContainerEnds() {
        Kubectl.assumePresent();
        try (TestServer server = new TestServer(KubeCluster.builder())) {
            KubernetesClient client = server.fabric8();
            shellPod(client, "talker", "echo before; sleep 6; echo first; echo second >&2; sleep 1; echo done");
            Kubectl.Result r = server.kubectl().run("attach", "talker").ok();
            assertThat(r.out()).isEqualTo("first\ndone\n");
            assertThat(r.err()).contains("second");
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
