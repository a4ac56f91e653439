package dev.kubetest.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kubetest.apiserver.support.Kubectl;
import dev.kubetest.apiserver.support.TestServer;
import dev.kubetest.core.KubeCluster;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** CronJobs start Jobs on the cluster clock, as kube-controller-manager's cronjob controller does. */
class CronJobTest {

    static CronJob cronJob(String name, String schedule, String policy, String script) {
        return new CronJobBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withSchedule(schedule).withConcurrencyPolicy(policy)
                .withNewJobTemplate().withNewMetadata().addToLabels("cron", name).endMetadata()
                .withNewSpec().withNewTemplate().withNewSpec().withRestartPolicy("Never")
                .addNewContainer().withName("main").withImage("busybox:1.36").withCommand("sh", "-c", script).endContainer()
                .endSpec().endTemplate().endSpec().endJobTemplate().endSpec().build();
    }

    private static List<String> events(KubernetesClient client, String name) {
        return client.v1().events().inNamespace("default").withField("involvedObject.name", name).list().getItems()
                .stream().map(e -> e.getReason() + ": " + e.getMessage()).toList();
    }

    private static List<Long> createdRuns(KubernetesClient client, String name) {
        return events(client, name).stream().filter(e -> e.startsWith("SuccessfulCreate: Created job " + name + "-"))
                .map(e -> Long.parseLong(e.substring(e.lastIndexOf('-') + 1))).sorted().toList();
    }

