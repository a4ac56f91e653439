package dev.kubetest.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kubetest.apiserver.support.TestServer;
import dev.kubetest.core.KubeCluster;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** kube-controller-manager's pod garbage collector: orphaned pods and the terminated-pod threshold. */
class PodGarbageCollectionTest {

    @Test
    void aPodBoundToANodeThatDoesNotExistIsFailedAndDeletedAfterTheQuarantine() {
        try (TestServer server = new TestServer(KubeCluster.builder().timeMode(KubeCluster.TimeMode.AUTO))) {
            KubernetesClient client = server.fabric8();
            List<Pod> seen = new CopyOnWriteArrayList<>();
            try (Watch watch = client.pods().inNamespace("default").withName("stranded").watch(new Watcher<>() {
                @Override
                public void eventReceived(Action action, Pod pod) {
                    seen.add(pod);
                }

                @Override
                public void onClose(WatcherException cause) {
                }
            })) {
                client.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName("stranded")
                        .endMetadata().withNewSpec().withNodeName("gone-node").addNewContainer().withName("c")
                        .withImage("nginx:1.27").endContainer().endSpec().build()).create();
                await().atMost(Duration.ofSeconds(30)).until(() ->
                        client.pods().inNamespace("default").withName("stranded").get() == null);
                await().untilAsserted(() -> assertThat(seen).anySatisfy(p -> {
                    assertThat(p.getStatus().getPhase()).isEqualTo("Failed");
                    assertThat(p.getStatus().getConditions()).anySatisfy(c -> {
                        assertThat(c.getType()).isEqualTo("DisruptionTarget");
                        assertThat(c.getReason()).isEqualTo("DeletionByPodGC");
                    });
                }));
            }
            // the quarantine is cluster time: the pod outlived it by at least 40 s
            Pod first = seen.get(0);
            Pod failed = seen.stream().filter(p -> "Failed".equals(p.getStatus().getPhase())).findFirst().orElseThrow();
            String marked = failed.getStatus().getConditions().stream().filter(c -> c.getType().equals("DisruptionTarget"))
                    .findFirst().orElseThrow().getLastTransitionTime();
            assertThat(Duration.between(java.time.Instant.parse(first.getMetadata().getCreationTimestamp()),
                    java.time.Instant.parse(marked))).isGreaterThanOrEqualTo(Duration.ofSeconds(40));
        }
    }

    @Test
    void terminatedPodsBeyondTheThresholdGoOldestFirst() {
        try (TestServer server = new TestServer(KubeCluster.builder().timeMode(KubeCluster.TimeMode.AUTO)
                .terminatedPodThreshold(3))) {
            KubernetesClient client = server.fabric8();
            for (int i = 0; i < 5; i++) {
                client.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName("done-" + i)
                        .endMetadata().withNewSpec().withRestartPolicy("Never").addNewContainer().withName("c")
                        .withImage("busybox:1.36").withCommand("sh", "-c", "echo ok").endContainer().endSpec().build()).create();
                int created = i;
                await().atMost(Duration.ofSeconds(20)).until(() -> {
                    Pod p = client.pods().inNamespace("default").withName("done-" + created).get();
                    return p == null || "Succeeded".equals(p.getStatus().getPhase());
                });
            }
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                    assertThat(client.pods().inNamespace("default").list().getItems())
                            .extracting(p -> p.getMetadata().getName()).containsExactlyInAnyOrder("done-2", "done-3", "done-4"));
        }
    }
}
