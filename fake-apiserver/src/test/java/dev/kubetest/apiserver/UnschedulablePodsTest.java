package dev.kubetest.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kubetest.apiserver.support.TestServer;
import dev.kubetest.core.KubeCluster;
import dev.kubetest.core.clock.ManualClock;
import dev.kubetest.core.node.NodeConfig;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A pod that fits no node waits as in kube-scheduler's unschedulable pool: not retried while nothing changes (node
 * heartbeats included), retried by the 5-minute flush and at once when a node that fits it joins.
 */
class UnschedulablePodsTest {

    private static List<Event> failedScheduling(KubernetesClient client) {
        return client.v1().events().inNamespace("default").withField("involvedObject.name", "huge").list().getItems().stream()
                .filter(e -> "FailedScheduling".equals(e.getReason())).toList();
    }

    @Test
    void anUnschedulablePodWaitsForAClusterEventOrTheFlushNotForATimer() {
        try (TestServer server = new TestServer(KubeCluster.builder().timeMode(KubeCluster.TimeMode.MANUAL)
                .withoutController("coredns").withoutController("kube-proxy"))) {
            KubernetesClient client = server.fabric8();
            ManualClock clock = (ManualClock) server.cluster().clock();
            client.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName("huge").endMetadata()
                    .withNewSpec().addNewContainer().withName("c").withImage("nginx").withNewResources()
                    .addToRequests("cpu", new Quantity("64")).endResources().endContainer().endSpec().build()).create();
            await().atMost(Duration.ofSeconds(10)).until(() -> failedScheduling(client).size() == 1);
            String rv = client.pods().inNamespace("default").withName("huge").get().getMetadata().getResourceVersion();

            // four minutes in 10-second steps: node heartbeats and Lease renewals, but nothing that could make it fit
            for (int i = 0; i < 24; i++) {
                clock.advance(Duration.ofSeconds(10));
            }
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5))
                    .until(() -> failedScheduling(client).size() == 1 && failedScheduling(client).get(0).getCount() == 1);
            assertThat(client.pods().inNamespace("default").withName("huge").get().getMetadata().getResourceVersion())
                    .as("no status write without a change").isEqualTo(rv);

            // the flush: after 5 minutes in the pool it is tried again (the same event, counted)
            for (int i = 0; i < 8; i++) {
                clock.advance(Duration.ofSeconds(10));
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> failedScheduling(client).get(0).getCount() == 2);

            // a node that fits joins: it is scheduled once its back-off (2 s after a second attempt) has passed
            server.cluster().addNode(NodeConfig.named("big").withCpu("128"));
            clock.advance(Duration.ofSeconds(2));
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    "big".equals(client.pods().inNamespace("default").withName("huge").get().getSpec().getNodeName()));
        }
    }
}