    @Test
    void aForbiddingMinuteCronJobRunsFiveTimesInTenMinutesAndKeepsThreeSuccesses() {
        try (TestServer server = new TestServer(KubeCluster.builder().timeMode(KubeCluster.TimeMode.AUTO))) {
            KubernetesClient client = server.fabric8();
            // each run takes 90 s: with Forbid, the run of the next minute is skipped while it is active
            client.batch().v1().cronjobs().inNamespace("default")
                    .resource(cronJob("tick", "*/1 * * * *", "Forbid", "sleep 90; echo tick")).create();
            Instant created = Instant.parse(client.batch().v1().cronjobs().inNamespace("default").withName("tick").get()
                    .getMetadata().getCreationTimestamp());
            await().atMost(Duration.ofSeconds(60)).until(() -> createdRuns(client, "tick").size() >= 5);
            List<Long> runs = createdRuns(client, "tick").subList(0, 5);
            long firstMinute = created.getEpochSecond() / 60 + 1;
            // named by their scheduled minute, all within ten minutes of cluster time; as upstream, a run that Forbid
            // held back is not dropped (lastScheduleTime stays) and starts when the running one finishes, so runs
            // of 90 s follow each other at 0, 1:30, 3:00, ... and skip every third minute
            assertThat(runs.get(0)).isEqualTo(firstMinute);
            assertThat(runs).isSorted().doesNotHaveDuplicates().allMatch(m -> m < firstMinute + 10);
            assertThat(runs).containsExactly(firstMinute, firstMinute + 1, firstMinute + 3, firstMinute + 4, firstMinute + 6);
            assertThat(events(client, "tick")).contains(
                    "JobAlreadyActive: Not starting job because prior execution is running and concurrency policy is Forbid")
                    .anyMatch(e -> e.matches("SawCompletedJob: Saw completed job: tick-\\d+, status: Complete"));
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                List<Job> complete = client.batch().v1().jobs().inNamespace("default").withLabel("cron", "tick").list()
                        .getItems().stream().filter(j -> j.getStatus() != null && j.getStatus().getConditions() != null
                                && j.getStatus().getConditions().stream().anyMatch(c -> c.getType().equals("Complete")))
                        .toList();
                assertThat(complete).hasSize(3);
            });
            assertThat(events(client, "tick")).anyMatch(e -> e.matches("SuccessfulDelete: Deleted job tick-\\d+"));
            CronJob cj = client.batch().v1().cronjobs().inNamespace("default").withName("tick").get();
            assertThat(cj.getStatus().getLastScheduleTime()).isNotNull();
            assertThat(cj.getStatus().getLastSuccessfulTime()).isNotNull();
            Job any = client.batch().v1().jobs().inNamespace("default").withLabel("cron", "tick").list().getItems().get(0);
            assertThat(any.getMetadata().getAnnotations()).containsKey("batch.kubernetes.io/cronjob-scheduled-timestamp");
            assertThat(any.getMetadata().getOwnerReferences().get(0).getKind()).isEqualTo("CronJob");
        }
    }

    @Test
    void replaceDeletesTheRunningJobAndKubectlCanStartARunByHand() {
        Kubectl.assumePresent();
        try (TestServer server = new TestServer(KubeCluster.builder().timeMode(KubeCluster.TimeMode.AUTO))) {
            KubernetesClient client = server.fabric8();
            client.batch().v1().cronjobs().inNamespace("default")
                    .resource(cronJob("long", "*/1 * * * *", "Replace", "sleep 600")).create();
            await().atMost(Duration.ofSeconds(60)).until(() -> createdRuns(client, "long").size() >= 2);
            assertThat(events(client, "long")).anyMatch(e -> e.matches("SuccessfulDelete: Deleted job long-\\d+"));
            CronJob cj = client.batch().v1().cronjobs().inNamespace("default").withName("long").get();
            assertThat(cj.getStatus().getActive()).hasSize(1);

            client.batch().v1().cronjobs().inNamespace("default")
                    .resource(cronJob("report", "0 0 1 1 *", "Allow", "echo report")).create();
            Kubectl kubectl = server.kubectl();
            kubectl.run("create", "job", "report-now", "--from=cronjob/report").ok();
            kubectl.run("wait", "--for=condition=complete", "job/report-now", "--timeout=60s").ok();
            Job manual = client.batch().v1().jobs().inNamespace("default").withName("report-now").get();
            assertThat(manual.getMetadata().getAnnotations()).containsEntry("cronjob.kubernetes.io/instantiate", "manual");
            assertThat(kubectl.run("logs", "job/report-now").ok().out()).isEqualTo("report\n");
            assertThat(kubectl.run("get", "cronjobs").ok().out()).containsPattern("report\\s+0 0 1 1 \\*\\s+<none>\\s+False\\s+0");
        }
    }

    @Test
    void aSuspendedCronJobStartsOnlyTheLatestMissedRunOnResume() {
        try (TestServer server = new TestServer(KubeCluster.builder().timeMode(KubeCluster.TimeMode.MANUAL))) {
            KubernetesClient client = server.fabric8();
            dev.kubetest.core.clock.ManualClock clock = (dev.kubetest.core.clock.ManualClock) server.cluster().clock();
            CronJob cj = cronJob("nightly", "*/5 * * * *", "Allow", "echo ran");
            cj.getSpec().setSuspend(true);
            client.batch().v1().cronjobs().inNamespace("default").resource(cj).create();
            clock.advance(Duration.ofMinutes(30));
            assertThat(createdRuns(client, "nightly")).isEmpty();
            client.batch().v1().cronjobs().inNamespace("default").withName("nightly").edit(x -> {
                x.getSpec().setSuspend(false);
                return x;
            });
            await().atMost(Duration.ofSeconds(20)).until(() -> createdRuns(client, "nightly").size() == 1);
            long run = createdRuns(client, "nightly").get(0);
            long now = clock.now().getEpochSecond() / 60;
            assertThat(run).isEqualTo(now - now % 5);
        }
    }

    @Test
    void badSchedulesAndTimeZonesAreRefused() {
        try (TestServer server = new TestServer()) {
            KubernetesClient client = server.fabric8();
            CronJob tz = cronJob("tz", "CRON_TZ=UTC 0 * * * *", "Allow", "true");
            assertThat(org.assertj.core.api.Assertions.catchThrowableOfType(() -> client.batch().v1().cronjobs()
                    .inNamespace("default").resource(tz).create(), KubernetesClientException.class))
                    .satisfies(e -> {
                        assertThat(e.getCode()).isEqualTo(422);
                        assertThat(e.getStatus().getDetails().getCauses().get(0).getField()).isEqualTo("spec.schedule");
                        assertThat(e.getStatus().getDetails().getCauses().get(0).getMessage())
                                .contains("cannot use TZ or CRON_TZ in schedule");
                    });
            CronJob zone = cronJob("zone", "0 9 * * *", "Allow", "true");
            zone.getSpec().setTimeZone("Mars/Olympus_Mons");
            assertThat(org.assertj.core.api.Assertions.catchThrowableOfType(() -> client.batch().v1().cronjobs()
                    .inNamespace("default").resource(zone).create(), KubernetesClientException.class).getCode()).isEqualTo(422);
            zone.getSpec().setTimeZone("Europe/Berlin");
            client.batch().v1().cronjobs().inNamespace("default").resource(zone).create();
        }
    }
}
