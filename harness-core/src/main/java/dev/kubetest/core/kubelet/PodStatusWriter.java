package dev.kubetest.core.kubelet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubetest.core.api.KubeApi;
import dev.kubetest.core.json.Json;
import dev.kubetest.core.runtime.ContainerProcess;
import java.util.ArrayList;
import java.util.List;

/** Builds a pod's status from the kubelet's view of it: phase, conditions and container statuses as upstream. */
final class PodStatusWriter {
    private PodStatusWriter() {}

    static String phase(PodRun run) {
        if (run.failed()) {
            return "Failed";
        }
        if (run.terminating && run.all().stream().noneMatch(c -> c.process() != null && c.process().running())) {
            // a deleted pod whose containers have stopped is terminal, as the kubelet writes it before it goes
            // (Succeeded only when every main container exited 0)
            boolean allSucceeded = run.main.stream().allMatch(c -> c.state() == ContainerRun.State.TERMINATED && c.succeeded());
            return allSucceeded ? "Succeeded" : "Failed";
        }
        if (!run.initialized()) {
            for (ContainerRun c : run.init) {
                if (!c.sidecar && c.state() == ContainerRun.State.TERMINATED && !c.succeeded() && run.restartPolicy.equals("Never")) {
                    return "Failed";
                }
            }
            return "Pending";
        }
        boolean anyRunning = false;
        boolean allTerminated = true;
        boolean anyFailed = false;
        boolean anyStarted = false;
        for (ContainerRun c : run.main) {
            anyRunning |= c.state() == ContainerRun.State.RUNNING;
            anyStarted |= c.lastStartedAt() != null;
            if (c.state() != ContainerRun.State.TERMINATED) {
                allTerminated = false;
            } else if (!c.succeeded()) {
                anyFailed = true;
            }
        }
        if (anyRunning) {
            return "Running";
        }
        for (ContainerRun c : run.init) {
            if (c.sidecar && c.process() != null && c.process().running()) {
                return "Running";
            }
        }
        boolean restarts = run.restartPolicy.equals("Always") || run.restartPolicy.equals("OnFailure") && anyFailed;
        if (allTerminated && !restarts) {
            return anyFailed ? "Failed" : "Succeeded";
        }
        return anyStarted ? "Running" : "Pending";
    }

    /** The status object to write over {@code current} (keeps conditions set by others, such as PodScheduled). */
    static ObjectNode status(PodRun run, JsonNode current, String hostIp, String now) {
        ObjectNode status = current.path("status").isObject() ? (ObjectNode) current.get("status").deepCopy() : Json.object();
        String phase = phase(run);
        status.put("phase", phase);
        if (run.failed()) {
            status.put("reason", run.failureReason);
            status.put("message", run.failureMessage);
        }
        status.put("hostIP", hostIp);
        status.putArray("hostIPs").addObject().put("ip", hostIp);
        status.put("podIP", run.podIp);
        status.putArray("podIPs").addObject().put("ip", run.podIp);
        status.put("startTime", KubeApi.timestamp(run.startTime));
        boolean terminal = phase.equals("Succeeded") || phase.equals("Failed");
        List<String> notInitialized = new ArrayList<>();
        for (ContainerRun c : run.init) {
            if (c.sidecar ? !c.startedOnce() : !c.succeeded()) {
                notInitialized.add(c.name);
            }
        }
        List<String> notReady = new ArrayList<>();
        for (ContainerRun c : run.main) {
            if (!c.ready()) {
                notReady.add(c.name);
            }
        }
        for (ContainerRun c : run.init) {
            if (c.sidecar && !c.ready()) {
                notReady.add(c.name);
            }
        }
        ArrayNode conditions = status.path("conditions").isArray() ? (ArrayNode) status.get("conditions") : status.putArray("conditions");
        condition(conditions, "PodReadyToStartContainers", true, null, null, now);
        condition(conditions, "Initialized", notInitialized.isEmpty() || terminal && run.initialized(),
                notInitialized.isEmpty() ? null : "ContainersNotInitialized",
                notInitialized.isEmpty() ? null : "containers with incomplete status: [" + String.join(" ", notInitialized) + "]", now);
        String notReadyReason = terminal ? "PodCompleted" : "ContainersNotReady";
        String notReadyMessage = terminal ? null : "containers with unready status: [" + String.join(" ", notReady) + "]";
        condition(conditions, "Ready", notReady.isEmpty() && !terminal, notReady.isEmpty() && !terminal ? null : notReadyReason,
                notReady.isEmpty() && !terminal ? null : notReadyMessage, now);
        condition(conditions, "ContainersReady", notReady.isEmpty() && !terminal, notReady.isEmpty() && !terminal ? null : notReadyReason,
                notReady.isEmpty() && !terminal ? null : notReadyMessage, now);
        if (!run.init.isEmpty()) {
            ArrayNode init = status.putArray("initContainerStatuses");
            run.init.forEach(c -> init.add(containerStatus(c, run.initialized() && !c.sidecar)));
        }
        ArrayNode main = status.putArray("containerStatuses");
        run.main.forEach(c -> main.add(containerStatus(c, false)));
        if (!run.ephemeral.isEmpty()) {
            ArrayNode ephemeral = status.putArray("ephemeralContainerStatuses");
            run.ephemeral.forEach(c -> ephemeral.add(containerStatus(c, false)));
        }
        return status;
    }

