package dev.kubetest.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.kubetest.apiserver.support.Kubectl;
import dev.kubetest.apiserver.support.TestServer;
import dev.kubetest.core.KubeCluster;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.LifecycleBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Jobs run their pods to completion as kube-controller-manager's job controller does. */
class JobTest {

    static Job job(String name, String script) {
        return new JobBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withNewTemplate().withNewSpec().withRestartPolicy("Never")
                .addNewContainer().withName("main").withImage("busybox:1.36").withCommand("sh", "-c", script).endContainer()
                .endSpec().endTemplate().endSpec().build();
    }

    static Job get(KubernetesClient client, String name) {
        return client.batch().v1().jobs().inNamespace("default").withName(name).get();
    }

    static JobCondition condition(Job job, String type) {
        return job.getStatus() == null || job.getStatus().getConditions() == null ? null
                : job.getStatus().getConditions().stream().filter(c -> c.getType().equals(type)).findFirst().orElse(null);
    }

    static List<Pod> podsOf(KubernetesClient client, String job) {
        return client.pods().inNamespace("default").withLabel("batch.kubernetes.io/job-name", job).list().getItems();
    }

    private static List<String> events(KubernetesClient client, String name) {
        return client.v1().events().inNamespace("default").withField("involvedObject.name", name).list().getItems()
                .stream().map(e -> e.getReason() + ": " + e.getMessage()).toList();
    }

    @Test
    void fiveCompletionsTwoAtATimeSurviveTwoFailuresWithBackOff() {
        Kubectl.assumePresent();
        try (TestServer server = new TestServer(KubeCluster.builder().timeMode(KubeCluster.TimeMode.AUTO))) {
            KubernetesClient client = server.fabric8();
            // a node-wide directory decides: the first two pods to claim a failure slot exit 1, the rest succeed
            Job job = job("work", "mkdir /shared/fail1 2>/dev/null && exit 1; mkdir /shared/fail2 2>/dev/null && exit 1; "
                    + "echo done; exit 0");
            job.getSpec().setCompletions(5);
            job.getSpec().setParallelism(2);
            job.getSpec().getTemplate().getSpec().getContainers().get(0).getVolumeMounts()
                    .add(new io.fabric8.kubernetes.api.model.VolumeMountBuilder().withName("shared").withMountPath("/shared").build());
            job.getSpec().getTemplate().getSpec().getVolumes().add(new io.fabric8.kubernetes.api.model.VolumeBuilder()
                    .withName("shared").withNewHostPath().withPath("/tmp/jobtest").withType("DirectoryOrCreate").endHostPath().build());
            client.batch().v1().jobs().inNamespace("default").resource(job).create();

            Kubectl kubectl = server.kubectl();
            kubectl.run("wait", "--for=condition=complete", "job/work", "--timeout=60s").ok();
            Job done = get(client, "work");
            assertThat(done.getStatus().getSucceeded()).isEqualTo(5);
            assertThat(done.getStatus().getFailed()).isEqualTo(2);
            assertThat(done.getStatus().getActive()).isZero();
            assertThat(done.getStatus().getStartTime()).isNotNull();
            assertThat(done.getStatus().getCompletionTime()).isNotNull();
            assertThat(condition(done, "SuccessCriteriaMet").getStatus()).isEqualTo("True");
            assertThat(condition(done, "Complete").getReason()).isEqualTo("CompletionsReached");
            assertThat(condition(done, "Complete").getMessage()).isEqualTo("Reached expected number of succeeded pods");
            List<Pod> pods = podsOf(client, "work");
            // two failures in a row: the next pods wait 10 s x 2 of cluster time after the second
            Instant lastFailed = pods.stream().filter(p -> "Failed".equals(p.getStatus().getPhase()))
                    .map(p -> Instant.parse(p.getMetadata().getCreationTimestamp())).max(Instant::compareTo).orElseThrow();
            Instant firstAfter = pods.stream().filter(p -> "Succeeded".equals(p.getStatus().getPhase()))
                    .map(p -> Instant.parse(p.getMetadata().getCreationTimestamp())).min(Instant::compareTo).orElseThrow();
            assertThat(Duration.between(lastFailed, firstAfter)).isGreaterThanOrEqualTo(Duration.ofSeconds(20));

            assertThat(pods).hasSize(7).allSatisfy(p -> {
                assertThat(p.getMetadata().getFinalizers()).doesNotContain("batch.kubernetes.io/job-tracking");
                assertThat(p.getMetadata().getLabels()).containsEntry("job-name", "work")
                        .containsEntry("batch.kubernetes.io/controller-uid", done.getMetadata().getUid());
                assertThat(p.getMetadata().getOwnerReferences().get(0).getKind()).isEqualTo("Job");
            });
            assertThat(pods).filteredOn(p -> "Failed".equals(p.getStatus().getPhase())).hasSize(2);
            assertThat(events(client, "work")).filteredOn(e -> e.startsWith("SuccessfulCreate: Created pod: work-")).hasSize(7);
            assertThat(events(client, "work")).contains("Completed: Job completed");
            Pod succeededPod = pods.stream().filter(p -> "Succeeded".equals(p.getStatus().getPhase())).findFirst().orElseThrow();
            assertThat(client.pods().inNamespace("default").withName(succeededPod.getMetadata().getName()).getLog())
                    .isEqualTo("done\n");
            kubectl.run("logs", "job/work").ok();
            assertThat(kubectl.run("get", "job", "work").ok().out()).containsPattern("work\\s+Complete\\s+5/5");
        }
    }

