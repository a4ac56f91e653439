package dev.kubetest.core.workload;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubetest.core.cron.CronSchedule;
import dev.kubetest.core.cron.MissedSchedules;
import dev.kubetest.core.json.Json;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The arithmetic of the Job and CronJob controllers. */
class JobFunctionsTest {
    @ParameterizedTest
    @CsvSource({
            "5, 2, 0, 0, 2", "5, 2, 4, 0, 1", "5, 2, 5, 0, 0", "2, 5, 0, 0, 2",
            ", 5, 0, 0, 5", ", 5, 1, 4, 4", ", 5, 1, 0, 0", "1, 1, 0, 0, 1", "3, 0, 0, 0, 0"})
    void wantedActivePodsFollowCompletionsAndParallelism(Integer completions, int parallelism, int succeeded, int active, int want) {
        assertThat(JobMath.wantActive(completions, parallelism, succeeded, active)).isEqualTo(want);
    }

    @ParameterizedTest
    @CsvSource({"0, 0", "1, 10", "2, 20", "3, 40", "5, 160", "6, 320", "7, 360", "30, 360"})
    void reCreationBackOffDoublesFromTenSecondsToSixMinutes(int failures, long seconds) {
        assertThat(JobMath.backoff(failures)).isEqualTo(Duration.ofSeconds(seconds));
    }

    @Test
    void completedIndexesAreWrittenAsUpstreamWritesThem() {
        assertThat(JobMath.compress(new TreeSet<>(List.of(0, 1, 2, 5, 7, 8)))).isEqualTo("0-2,5,7-8");
        assertThat(JobMath.compress(new TreeSet<>())).isEmpty();
        assertThat(JobMath.parse("0-2,5,7-8", 8)).containsExactly(0, 1, 2, 5, 7);
        assertThat(JobMath.nextIndexes(6, new TreeSet<>(List.of(0, 2)), Set.of(1), 2)).containsExactly(3, 4);
    }

    private static ObjectNode failedPod(int exitCode, String condition) {
        ObjectNode pod = Json.object();
        pod.putObject("metadata").put("name", "p").put("namespace", "ns");
        ObjectNode status = pod.putObject("status").put("phase", "Failed");
        status.putArray("containerStatuses").addObject().put("name", "main").putObject("state").putObject("terminated")
                .put("exitCode", exitCode);
        if (condition != null) {
            status.putArray("conditions").addObject().put("type", condition).put("status", "True");
        }
        return pod;
    }

    @Test
    void podFailurePolicyRulesMatchInOrder() {
        ObjectNode policy = (ObjectNode) Json.parse("{\"rules\":["
                + "{\"action\":\"Ignore\",\"onPodConditions\":[{\"type\":\"DisruptionTarget\"}]},"
                + "{\"action\":\"FailJob\",\"onExitCodes\":{\"containerName\":\"main\",\"operator\":\"In\",\"values\":[42]}},"
                + "{\"action\":\"Count\",\"onExitCodes\":{\"operator\":\"NotIn\",\"values\":[1]}}]}");
        assertThat(PodFailurePolicy.match(policy, failedPod(42, null))).hasValueSatisfying(m -> {
            assertThat(m.action()).isEqualTo("FailJob");
            assertThat(m.message()).isEqualTo("Container main for pod ns/p failed with exit code 42 matching FailJob rule at index 1");
        });
        assertThat(PodFailurePolicy.match(policy, failedPod(42, "DisruptionTarget")).orElseThrow().action()).isEqualTo("Ignore");
        assertThat(PodFailurePolicy.match(policy, failedPod(3, null)).orElseThrow().action()).isEqualTo("Count");
        assertThat(PodFailurePolicy.match(policy, failedPod(1, null))).isEmpty();
    }

    @Test
    void onlyTheLatestMissedRunIsDueAndMoreThanAHundredIsTooMany() {
        CronSchedule everyMinute = CronSchedule.parse("*/1 * * * *", ZoneOffset.UTC);
        Instant last = Instant.parse("2026-01-01T00:00:00Z");
        MissedSchedules.Due none = MissedSchedules.due(everyMinute, last, null, last.plusSeconds(30));
        assertThat(none.mostRecent()).isEmpty();
        MissedSchedules.Due three = MissedSchedules.due(everyMinute, last, null, last.plusSeconds(200));
        assertThat(three.mostRecent()).contains(Instant.parse("2026-01-01T00:03:00Z"));
        assertThat(three.count()).isEqualTo(3);
        assertThat(three.tooMany()).isFalse();
        MissedSchedules.Due many = MissedSchedules.due(everyMinute, last, null, last.plus(Duration.ofHours(3)));
        assertThat(many.tooMany()).isTrue();
        assertThat(many.mostRecent()).contains(Instant.parse("2026-01-01T03:00:00Z"));
        // a starting deadline moves the search window: nothing older than now - 30 s is due
        MissedSchedules.Due late = MissedSchedules.due(everyMinute, last, 30L, last.plus(Duration.ofHours(3)).plusSeconds(40));
        assertThat(late.mostRecent()).isEmpty();
        assertThat(late.tooMany()).isFalse();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"succeededIndexes\":\"0\"}                          | 0     | true",
            "{\"succeededIndexes\":\"0-2\"}                        | 0,1   | false",
            "{\"succeededIndexes\":\"0-2\",\"succeededCount\":2}   | 0,2   | true",
            "{\"succeededCount\":3}                                | 1,3,4 | true",
            "{\"succeededCount\":3}                                | 1,3   | false"})
    void successPolicyRules(String rule, String done, boolean met) {
        TreeSet<Integer> indexes = new TreeSet<>();
        for (String i : done.split(",")) {
            indexes.add(Integer.parseInt(i));
        }
        assertThat(JobMath.successRuleMet(Json.parse(rule), indexes, 5)).isEqualTo(met);
    }
}
