package dev.kubetest.core.kubelet;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kubetest.core.clock.Clock;
import dev.kubetest.core.runtime.ContainerProcess;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The kubelet's view of one container of a pod: its current process, state, restarts and probe results. */
final class ContainerRun {
    enum State { WAITING, RUNNING, TERMINATED }

    final String name;
    final JsonNode spec;
    final boolean init;
    final boolean sidecar;
    /** An ephemeral container (kubectl debug): started once, never restarted, no probes, never ready. */
    final boolean ephemeral;
    ContainerProcess process;
    ContainerProcess previousProcess;
    int backoffRestarts;
    State state = State.WAITING;
    String waitingReason = "ContainerCreating";
    String waitingMessage;
    Instant startedAt;
    ContainerProcess.Exit exit;
    ContainerProcess.Exit lastExit;
    Instant lastExitStartedAt;
    Instant lastStartedAt;
    int restartCount;
    boolean ready;
    boolean started;
    /** A sidecar that has been started once counts towards initialisation from then on. */
    boolean startedOnce;
    boolean pulled;
    int imagePullFailures;
    int livenessFailures;
    int readinessFailures;
    int readinessSuccesses;
    int startupFailures;
    Instant restartAt;
    final List<Clock.Timer> timers = new ArrayList<>();

    ContainerRun(String name, JsonNode spec, boolean init) {
        this(name, spec, init, false);
    }

    ContainerRun(String name, JsonNode spec, boolean init, boolean ephemeral) {
        this.name = name;
        this.spec = spec;
        this.init = init;
        this.ephemeral = ephemeral;
        this.sidecar = init && "Always".equals(spec.path("restartPolicy").asText());
    }

    void cancelTimers() {
        timers.forEach(Clock.Timer::cancel);
        timers.clear();
    }

    boolean succeeded() {
        return state == State.TERMINATED && exit != null && exit.exitCode() == 0;
    }
}
