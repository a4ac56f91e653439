package dev.kubetest.core.kubelet;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kubetest.core.clock.Clock;
import dev.kubetest.core.runtime.ContainerProcess;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The kubelet's view of one container of a pod, as a state machine: WAITING (creating, pulling, backing off),
 * RUNNING (a process, with its startup/readiness state) and TERMINATED (the last exit). Its state changes only
 * through the named transitions below; the kubelet, the probe loop and the image puller call them under the pod's
 * lock, and the status writer only reads.
 */
final class ContainerRun {
    enum State { WAITING, RUNNING, TERMINATED }

    final String name;
    final JsonNode spec;
    final boolean init;
    final boolean sidecar;
    /** An ephemeral container (kubectl debug): started once, never restarted, no probes, never ready. */
    final boolean ephemeral;
    private final List<Clock.Timer> timers = new ArrayList<>();

    private State state = State.WAITING;
    private String waitingReason = "ContainerCreating";
    private String waitingMessage;
    private ContainerProcess process;
    private ContainerProcess previousProcess;
    private Instant startedAt;
    private Instant lastStartedAt;
    private ContainerProcess.Exit exit;
    private ContainerProcess.Exit lastExit;
    private Instant lastExitStartedAt;
    private int restartCount;
    private int backoffRestarts;
    private Instant restartAt;
    private boolean ready;
    private boolean started;
    /** A sidecar that has been started once counts towards initialisation from then on. */
    private boolean startedOnce;
    private boolean pulled;
    private int imagePullFailures;
    private int livenessFailures;
    private int readinessFailures;
    private int readinessSuccesses;
    private int startupFailures;

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

    // ---- transitions ----

    /** Any state to WAITING, with the reason and message the status shows. */
    void waitWith(String reason, String message) {
        state = State.WAITING;
        waitingReason = reason;
        waitingMessage = message;
    }

    /** While the pod terminates, a container that never started keeps a reason (ContainerCreating if it had none). */
    void keepWaitingReason() {
        if (waitingReason == null) {
            waitingReason = "ContainerCreating";
        }
    }

    /** WAITING to RUNNING with a new process; started and ready follow from the probes the container has. */
    void run(ContainerProcess newProcess, Instant now) {
        if (process != null) {
            previousProcess = process;
        }
        process = newProcess;
        state = State.RUNNING;
        startedAt = now;
        lastStartedAt = now;
        exit = null;
        waitingReason = null;
        waitingMessage = null;
        started = !spec.has("startupProbe");
        startedOnce |= started;
        ready = !spec.has("readinessProbe") && started && !(init && !sidecar) && !ephemeral;
    }

    /** RUNNING to TERMINATED: the process exited. */
    void terminated(ContainerProcess.Exit processExit) {
        exit = processExit;
        state = State.TERMINATED;
        ready = false;
        started = false;
    }

    /**
     * A terminated container that will be restarted: the exit becomes the last state, and the crash-loop back-off
     * (reset after a long enough run) gives the delay before the restart.
     */
    Duration restartDelay() {
        if (Duration.between(startedAt, exit.at()).compareTo(Backoff.RESET_AFTER) >= 0) {
            backoffRestarts = 0;
        }
        Duration delay = Backoff.delay(backoffRestarts);
        backoffRestarts++;
        lastExit = exit;
        lastExitStartedAt = startedAt;
        return delay;
    }

    /** TERMINATED to WAITING for an immediate restart (the first restart has no back-off). */
    void restartNow() {
        restartCount++;
        restartAt = null;
        state = State.WAITING;
        lastStartedAt = null;
    }

    /** TERMINATED to WAITING in CrashLoopBackOff until the given time. */
    void backOff(Instant until, String message) {
        waitWith("CrashLoopBackOff", message);
        restartAt = until;
    }

    /** The back-off ended: the container may be started again. */
    void backOffEnded() {
        restartCount++;
        restartAt = null;
        lastStartedAt = null;
    }

    /** A failed pull: WAITING with ErrImagePull, then ImagePullBackOff; returns the delay before the next try. */
    Duration imagePullFailed(String image, String error, Instant now) {
        imagePullFailures++;
        boolean again = imagePullFailures > 1;
        waitWith(again ? "ImagePullBackOff" : "ErrImagePull",
                again ? "Back-off pulling image \"" + image + "\": ErrImagePull: " + error : error);
        Duration retry = Backoff.delay(imagePullFailures);
        restartAt = now.plus(retry);
        return retry;
    }

    void imagePullRetryDue() {
        restartAt = null;
    }

    void imagePulled() {
        pulled = true;
    }

    /** The startup probe succeeded: the container is started, and ready unless a readiness probe decides. */
    void startupSucceeded() {
        started = true;
        startedOnce = true;
        ready = !spec.has("readinessProbe") && !(init && !sidecar);
    }

    /** True when the startup probe has now failed failureThreshold times in a row. */
    boolean startupFailed(int failureThreshold) {
        return ++startupFailures >= failureThreshold;
    }

    void livenessSucceeded() {
        livenessFailures = 0;
    }

    /** True when the liveness probe has now failed failureThreshold times in a row. */
    boolean livenessFailed(int failureThreshold) {
        return ++livenessFailures >= failureThreshold;
    }

    /** True when readiness changed: successThreshold successes in a row make an unready container ready. */
    boolean readinessSucceeded(int successThreshold) {
        readinessFailures = 0;
        if (++readinessSuccesses >= successThreshold && !ready) {
            ready = true;
            return true;
        }
        return false;
    }

    /** True when readiness changed: failureThreshold failures in a row make a ready container unready. */
    boolean readinessFailed(int failureThreshold) {
        readinessSuccesses = 0;
        if (++readinessFailures >= failureThreshold && ready) {
            ready = false;
            return true;
        }
        return false;
    }

    /** A probe is about to kill the container: its failure counts start again with the next process. */
    void probeKilling() {
        livenessFailures = 0;
        startupFailures = 0;
    }

    void addTimer(Clock.Timer timer) {
        timers.add(timer);
    }

    void cancelTimers() {
        timers.forEach(Clock.Timer::cancel);
        timers.clear();
    }

    // ---- reads ----

    State state() { return state; }
    String waitingReason() { return waitingReason; }
    String waitingMessage() { return waitingMessage; }
    ContainerProcess process() { return process; }
    ContainerProcess previousProcess() { return previousProcess; }
    Instant startedAt() { return startedAt; }
    Instant lastStartedAt() { return lastStartedAt; }
    ContainerProcess.Exit exit() { return exit; }
    ContainerProcess.Exit lastExit() { return lastExit; }
    Instant lastExitStartedAt() { return lastExitStartedAt; }
    int restartCount() { return restartCount; }
    Instant restartAt() { return restartAt; }
    boolean ready() { return ready; }
    boolean started() { return started; }
    boolean startedOnce() { return startedOnce; }
    boolean pulled() { return pulled; }

    boolean succeeded() {
        return state == State.TERMINATED && exit != null && exit.exitCode() == 0;
    }
}
