package dev.kubetest.core.kubelet;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kubetest.core.api.KubeApi;
import dev.kubetest.core.events.EventRecorder;
import dev.kubetest.core.runtime.ContainerProcess;
import dev.kubetest.core.runtime.ContainerRuntime;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * The probes of one container instance on the cluster clock: the startup probe until it succeeds, then liveness
 * (failureThreshold failures kill the container, which then restarts) and readiness (the Ready condition).
 * Events: Unhealthy for failures, Killing when liveness gives up.
 */
final class ProbeLoop {
    private final Kubelet kubelet;
    private final KubeApi api;
    private final ContainerRuntime runtime;
    private final EventRecorder events;
    private final PodRun run;
    private final ContainerRun c;
    private final ContainerProcess process;
    private final String key;
    private final Consumer<String> requeue;

    ProbeLoop(Kubelet kubelet, KubeApi api, ContainerRuntime runtime, EventRecorder events, PodRun run, ContainerRun c,
              String key, Consumer<String> requeue) {
        this.kubelet = kubelet;
        this.api = api;
        this.runtime = runtime;
        this.events = events;
        this.run = run;
        this.c = c;
        this.process = c.process();
        this.key = key;
        this.requeue = requeue;
    }

    void start(JsonNode pod) {
        JsonNode startup = c.spec.get("startupProbe");
        if (startup != null) {
            schedule(Prober.initialDelay(startup), () -> probe("Startup", startup));
        } else {
            startMain();
        }
    }

    private void startMain() {
        JsonNode liveness = c.spec.get("livenessProbe");
        JsonNode readiness = c.spec.get("readinessProbe");
        if (liveness != null) {
            schedule(Prober.initialDelay(liveness), () -> probe("Liveness", liveness));
        }
        if (readiness != null) {
            schedule(Prober.initialDelay(readiness), () -> probe("Readiness", readiness));
        }
    }

    private void schedule(Duration after, Runnable r) {
        synchronized (run) {
            if (c.process() != process || !process.running()) {
                return;
            }
            c.addTimer(api.clock().scheduleAfter(after, r));
        }
    }

    private void scheduleBackground(Duration after, Runnable r) {
        synchronized (run) {
            if (c.process() != process || !process.running()) {
                return;
            }
            c.addTimer(api.clock().scheduleBackground(after, r));
        }
    }

    private boolean current() {
        synchronized (run) {
            return c.process() == process && process.running() && !run.terminating;
        }
    }

    private void probe(String kind, JsonNode spec) {
        if (!current()) {
            return;
        }
        Prober.run(runtime, process, c.spec, spec, outcome -> handle(kind, spec, outcome));
    }

    private void handle(String kind, JsonNode spec, Prober.Outcome outcome) {
        if (!current()) {
            return;
        }
        int failureThreshold = spec.path("failureThreshold").asInt(3);
        int successThreshold = spec.path("successThreshold").asInt(1);
        boolean changed = false;
        boolean kill = false;
        synchronized (run) {
            switch (kind) {
                case "Startup" -> {
                    if (outcome.success()) {
                        c.startupSucceeded();
                        changed = true;
                    } else if (c.startupFailed(failureThreshold)) {
                        kill = true;
                    }
                }
                case "Liveness" -> {
                    if (outcome.success()) {
                        c.livenessSucceeded();
                    } else if (c.livenessFailed(failureThreshold)) {
                        kill = true;
                    }
                }
                default -> {
                    changed = outcome.success() ? c.readinessSucceeded(successThreshold)
                            : c.readinessFailed(failureThreshold);
                }
            }
        }
        if (outcome.success() && outcome.warning() != null) {
            events.record(podObject(), kubelet.fieldPath(c), "Warning", "ProbeWarning", kind + " probe warning: " + outcome.warning());
        }
        if (!outcome.success()) {
            JsonNode pod = podObject();
            events.record(pod, kubelet.fieldPath(c), "Warning", "Unhealthy", kind + " probe failed: " + outcome.output());
            if (kill) {
                events.record(pod, kubelet.fieldPath(c), "Normal", "Killing", "Container " + c.name + " failed "
                        + kind.toLowerCase() + " probe, will be restarted");
                synchronized (run) {
                    c.probeKilling();
                }
                long grace = spec.has("terminationGracePeriodSeconds") ? spec.path("terminationGracePeriodSeconds").asLong()
                        : pod.path("spec").path("terminationGracePeriodSeconds").asLong(30);
                kubelet.stopWithPreStop(run, pod, c, grace);
                return;
            }
        }
        if (changed) {
            requeue.accept(key);
            if (kind.equals("Startup")) {
                startMain();
            }
        }
        if (!kind.equals("Startup") || !outcome.success()) {
            // the next run of a probe the simulated runtime answers at once is housekeeping for a time-skipping clock
            Duration period = Prober.period(spec);
            if (spec.has("exec")) {
                schedule(period, () -> probe(kind, spec));
            } else {
                scheduleBackground(period, () -> probe(kind, spec));
            }
        }
    }

    private JsonNode podObject() {
        return kubelet.podRef(run);
    }
}
