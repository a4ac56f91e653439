package example;

import static dev.kubetest.assertions.KubeAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kubetest.core.KubeCluster;
import dev.kubetest.junit.KubeTest;
import dev.kubetest.junit.TestNamespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * A Job of three completions, two at a time, and a CronJob every five minutes: with the cluster's clock under the
 * test's control an hour of schedule passes in well under a second.
 */
@KubeTest(time = KubeTest.Time.AUTO)
class JobAndCronJobTest {

    @Test
    void theJobCompletesAndTheCronJobRunsOnSchedule(KubeCluster cluster, KubernetesClient client,
                                                     @TestNamespace String namespace) throws Exception {
        Instant start = cluster.clock().now();
        cluster.apply(Path.of("src/test/resources/batch.yaml"), namespace);

        assertThat(cluster.job(namespace, "report")).eventually().isComplete().hasSucceeded(3).hasFailedPods(0);

        // an hour of cluster time: twelve runs, the last two Jobs kept
        assertThat(cluster.cronJob(namespace, "cleanup")).during(Duration.ofHours(1)).exists();
        assertThat(cluster.cronJob(namespace, "cleanup")).eventually().hasSucceededOnce().hasActiveJobs(0);
        assertThat(Duration.between(start, cluster.clock().now())).isGreaterThanOrEqualTo(Duration.ofHours(1));
        // time keeps running: a newer run may just have finished, its oldest Job not yet trimmed, so wait for the
        // history to settle at the limit
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(5)).untilAsserted(() ->
                assertThat(client.batch().v1().jobs().list().getItems())
                        .filteredOn(j -> j.getMetadata().getName().startsWith("cleanup-"))
                        .hasSize(2)
                        .allSatisfy(j -> assertThat(j).isComplete()));
    }
}
