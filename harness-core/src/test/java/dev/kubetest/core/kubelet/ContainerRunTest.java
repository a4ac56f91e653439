package dev.kubetest.core.kubelet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubetest.core.json.Json;
import dev.kubetest.core.runtime.ContainerProcess;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The container state machine's transitions, without a kubelet, a runtime or a clock. */
class ContainerRunTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private static ObjectNode spec() {
        ObjectNode spec = Json.object();
        spec.put("name", "app");
        spec.put("image", "busybox");
        return spec;
    }

    private static ContainerProcess process(String id) {
        return new ContainerProcess() {
            public String id() { return id; }
            public void start(Consumer<Exit> onExit) {}
            public void stop(Duration grace) {}
            public void kill() {}
            public boolean running() { return true; }
            public List<LogLine> logs() { return List.of(); }
        };
    }

    private static ContainerProcess.Exit exitAt(Instant at, int code) {
        return new ContainerProcess.Exit(code, code == 0 ? "Completed" : "Error", 0, at);
    }

    @Test
    void startsWaitingInContainerCreatingAndRunsReadyWithoutProbes() {
        ContainerRun c = new ContainerRun("app", spec(), false);
        assertThat(c.state()).isEqualTo(ContainerRun.State.WAITING);
        assertThat(c.waitingReason()).isEqualTo("ContainerCreating");

        c.run(process("p1"), T0);

        assertThat(c.state()).isEqualTo(ContainerRun.State.RUNNING);
        assertThat(c.waitingReason()).isNull();
        assertThat(c.startedAt()).isEqualTo(T0);
        assertThat(c.started()).isTrue();
        assertThat(c.ready()).isTrue();
    }

    @Test
    void probesDecideStartedAndReady() {
        ObjectNode spec = spec();
        spec.putObject("startupProbe");
        spec.putObject("readinessProbe");
        ContainerRun c = new ContainerRun("app", spec, false);
        c.run(process("p1"), T0);
        assertThat(c.started()).isFalse();
        assertThat(c.ready()).isFalse();

        assertThat(c.startupFailed(3)).isFalse();
        assertThat(c.startupFailed(3)).isFalse();
        c.startupSucceeded();
        assertThat(c.started()).isTrue();
        assertThat(c.ready()).as("a readiness probe still decides").isFalse();

        assertThat(c.readinessSucceeded(2)).isFalse();
        assertThat(c.readinessSucceeded(2)).as("second success in a row meets successThreshold 2").isTrue();
        assertThat(c.ready()).isTrue();
        assertThat(c.readinessFailed(2)).isFalse();
        assertThat(c.readinessSucceeded(2)).as("already ready: no change").isFalse();
        assertThat(c.readinessFailed(2)).as("a success in between resets the failure count").isFalse();
        assertThat(c.readinessFailed(2)).isTrue();
        assertThat(c.ready()).isFalse();
    }

    @Test
    void livenessKillsAfterFailureThresholdInARowAndCountsAgainAfterTheKill() {
        ContainerRun c = new ContainerRun("app", spec(), false);
        c.run(process("p1"), T0);
        assertThat(c.livenessFailed(2)).isFalse();
        c.livenessSucceeded();
        assertThat(c.livenessFailed(2)).isFalse();
        assertThat(c.livenessFailed(2)).isTrue();
        c.probeKilling();
        assertThat(c.livenessFailed(2)).isFalse();
    }

    @Test
    void restartsFirstAtOnceThenBacksOffDoublingAndResetsAfterALongRun() {
        ContainerRun c = new ContainerRun("app", spec(), false);
        Instant now = T0;
        c.run(process("p1"), now);
        c.terminated(exitAt(now.plusSeconds(1), 1));
        assertThat(c.state()).isEqualTo(ContainerRun.State.TERMINATED);
        assertThat(c.ready()).isFalse();
        assertThat(c.restartDelay()).isZero();
        c.restartNow();
        assertThat(c.restartCount()).isEqualTo(1);
        assertThat(c.state()).isEqualTo(ContainerRun.State.WAITING);
        assertThat(c.lastExit().exitCode()).isEqualTo(1);

        List<Duration> delays = new java.util.ArrayList<>();
        for (int i = 0; i < 7; i++) {
            now = now.plusSeconds(2);
            c.run(process("p" + (i + 2)), now);
            c.terminated(exitAt(now.plusSeconds(1), 1));
            Duration delay = c.restartDelay();
            delays.add(delay);
            c.backOff(now.plus(delay), "back-off");
            assertThat(c.waitingReason()).isEqualTo("CrashLoopBackOff");
            assertThat(c.restartAt()).isEqualTo(now.plus(delay));
            c.backOffEnded();
            assertThat(c.restartAt()).isNull();
        }
        assertThat(delays).extracting(Duration::getSeconds).containsExactly(10L, 20L, 40L, 80L, 160L, 300L, 300L);
        assertThat(c.restartCount()).isEqualTo(8);

        c.run(process("long"), now);
        c.terminated(exitAt(now.plus(Backoff.RESET_AFTER), 0));
        assertThat(c.restartDelay()).as("a run of ten minutes starts the back-off over").isZero();
        assertThat(c.previousProcess().id()).isEqualTo("p8");
    }

    @Test
    void imagePullFailsWithErrImagePullThenBacksOff() {
        ContainerRun c = new ContainerRun("app", spec(), false);
        Duration first = c.imagePullFailed("nope:1", "not found", T0);
        assertThat(c.waitingReason()).isEqualTo("ErrImagePull");
        assertThat(c.waitingMessage()).isEqualTo("not found");
        assertThat(c.restartAt()).isEqualTo(T0.plus(first));
        Duration second = c.imagePullFailed("nope:1", "not found", T0);
        assertThat(c.waitingReason()).isEqualTo("ImagePullBackOff");
        assertThat(c.waitingMessage()).isEqualTo("Back-off pulling image \"nope:1\": ErrImagePull: not found");
        assertThat(second).isGreaterThan(first);
        c.imagePullRetryDue();
        c.imagePulled();
        assertThat(c.restartAt()).isNull();
        assertThat(c.pulled()).isTrue();
    }

    @Test
    void aPlainInitContainerIsNeverReadyButASidecarIs() {
        JsonNode plain = spec();
        ObjectNode sidecar = spec();
        sidecar.put("restartPolicy", "Always");
        ContainerRun init = new ContainerRun("init", plain, true);
        ContainerRun side = new ContainerRun("side", sidecar, true);
        init.run(process("i"), T0);
        side.run(process("s"), T0);
        assertThat(init.ready()).isFalse();
        assertThat(side.sidecar).isTrue();
        assertThat(side.ready()).isTrue();
        assertThat(side.startedOnce()).isTrue();
    }
}
