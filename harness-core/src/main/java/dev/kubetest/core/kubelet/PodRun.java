package dev.kubetest.core.kubelet;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The kubelet's view of one pod it runs: sandbox, containers, and where initialisation is. */
final class PodRun {
    final String namespace;
    final String name;
    final String uid;
    final String podIp;
    final Instant startTime;
    final String restartPolicy;
    final List<ContainerRun> init = new ArrayList<>();
    final List<ContainerRun> main = new ArrayList<>();
    final List<ContainerRun> ephemeral = new ArrayList<>();
    boolean terminating;
    boolean stoppingSidecars;
    boolean volumesReady;
    /** Set when the kubelet itself fails the pod (DeadlineExceeded, Evicted): the status reason and message. */
    String failureReason;
    String failureMessage;
    dev.kubetest.core.clock.Clock.Timer deadlineTimer;
    dev.kubetest.core.clock.Clock.Timer evictionTimer;
    String mountError;
    boolean deleted;

    PodRun(JsonNode pod, String podIp, Instant startTime) {
        this.namespace = pod.path("metadata").path("namespace").asText();
        this.name = pod.path("metadata").path("name").asText();
        this.uid = pod.path("metadata").path("uid").asText();
        this.podIp = podIp;
        this.startTime = startTime;
        this.restartPolicy = pod.path("spec").path("restartPolicy").asText("Always");
        for (JsonNode c : pod.path("spec").path("initContainers")) {
            init.add(new ContainerRun(c.path("name").asText(), c, true));
        }
        for (JsonNode c : pod.path("spec").path("containers")) {
            main.add(new ContainerRun(c.path("name").asText(), c, false));
        }
        if (!init.isEmpty()) {
            all().forEach(c -> c.waitWith("PodInitializing", null));
        }
    }

    boolean failed() {
        return failureReason != null;
    }

    /** Whether every init container has done its part (completed, or started for a sidecar). */
    boolean initialized() {
        for (ContainerRun c : init) {
            if (c.sidecar ? !c.startedOnce() : !c.succeeded()) {
                return false;
            }
        }
        return true;
    }

    /** Takes in the ephemeral containers added to the pod since the last look (they are only ever added). */
    void addEphemeral(JsonNode pod) {
        for (JsonNode c : pod.path("spec").path("ephemeralContainers")) {
            String n = c.path("name").asText();
            if (ephemeral.stream().noneMatch(e -> e.name.equals(n))) {
                ephemeral.add(new ContainerRun(n, c, false, true));
            }
        }
    }

    List<ContainerRun> all() {
        List<ContainerRun> all = new ArrayList<>(init);
        all.addAll(main);
        all.addAll(ephemeral);
        return all;
    }
}
