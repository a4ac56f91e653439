package dev.kubetest.core.kubelet;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kubetest.core.api.KubeApi;
import dev.kubetest.core.meta.ResourceType;
import dev.kubetest.core.meta.WriteOptions;
import dev.kubetest.core.events.EventRecorder;
import dev.kubetest.core.runtime.ContainerRuntime;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * The ways the kubelet itself fails a pod that is running: activeDeadlineSeconds (DeadlineExceeded) and the
 * eviction manager's emptyDir sizeLimit check (Evicted). Both go through {@link #fail}, which records the
 * reason for the status and stops the containers with the pod's grace period.
 */
final class PodFailures {
    private final Kubelet kubelet;
    private final KubeApi api;
    private final ContainerRuntime runtime;
    private final EventRecorder events;
    private final ResourceType pods;
    private final Consumer<String> requeue;

    PodFailures(Kubelet kubelet, KubeApi api, ContainerRuntime runtime, EventRecorder events, Consumer<String> requeue) {
        this.kubelet = kubelet;
        this.api = api;
        this.runtime = runtime;
        this.events = events;
        this.pods = api.registry().find("", "v1", "pods").orElseThrow();
        this.requeue = requeue;
    }

    /** activeDeadlineSeconds: past it, the pod's containers are killed and it fails with DeadlineExceeded. */
    void scheduleDeadline(PodRun run, JsonNode pod, String key) {
        JsonNode ads = pod.path("spec").get("activeDeadlineSeconds");
        if (ads == null || run.deadlineTimer != null) {
            return;
        }
        Instant at = run.startTime.plusSeconds(ads.asLong());
        run.deadlineTimer = api.clock().schedule(at, () -> {
            String message = "Pod was active on the node longer than the specified deadline";
            fail(run, pod, key, "DeadlineExceeded", message, () ->
                    events.record(kubelet.podRef(run), null, "Normal", "DeadlineExceeded", message));
        });
    }

    /** emptyDir sizeLimit: every 10 s of cluster time, as upstream's eviction manager, usage over a limit evicts. */
    void scheduleEvictionCheck(PodRun run, JsonNode pod, String key) {
        if (run.evictionTimer != null || !EmptyDirLimits.any(pod)) {
            return;
        }
        run.evictionTimer = api.clock().schedule(api.clock().now().plus(EmptyDirLimits.INTERVAL), () -> {
            synchronized (run) {
                run.evictionTimer = null;
                if (!kubelet.runs(key, run) || run.terminating || run.failed()) {
                    return;
                }
            }
            String message = EmptyDirLimits.exceeded(runtime, pod);
            if (message == null) {
                scheduleEvictionCheck(run, pod, key);
                return;
            }
            fail(run, pod, key, "Evicted", message, () -> {
                events.record(kubelet.podRef(run), null, "Warning", "Evicted", message);
                setDisruptionTarget(run, message);
            });
        });
    }

    private void setDisruptionTarget(PodRun run, String message) {
        api.mutate(pods, run.namespace, run.name, null, WriteOptions.manager("kubelet"), p -> {
            dev.kubetest.core.api.PodConditions.set(p, "DisruptionTarget", "True", "TerminationByKubelet", message, api.timestamp());
            return p;
        }, KubeApi.Target.STATUS);
    }

    /** The kubelet fails the pod: it records why, stops every container with the grace period, and syncs. */
    private void fail(PodRun run, JsonNode pod, String key, String reason, String message, Runnable report) {
        synchronized (run) {
            if (run.terminating || run.failed()) {
                return;
            }
            run.failureReason = reason;
            run.failureMessage = message;
            report.run();
            for (ContainerRun c : run.all()) {
                c.cancelTimers();
                if (c.process() != null && c.process().running()) {
                    c.process().stop(Duration.ofSeconds(pod.path("spec").path("terminationGracePeriodSeconds").asLong(30)));
                }
            }
        }
        requeue.accept(key);
    }
}