    @Test
    void anIndexedJobGivesEachPodItsIndexAndAPodFailurePolicyCanFailIt() {
        try (TestServer server = new TestServer(KubeCluster.builder().timeMode(KubeCluster.TimeMode.AUTO))) {
            KubernetesClient client = server.fabric8();
            Job ok = job("indexed", "echo index $JOB_COMPLETION_INDEX on $(hostname)");
            ok.getSpec().setCompletions(3);
            ok.getSpec().setParallelism(3);
            ok.getSpec().setCompletionMode("Indexed");
            client.batch().v1().jobs().inNamespace("default").resource(ok).create();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(condition(get(client, "indexed"), "Complete")).isNotNull());
            assertThat(get(client, "indexed").getStatus().getCompletedIndexes()).isEqualTo("0-2");
            for (Pod p : podsOf(client, "indexed")) {
                String index = p.getMetadata().getAnnotations().get("batch.kubernetes.io/job-completion-index");
                assertThat(p.getMetadata().getLabels()).containsEntry("batch.kubernetes.io/job-completion-index", index);
                assertThat(p.getMetadata().getName()).startsWith("indexed-" + index + "-");
                assertThat(p.getSpec().getHostname()).isEqualTo("indexed-" + index);
                assertThat(client.pods().inNamespace("default").withName(p.getMetadata().getName()).getLog())
                        .isEqualTo("index " + index + " on indexed-" + index + "\n");
            }

            Job failing = job("policy", "if [ \"$JOB_COMPLETION_INDEX\" = 1 ]; then exit 42; fi; sleep 600");
            failing.getSpec().setCompletions(3);
            failing.getSpec().setParallelism(3);
            failing.getSpec().setCompletionMode("Indexed");
            failing.getSpec().setPodFailurePolicy(new io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyBuilder()
                    .addNewRule().withAction("FailJob").withNewOnExitCodes().withContainerName("main").withOperator("In")
                    .withValues(42).endOnExitCodes().endRule().build());
            client.batch().v1().jobs().inNamespace("default").resource(failing).create();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                Job j = get(client, "policy");
                assertThat(condition(j, "FailureTarget")).isNotNull();
                assertThat(condition(j, "Failed")).isNotNull().satisfies(c -> {
                    assertThat(c.getReason()).isEqualTo("PodFailurePolicy");
                    assertThat(c.getMessage()).matches("Container main for pod default/policy-1-\\w+ failed with exit code 42 "
                            + "matching FailJob rule at index 0");
                });
                assertThat(j.getStatus().getActive()).isZero();
            });
            // the other indexes' pods were deleted when the Job failed
            assertThat(podsOf(client, "policy")).filteredOn(p -> !p.getMetadata().getName().startsWith("policy-1-"))
                    .allSatisfy(p -> assertThat(p.getStatus().getPhase()).isNotEqualTo("Running"));
        }
    }

    @Test
    void backoffLimitAndDeadlineFailTheJob() {
        Kubectl.assumePresent();
        try (TestServer server = new TestServer(KubeCluster.builder().timeMode(KubeCluster.TimeMode.AUTO))) {
            KubernetesClient client = server.fabric8();
            Job flaky = job("flaky", "exit 1");
            flaky.getSpec().setBackoffLimit(1);
            client.batch().v1().jobs().inNamespace("default").resource(flaky).create();
            Job slow = job("slow", "sleep 3600");
            slow.getSpec().setActiveDeadlineSeconds(30L);
            client.batch().v1().jobs().inNamespace("default").resource(slow).create();

            Kubectl kubectl = server.kubectl();
            kubectl.run("wait", "--for=condition=failed", "job/flaky", "--timeout=60s").ok();
            Job failed = get(client, "flaky");
            assertThat(failed.getStatus().getFailed()).isEqualTo(2);
            assertThat(condition(failed, "Failed").getReason()).isEqualTo("BackoffLimitExceeded");
            assertThat(condition(failed, "Failed").getMessage()).isEqualTo("Job has reached the specified backoff limit");
            assertThat(events(client, "flaky")).contains("BackoffLimitExceeded: Job has reached the specified backoff limit");

            kubectl.run("wait", "--for=condition=failed", "job/slow", "--timeout=60s").ok();
            Job late = get(client, "slow");
            assertThat(condition(late, "Failed").getReason()).isEqualTo("DeadlineExceeded");
            assertThat(condition(late, "Failed").getMessage()).isEqualTo("Job was active longer than specified deadline");
            assertThat(late.getStatus().getActive()).isZero();
            assertThat(kubectl.run("get", "jobs").ok().out()).containsPattern("slow\\s+Failed\\s+0/1");
        }
    }

    @Test
    void aSuspendedJobRunsNothingUntilResumed() {
        Kubectl.assumePresent();
        try (TestServer server = new TestServer(KubeCluster.builder().timeMode(KubeCluster.TimeMode.AUTO))) {
            KubernetesClient client = server.fabric8();
            Job job = job("later", "sleep 5; echo finished");
            job.getSpec().setSuspend(true);
            client.batch().v1().jobs().inNamespace("default").resource(job).create();
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                JobCondition c = condition(get(client, "later"), "Suspended");
                assertThat(c).isNotNull();
                assertThat(c.getStatus()).isEqualTo("True");
                assertThat(c.getReason()).isEqualTo("JobSuspended");
            });
            assertThat(podsOf(client, "later")).isEmpty();
            assertThat(get(client, "later").getStatus().getStartTime()).isNull();

            Kubectl kubectl = server.kubectl();
            kubectl.run("patch", "job/later", "--type=merge", "-p", "{\"spec\":{\"suspend\":false}}").ok();
            kubectl.run("wait", "--for=condition=complete", "job/later", "--timeout=60s").ok();
            Job done = get(client, "later");
            assertThat(condition(done, "Suspended").getStatus()).isEqualTo("False");
            assertThat(condition(done, "Suspended").getReason()).isEqualTo("JobResumed");
            assertThat(events(client, "later")).contains("Suspended: Job suspended", "Resumed: Job resumed");
            assertThat(kubectl.run("logs", "job/later").ok().out()).isEqualTo("finished\n");
        }
    }

    @Test
    void aFinishedJobWithATtlIsDeletedWithItsPods() {
        try (TestServer server = new TestServer(KubeCluster.builder().timeMode(KubeCluster.TimeMode.AUTO))) {
            KubernetesClient client = server.fabric8();
            Job job = job("brief", "echo hi");
            job.getSpec().setTtlSecondsAfterFinished(120);
            client.batch().v1().jobs().inNamespace("default").resource(job).create();
            await().atMost(Duration.ofSeconds(30)).until(() -> get(client, "brief") == null && podsOf(client, "brief").isEmpty());
            // it was complete first, and went 120 s of cluster time later
            assertThat(events(client, "brief")).contains("Completed: Job completed");
        }
    }

    @Test
    void perIndexBackOffLimitsAndSuccessPolicies() {
        try (TestServer server = new TestServer(KubeCluster.builder().timeMode(KubeCluster.TimeMode.AUTO))) {
            KubernetesClient client = server.fabric8();
            // index 1 always fails: with one retry per index it is failed, the others complete, the Job fails
            Job perIndex = job("per-index", "if [ \"$JOB_COMPLETION_INDEX\" = 1 ]; then exit 1; fi; echo ok");
            perIndex.getSpec().setCompletions(3);
            perIndex.getSpec().setParallelism(3);
            perIndex.getSpec().setCompletionMode("Indexed");
            perIndex.getSpec().setBackoffLimitPerIndex(1);
            client.batch().v1().jobs().inNamespace("default").resource(perIndex).create();
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                Job j = get(client, "per-index");
                assertThat(condition(j, "Failed")).isNotNull().satisfies(c -> {
                    assertThat(c.getReason()).isEqualTo("FailedIndexes");
                    assertThat(c.getMessage()).isEqualTo("Job has failed indexes");
                });
                assertThat(j.getStatus().getFailedIndexes()).isEqualTo("1");
                assertThat(j.getStatus().getCompletedIndexes()).isEqualTo("0,2");
                assertThat(j.getStatus().getFailed()).isEqualTo(2);
            });
            assertThat(podsOf(client, "per-index")).filteredOn(p -> p.getMetadata().getName().startsWith("per-index-1-"))
                    .extracting(p -> p.getMetadata().getAnnotations().get("batch.kubernetes.io/job-index-failure-count"))
                    .containsExactlyInAnyOrder("0", "1");

            // a leader index succeeding is enough: the others are stopped and the Job completes by its policy
            Job leader = job("leader", "if [ \"$JOB_COMPLETION_INDEX\" = 0 ]; then echo led; exit 0; fi; sleep 3600");
            leader.getSpec().setCompletions(3);
            leader.getSpec().setParallelism(3);
            leader.getSpec().setCompletionMode("Indexed");
            leader.getSpec().setSuccessPolicy(new io.fabric8.kubernetes.api.model.batch.v1.SuccessPolicyBuilder()
                    .addNewRule().withSucceededIndexes("0").endRule().build());
            client.batch().v1().jobs().inNamespace("default").resource(leader).create();
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                Job j = get(client, "leader");
                assertThat(condition(j, "SuccessCriteriaMet")).isNotNull();
                assertThat(condition(j, "Complete")).isNotNull().satisfies(c -> {
                    assertThat(c.getReason()).isEqualTo("SuccessPolicy");
                    assertThat(c.getMessage()).isEqualTo("Matched rules at index 0");
                });
                assertThat(j.getStatus().getActive()).isZero();
            });
        }
    }

    @Test
    void selectorsManagedByAndPodReplacementPolicy() {
        try (TestServer server = new TestServer(KubeCluster.builder().timeMode(KubeCluster.TimeMode.AUTO))) {
            KubernetesClient client = server.fabric8();
            // a selector of one's own needs manualSelector, as upstream says
            Job picky = job("picky", "true");
            picky.getSpec().setSelector(new LabelSelectorBuilder().withMatchLabels(Map.of("run", "picky")).build());
            picky.getSpec().getTemplate().setMetadata(new ObjectMetaBuilder().withLabels(Map.of("run", "picky")).build());
            assertThatThrownBy(() -> client.batch().v1().jobs().inNamespace("default").resource(picky).create())
                    .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                        assertThat(e.getCode()).isEqualTo(422);
                        assertThat(e.getStatus().getDetails().getCauses()).anySatisfy(c -> {
                            assertThat(c.getField()).isEqualTo("spec.selector");
                            assertThat(c.getMessage()).contains("`selector` not auto-generated");
                        });
                    });
            picky.getSpec().setManualSelector(true);
            client.batch().v1().jobs().inNamespace("default").resource(picky).create();
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                    assertThat(condition(get(client, "picky"), "Complete")).isNotNull());
            assertThat(client.pods().inNamespace("default").withLabel("run", "picky").list().getItems()).singleElement()
                    .satisfies(p -> assertThat(p.getMetadata().getLabels()).doesNotContainKey("batch.kubernetes.io/controller-uid"));

            // a Job managed by another controller is left alone, and that cannot change
            Job foreign = job("foreign", "true");
            foreign.getSpec().setManagedBy("example.com/batch-runner");
            client.batch().v1().jobs().inNamespace("default").resource(foreign).create();
            Instant start = server.cluster().clock().now();
            await().atMost(Duration.ofSeconds(20)).until(() -> server.cluster().clock().now().isAfter(start.plusSeconds(30)));
            assertThat(podsOf(client, "foreign")).isEmpty();
            assertThat(get(client, "foreign").getStatus()).satisfiesAnyOf(s -> assertThat(s).isNull(),
                    s -> assertThat(s.getStartTime()).isNull());
            assertThatThrownBy(() -> client.batch().v1().jobs().inNamespace("default").withName("foreign")
                    .edit(j -> new JobBuilder(j).editSpec().withManagedBy("kubernetes.io/job-controller").endSpec().build()))
                    .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                        assertThat(e.getCode()).isEqualTo(422);
                        assertThat(e.getStatus().getDetails().getCauses()).anySatisfy(c -> {
                            assertThat(c.getField()).isEqualTo("spec.managedBy");
                            assertThat(c.getMessage()).contains("field is immutable");
                        });
                    });
            Job odd = job("odd", "true");
            odd.getSpec().setManagedBy("no-slash");
            assertThatThrownBy(() -> client.batch().v1().jobs().inNamespace("default").resource(odd).create())
                    .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getStatus().getDetails()
                            .getCauses()).anySatisfy(c -> assertThat(c.getMessage()).contains("must be a domain-prefixed path")));

            // podReplacementPolicy: a deleted pod is replaced at once by default, only once it has failed with Failed
            for (String policy : List.of("TerminatingOrFailed", "Failed")) {
                String name = "slow-" + policy.toLowerCase();
                Job slow = job(name, "while true; do sleep 1; done");
                slow.getSpec().getTemplate().getSpec().getContainers().get(0).setLifecycle(new LifecycleBuilder()
                        .withNewPreStop().withNewExec().withCommand("sleep", "20").endExec().endPreStop().build());
                slow.getSpec().setPodReplacementPolicy(policy);
                slow.getSpec().getTemplate().getSpec().setTerminationGracePeriodSeconds(60L);
                client.batch().v1().jobs().inNamespace("default").resource(slow).create();
                await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(get(client, name).getStatus().getReady())
                        .isEqualTo(1));
                Pod first = podsOf(client, name).get(0);
                Instant deletedAt = server.cluster().clock().now();
                client.pods().inNamespace("default").withName(first.getMetadata().getName()).delete();
                // the old pod takes 20 s of cluster time to stop (its preStop hook), then fails
                Pod replacement = await().atMost(Duration.ofSeconds(20)).until(() -> podsOf(client, name).stream()
                        .filter(p -> !p.getMetadata().getUid().equals(first.getMetadata().getUid())).findFirst().orElse(null),
                        java.util.Objects::nonNull);
                long after = Duration.between(deletedAt.truncatedTo(java.time.temporal.ChronoUnit.SECONDS),
                        Instant.parse(replacement.getMetadata().getCreationTimestamp())).toSeconds();
                if (policy.equals("Failed")) {
                    assertThat(after).as("replaced only once the old pod failed").isGreaterThanOrEqualTo(20);
                } else {
                    assertThat(after).as("replaced as soon as the old pod began terminating").isLessThan(20);
                }
                await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(get(client, name).getStatus().getFailed())
                        .isEqualTo(1));
            }
        }
    }
}