    private static void condition(ArrayNode conditions, String type, boolean ok, String reason, String message, String now) {
        ObjectNode c = null;
        for (JsonNode existing : conditions) {
            if (type.equals(existing.path("type").asText())) {
                c = (ObjectNode) existing;
            }
        }
        String status = ok ? "True" : "False";
        if (c == null) {
            c = conditions.addObject();
            c.put("type", type);
            c.put("lastTransitionTime", now);
        } else if (!status.equals(c.path("status").asText())) {
            c.put("lastTransitionTime", now);
        }
        c.put("status", status);
        c.putNull("lastProbeTime");
        if (reason == null) {
            c.remove("reason");
            c.remove("message");
        } else {
            c.put("reason", reason);
            if (message != null) {
                c.put("message", message);
            } else {
                c.remove("message");
            }
        }
    }

    static ObjectNode containerStatus(ContainerRun c, boolean initDone) {
        ObjectNode s = Json.object();
        s.put("name", c.name);
        ObjectNode state = s.putObject("state");
        switch (c.state()) {
            case RUNNING -> state.putObject("running").put("startedAt", KubeApi.timestamp(c.startedAt()));
            case TERMINATED -> terminated(state.putObject("terminated"), c.exit(), c.startedAt(), c.process());
            default -> {
                ObjectNode w = state.putObject("waiting");
                w.put("reason", c.waitingReason());
                if (c.waitingMessage() != null) {
                    w.put("message", c.waitingMessage());
                }
            }
        }
        ObjectNode last = s.putObject("lastState");
        if (c.lastExit() != null) {
            terminated(last.putObject("terminated"), c.lastExit(), c.lastExitStartedAt(), null);
        }
        s.put("ready", c.ready());
        s.put("restartCount", c.restartCount());
        s.put("image", c.spec.path("image").asText());
        s.put("imageID", c.pulled() ? imageId(c.spec.path("image").asText()) : "");
        if (c.process() != null && c.state() != ContainerRun.State.WAITING) {
            s.put("containerID", c.process().id());
        }
        s.put("started", c.started() && c.state() == ContainerRun.State.RUNNING);
        return s;
    }

    private static void terminated(ObjectNode t, ContainerProcess.Exit exit, java.time.Instant started, ContainerProcess process) {
        t.put("exitCode", exit.exitCode());
        if (exit.signal() != 0) {
            t.put("signal", exit.signal());
        }
        t.put("reason", exit.reason());
        if (started != null) {
            t.put("startedAt", KubeApi.timestamp(started));
        }
        t.put("finishedAt", KubeApi.timestamp(exit.at()));
        if (process != null) {
            t.put("containerID", process.id());
        }
    }

    static String imageId(String image) {
        return dev.kubetest.core.runtime.ImageReferences.repository(image) + "@sha256:" + String.format("%064x", new java.math.BigInteger(1,
                image.getBytes(java.nio.charset.StandardCharsets.UTF_8)).mod(java.math.BigInteger.TWO.pow(255)));
    }
}
