package dev.kubetest.core.kubelet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubetest.core.KubeCluster;
import dev.kubetest.core.clock.ManualClock;
import dev.kubetest.core.json.Json;
import dev.kubetest.core.meta.DeleteOptions;
import dev.kubetest.core.meta.ResourceType;
import dev.kubetest.core.meta.WriteOptions;
import dev.kubetest.core.runtime.ContainerSpec;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The kubelet's pod lifecycle on a fake runtime: the test decides when each container exits. */
class KubeletTest {
    private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final FakeRuntime runtime = new FakeRuntime(clock);
    private final KubeCluster cluster = KubeCluster.builder().clock(clock).runtime(runtime).build();
    private final ResourceType pods = cluster.registry().find("", "v1", "pods").orElseThrow();

    @AfterEach
    void close() {
        cluster.close();
    }

    private void createPod(String restartPolicy, String... init) {
        ObjectNode pod = Json.object();
        pod.putObject("metadata").put("name", "p");
        ObjectNode spec = pod.putObject("spec");
        spec.put("restartPolicy", restartPolicy);
        ArrayNode inits = spec.putArray("initContainers");
        for (String name : init) {
            inits.addObject().put("name", name).put("image", "tool:1");
        }
        spec.putArray("containers").addObject().put("name", "app").put("image", "app:1");
        cluster.api().create(pods, "default", pod, WriteOptions.manager("test"));
    }

    private JsonNode status() {
        return cluster.api().get(pods, "default", "p").path("status");
    }

    @Test
    void initContainersRunOneAtATimeBeforeTheMainContainer() {
        createPod("Always", "first", "second");
        await().untilAsserted(() -> assertThat(runtime.created()).extracting(ContainerSpec::name).containsExactly("first"));
        assertThat(status().path("phase").asText()).isEqualTo("Pending");

        runtime.exit("p", "first", 0);
        await().untilAsserted(() -> assertThat(runtime.created()).extracting(ContainerSpec::name)
                .containsExactly("first", "second"));
        runtime.exit("p", "second", 0);
        await().untilAsserted(() -> assertThat(status().path("phase").asText()).isEqualTo("Running"));
        assertThat(runtime.created()).extracting(ContainerSpec::name).containsExactly("first", "second", "app");
        assertThat(status().path("initContainerStatuses")).allSatisfy(s ->
                assertThat(s.path("state").path("terminated").path("reason").asText()).isEqualTo("Completed"));
    }

    @Test
    void aFailedContainerWithRestartPolicyNeverFailsThePod() {
        createPod("Never");
        await().untilAsserted(() -> assertThat(status().path("phase").asText()).isEqualTo("Running"));
        runtime.exit("p", "app", 3);
        await().untilAsserted(() -> assertThat(status().path("phase").asText()).isEqualTo("Failed"));
        JsonNode terminated = status().path("containerStatuses").path(0).path("state").path("terminated");
        assertThat(terminated.path("exitCode").asInt()).isEqualTo(3);
        assertThat(status().path("containerStatuses").path(0).path("restartCount").asInt()).isZero();
    }

    @Test
    void readinessFollowsTheProbeThresholdsInClusterTime() {
        ObjectNode pod = Json.object();
        pod.putObject("metadata").put("name", "p");
        ObjectNode app = pod.putObject("spec").putArray("containers").addObject().put("name", "app").put("image", "app:1");
        ObjectNode probe = app.putObject("readinessProbe");
        probe.putObject("httpGet").put("port", 8080).put("path", "/ready");
        probe.put("periodSeconds", 10).put("failureThreshold", 2).put("successThreshold", 1);
        cluster.api().create(pods, "default", pod, WriteOptions.manager("test"));
        await().untilAsserted(() -> assertThat(status().path("phase").asText()).isEqualTo("Running"));
        assertThat(ready()).isFalse();

        runtime.setHealthy("p", "app", true);
        clock.advance(java.time.Duration.ofSeconds(10));
        await().untilAsserted(() -> assertThat(ready()).isTrue());

        runtime.setHealthy("p", "app", false);
        clock.advance(java.time.Duration.ofSeconds(10));
        await().untilAsserted(() -> assertThat(readyCondition()).isEqualTo("True"));
        assertThat(ready()).as("one failure is below failureThreshold 2").isTrue();
        clock.advance(java.time.Duration.ofSeconds(10));
        await().untilAsserted(() -> assertThat(ready()).isFalse());
        assertThat(readyCondition()).isEqualTo("False");
    }

    private boolean ready() {
        return status().path("containerStatuses").path(0).path("ready").asBoolean();
    }

    private String readyCondition() {
        for (JsonNode c : status().path("conditions")) {
            if (c.path("type").asText().equals("Ready")) {
                return c.path("status").asText();
            }
        }
        return "";
    }

    @Test
    void aDeletedPodIsRemovedOnceItsContainersHaveStopped() {
        createPod("Always");
        await().untilAsserted(() -> assertThat(status().path("phase").asText()).isEqualTo("Running"));
        cluster.api().delete(pods, "default", "p", DeleteOptions.defaults());
        await().untilAsserted(() -> assertThat(cluster.api().find(pods, "default", "p")).isEmpty());
    }
}
