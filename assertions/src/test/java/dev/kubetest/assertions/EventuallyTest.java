package dev.kubetest.assertions;

import static dev.kubetest.assertions.KubeAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kubetest.apiserver.ApiServer;
import dev.kubetest.core.KubeCluster;
import dev.kubetest.core.clock.ManualClock;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Eventual checks against a running in-process cluster: waiting on cluster time, failing fast, holding over a period. */
class EventuallyTest {

    static Pod pod(String name, String restartPolicy, String script) {
        return new PodBuilder().withNewMetadata().withName(name).withNamespace("default").endMetadata()
                .withNewSpec().withRestartPolicy(restartPolicy).addNewContainer().withName("app").withImage("busybox:1.36")
                .withCommand("sh", "-c", script).endContainer().endSpec().build();
    }

    @Test
    void aCrashLoopReachesItsFifthRestartInClusterTimeNotWallTime() {
        try (KubeCluster cluster = KubeCluster.builder().timeMode(KubeCluster.TimeMode.AUTO).build()) {
            cluster.client().create(pod("crashy", "Always", "echo starting; exit 1"));
            Instant start = cluster.clock().now();
            // 10 + 20 + 40 + 80 s of back-off before the fifth restart: minutes of cluster time
            assertThat(cluster.pod("default", "crashy")).eventually(Duration.ofMinutes(10))
                    .container("app").hasRestartCountAtLeast(5).isWaitingWithReason("CrashLoopBackOff").hasLastExitCode(1)
                    .hasLogLine("starting");
            org.assertj.core.api.Assertions.assertThat(Duration.between(start, cluster.clock().now())).isGreaterThan(Duration.ofMinutes(2));
            assertThat(cluster.pod("default", "crashy")).hasWarningEvent("BackOff").isNotReady();
        }
    }

    @Test
    void aWaitForReadinessStopsAtOnceWhenThePodCanNeverBeReady() {
        try (KubeCluster cluster = KubeCluster.builder().timeMode(KubeCluster.TimeMode.AUTO).build()) {
            cluster.client().create(pod("once", "Never", "exit 3"));
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> assertThat(cluster.pod("default", "once")).eventually(Duration.ofHours(1)).isReady())
                    .isInstanceOf(AssertionError.class)
                    .hasMessageStartingWith("Stopped waiting after ")
                    .hasMessageContaining("this can no longer happen. Expecting pod default/once to be Ready, but it is not. Now: phase Failed")
                    .hasMessageContaining("container app terminated: exit code 3 (Error)");
            org.assertj.core.api.Assertions.assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(20));
        }
    }

    @Test
    void aTimeoutSaysHowLongItWaitedAndWhatItSaw() {
        try (KubeCluster cluster = KubeCluster.builder().timeMode(KubeCluster.TimeMode.AUTO).build()) {
            cluster.client().create(pod("sleeper", "Always", "sleep 3600"));
            assertThatThrownBy(() -> assertThat(cluster.pod("default", "sleeper")).eventually(Duration.ofMinutes(2))
                    .container("app").hasRestartCount(1))
                    .hasMessageMatching("(?s)Waited 2 min \\d+ s of cluster time \\([^)]* of wall time\\) in vain\\..*")
                    .hasMessageContaining("in vain. Expecting container app of pod default/sleeper to have restarted 1 times, but it restarted 0 times.");
        }
    }

    @Test
    void duringChecksThatAPodStaysPending() {
        try (KubeCluster cluster = KubeCluster.builder().timeMode(KubeCluster.TimeMode.AUTO).build()) {
            Pod nowhere = pod("nowhere", "Always", "sleep 3600");
            nowhere.getSpec().setNodeSelector(Map.of("disk", "ssd"));
            cluster.client().create(nowhere);
            Instant start = cluster.clock().now();
            assertThat(cluster.pod("default", "nowhere")).during(Duration.ofMinutes(5)).isPending();
            org.assertj.core.api.Assertions.assertThat(cluster.clock().now()).isAfterOrEqualTo(start.plus(Duration.ofMinutes(5)));
            assertThat(cluster.pod("default", "nowhere")).hasCondition("PodScheduled", "False", "Unschedulable")
                    .hasWarningEvent("FailedScheduling");

            cluster.client().create(pod("runs", "Always", "sleep 3600"));
            assertThatThrownBy(() -> assertThat(cluster.pod("default", "runs")).during(Duration.ofMinutes(5)).isPending())
                    .hasMessageStartingWith("It held for ")
                    .hasMessageContaining("Expecting pod default/runs to be in phase Pending, but it is not. Now: phase Running");
        }
    }

    @Test
    void aWaitMovesAManualClockToTheNextTimer() {
        try (KubeCluster cluster = KubeCluster.builder().timeMode(KubeCluster.TimeMode.MANUAL).build()) {
            var job = new JobBuilder().withNewMetadata().withName("nap").withNamespace("default").endMetadata()
                    .withNewSpec().withNewTemplate().withNewSpec().withRestartPolicy("Never").addNewContainer().withName("app")
                    .withImage("busybox:1.36").withCommand("sh", "-c", "sleep 300; echo rested > /tmp/done").endContainer()
                    .endSpec().endTemplate().endSpec().build();
            cluster.client().create(job);
            Instant start = cluster.clock().now();
            assertThat(cluster.job("default", "nap")).eventually(Duration.ofMinutes(30)).isComplete().hasSucceeded(1);
            org.assertj.core.api.Assertions.assertThat(cluster.clock()).isInstanceOf(ManualClock.class);
            org.assertj.core.api.Assertions.assertThat(Duration.between(start, cluster.clock().now()))
                    .isGreaterThanOrEqualTo(Duration.ofMinutes(5)).isLessThan(Duration.ofMinutes(30));
        }
    }

    @Test
    void filesAndLogsOfARunningContainer() {
        try (KubeCluster cluster = KubeCluster.builder().timeMode(KubeCluster.TimeMode.AUTO).build()) {
            cluster.client().create(pod("writer", "Always", "echo hello > /tmp/greeting; echo wrote it; sleep 3600"));
            assertThat(cluster.pod("default", "writer")).eventually().isReady()
                    .container("app").hasFile("/tmp/greeting").hasFileContent("/tmp/greeting", "hello\n")
                    .hasFileContaining("/tmp/greeting", "hell").hasLogLine("wrote it");
            assertThatThrownBy(() -> assertThat(cluster.pod("default", "writer")).container("app").hasFile("/tmp/missing"))
                    .hasMessage("%nExpecting file /tmp/missing in container app of pod default/writer to exist, but there is no such file."
                            .formatted());
        }
    }

    @Test
    void aFabric8ResourceIsReadOverHttp() {
        try (KubeCluster cluster = KubeCluster.builder().timeMode(KubeCluster.TimeMode.AUTO).build();
             ApiServer server = ApiServer.builder(cluster).start();
             KubernetesClient client = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(server.kubeconfig())).build()) {
            client.pods().inNamespace("default").resource(pod("web", "Always", "sleep 3600")).create();
            assertThat(client.pods().inNamespace("default").withName("web")).eventually().isReady().isRunning();
            assertThatThrownBy(() -> assertThat(client.pods().inNamespace("default").withName("web")).isFailed())
                    .hasMessageStartingWith("%nExpecting pod default/web to be in phase Failed".formatted());
        }
    }

    @Test
    void eventuallyNeedsSomethingItCanReadAgain() {
        assertThatThrownBy(() -> assertThat(Pods.ready()).eventually())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("pass a reference such as cluster.pod(namespace, name)");
    }
}
