package dev.kubetest.core.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubetest.core.KubeCluster;
import dev.kubetest.core.clock.ManualClock;
import dev.kubetest.core.json.Json;
import dev.kubetest.core.kubelet.FakeRuntime;
import dev.kubetest.core.meta.ResourceType;
import dev.kubetest.core.meta.WriteOptions;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A node owns its Node object, its Lease, its addresses and its kubelet; the kubelet runs on a fake runtime. */
class SimulatedNodeTest {
    private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final FakeRuntime runtime = new FakeRuntime(clock);
    private final KubeCluster cluster = KubeCluster.builder().nodes(2).clock(clock).runtime(runtime).build();
    private final ResourceType nodes = type("", "nodes");
    private final ResourceType pods = type("", "pods");
    private final ResourceType leases = type("coordination.k8s.io", "leases");

    @AfterEach
    void close() {
        cluster.close();
    }

    private ResourceType type(String group, String plural) {
        return cluster.registry().find(group, "v1", plural).orElseThrow();
    }

    @Test
    void theNodeObjectShowsTheAddressesTheNodeOwns() {
        assertThat(cluster.nodes().all()).hasSize(2);
        for (SimulatedNode node : cluster.nodes().all()) {
            JsonNode object = cluster.api().get(nodes, null, node.name());
            assertThat(object.path("spec").path("podCIDR").asText()).isEqualTo(node.podCidr());
            assertThat(object.path("status").path("addresses").get(0).path("address").asText()).isEqualTo(node.internalIp());
            assertThat(node.kubelet()).containsSame(cluster.kubelet(node.name()));
        }
        assertThat(cluster.nodes().all()).extracting(SimulatedNode::internalIp).doesNotHaveDuplicates();
    }

    @Test
    void aPodOnTheSecondNodeTakesItsIpFromThatNodesCidrAndRestartsWithBackOff() {
        SimulatedNode second = cluster.nodes().all().get(1);
        ObjectNode pod = Json.object();
        pod.putObject("metadata").put("name", "web");
        ObjectNode spec = pod.putObject("spec");
        spec.put("nodeName", second.name());
        spec.putArray("containers").addObject().put("name", "app").put("image", "app:1");
        cluster.api().create(pods, "default", pod, WriteOptions.manager("test"));

        await().untilAsserted(() -> assertThat(status().path("phase").asText()).isEqualTo("Running"));
        String prefix = second.podCidr().substring(0, second.podCidr().lastIndexOf('.') + 1);
        assertThat(status().path("podIP").asText()).startsWith(prefix);
        assertThat(status().path("hostIP").asText()).isEqualTo(second.internalIp());
        assertThat(runtime.created()).extracting(s -> s.podIp()).containsExactly(status().path("podIP").asText());

        runtime.exit("web", "app", 1);
        await().untilAsserted(() -> {
            assertThat(container().path("restartCount").asInt()).isEqualTo(1);
            assertThat(container().path("state").has("running")).isTrue();
        });
        runtime.exit("web", "app", 1);
        await().untilAsserted(() -> assertThat(container().path("state").path("waiting").path("reason").asText())
                .isEqualTo("CrashLoopBackOff"));
        assertThat(container().path("lastState").path("terminated").path("exitCode").asInt()).isEqualTo(1);

        clock.advance(Duration.ofSeconds(10));
        await().untilAsserted(() -> {
            assertThat(container().path("restartCount").asInt()).isEqualTo(2);
            assertThat(container().path("state").has("running")).isTrue();
        });
    }

    @Test
    void aNodeWithoutHeartbeatStopsRenewingItsLease() {
        SimulatedNode first = cluster.nodes().all().get(0);
        Instant renewed = renewTime(first.name());

        first.setHeartbeat(false);
        clock.advance(Duration.ofSeconds(30));
        assertThat(renewTime(first.name())).isEqualTo(renewed);
        assertThat(renewTime(cluster.nodes().all().get(1).name())).isAfter(renewed);

        first.setHeartbeat(true);
        assertThat(renewTime(first.name())).isEqualTo(clock.now());
    }

    private Instant renewTime(String node) {
        return Instant.parse(cluster.api().get(leases, "kube-node-lease", node).path("spec").path("renewTime").asText());
    }

    private JsonNode status() {
        return cluster.api().get(pods, "default", "web").path("status");
    }

    private JsonNode container() {
        return status().path("containerStatuses").path(0);
    }
}
