package dev.kubetest.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import dev.kubetest.apiserver.support.Kubectl;
import dev.kubetest.apiserver.support.TestServer;
import dev.kubetest.core.KubeCluster;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Pod;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code pods/ephemeralcontainers} and the kubelet running them: what {@code kubectl debug} needs. */
class EphemeralContainersTest {
    static TestServer server;
    static KubernetesClient client;

    @BeforeAll
    static void start() {
        server = new TestServer(KubeCluster.builder().timeMode(KubeCluster.TimeMode.AUTO));
        client = server.fabric8();
        server.runShellPod("target", "echo ready; sleep infinity");
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void kubectlDebugAddsAContainerThatRunsAndLogs() {
        Kubectl.assumePresent();
        Kubectl k = server.kubectl();
        k.run("debug", "pod/target", "--image=busybox", "--container=dbg", "--", "sh", "-c", "echo from-debug; sleep 3600").ok();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(client.pods().inNamespace("default")
                .withName("target").get().getStatus().getEphemeralContainerStatuses())
                .filteredOn(s -> s.getName().equals("dbg")).singleElement()
                .satisfies(s -> assertThat(s.getState().getRunning()).isNotNull()));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(k.run("logs", "target", "-c", "dbg").ok().out()).isEqualTo("from-debug\n"));
        assertThat(k.run("describe", "pod", "target").ok().out()).contains("Ephemeral Containers:", "dbg:");
    }

    @Test
    void kubectlDebugInteractiveGivesAShellInThePod() throws Exception {
        Kubectl.assumePresent();
        try (Kubectl.Terminal t = server.kubectl().startInTerminal("debug", "pod/target", "--image=busybox", "-it")) {
            t.expect("If you don't see a command prompt, try pressing enter.").type("\r").expect("/ # ");
            t.type("echo $((6 * 7))\r").expect("42\r\n");
            t.type("exit\r");
            t.expect("Session ended");
            assertThat(t.exitCode()).isZero();
        }
    }

    @Test
    void clientsReadAndAddEphemeralContainersThroughTheSubresource() throws Exception {
        Pod pod = client.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName("sub").endMetadata()
                .withNewSpec().addNewContainer().withName("app").withImage("nginx").endContainer().endSpec().build()).create();
        var sub = client.pods().inNamespace("default").withName("sub");
        // strategic merge patches carry no resourceVersion: the kubelet's status writes cannot make them conflict
        sub.ephemeralContainers().patch(PatchContext.of(PatchType.STRATEGIC_MERGE), """
                {"spec": {"ephemeralContainers": [{"name": "probe", "image": "busybox", "command": ["sleep", "3600"],
                  "targetContainerName": "app"}]}}""");
        CoreV1Api core = new CoreV1Api(server.clientJava());
        V1Pod read = core.readNamespacedPodEphemeralcontainers("sub", "default").execute();
        assertThat(read.getSpec().getEphemeralContainers()).singleElement().satisfies(c -> {
            assertThat(c.getName()).isEqualTo("probe");
            assertThat(c.getTerminationMessagePath()).isEqualTo("/dev/termination-log");
        });
        // changing or removing one is refused; so is a duplicate name or a port
        String existing = client.getKubernetesSerialization().asJson(sub.get().getSpec().getEphemeralContainers().get(0));
        KubernetesClientException removed = catchThrowableOfType(() -> sub.ephemeralContainers()
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\": {\"ephemeralContainers\": []}}"),
                KubernetesClientException.class);
        assertThat(removed.getCode()).isEqualTo(422);
        assertThat(removed.getStatus().getDetails().getCauses()).singleElement().satisfies(c ->
                assertThat(c.getMessage()).startsWith("Forbidden: existing ephemeral containers \"probe\" may not be removed"));
        KubernetesClientException duplicate = catchThrowableOfType(() -> sub.ephemeralContainers()
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\": {\"ephemeralContainers\": [" + existing
                        + ", {\"name\": \"app\", \"image\": \"busybox\", \"ports\": [{\"containerPort\": 80}]}]}}"),
                KubernetesClientException.class);
        assertThat(duplicate.getCode()).isEqualTo(422);
        assertThat(duplicate.getStatus().getDetails().getCauses()).extracting(c -> c.getField() + " " + c.getReason())
                .containsExactlyInAnyOrder("spec.ephemeralContainers[1].name FieldValueDuplicate",
                        "spec.ephemeralContainers[1].ports FieldValueForbidden");
        // an update of the pod itself leaves them as they are
        sub.patch(PatchContext.of(PatchType.JSON_MERGE), "{\"metadata\": {\"labels\": {\"x\": \"y\"}}, "
                + "\"spec\": {\"ephemeralContainers\": []}}");
        assertThat(client.pods().inNamespace("default").withName("sub").get().getSpec().getEphemeralContainers()).hasSize(1);
        // a missing pod's 404 carries details (kubectl debug reads them)
        ApiException missing = catchThrowableOfType(() -> core.readNamespacedPodEphemeralcontainers("nope", "default").execute(),
                ApiException.class);
        assertThat(missing.getCode()).isEqualTo(404);
        assertThat(missing.getResponseBody()).contains("\"details\":{\"name\":\"nope\",\"kind\":\"pods\"}");
        assertThat(pod.getMetadata().getUid()).isNotNull();
    }
}
