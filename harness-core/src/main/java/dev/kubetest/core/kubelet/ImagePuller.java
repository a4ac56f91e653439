package dev.kubetest.core.kubelet;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kubetest.core.clock.Clock;
import dev.kubetest.core.events.EventRecorder;
import dev.kubetest.core.runtime.ContainerRuntime;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * A node's images, as the kubelet's image manager pulls them: imagePullPolicy (Never, IfNotPresent, Always), the
 * images already on the node, Pulling/Pulled/Failed events with upstream's texts, and ErrImagePull followed by
 * ImagePullBackOff with the kubelet's back-off until a retry.
 */
final class ImagePuller {
    private final ContainerRuntime runtime;
    private final EventRecorder events;
    private final Clock clock;
    private final Set<String> present = ConcurrentHashMap.newKeySet();

    ImagePuller(ContainerRuntime runtime, EventRecorder events, Clock clock) {
        this.runtime = runtime;
        this.events = events;
        this.clock = clock;
    }

    /**
     * Makes the container's image present; true when it is. Otherwise the container is left waiting with the reason
     * and, after a failed pull, a retry is scheduled that hands the pod's key to {@code requeue}.
     */
    boolean pull(PodRun run, JsonNode pod, ContainerRun c, String fieldPath, Consumer<String> requeue) {
        String image = c.spec.path("image").asText();
        String policy = c.spec.path("imagePullPolicy").asText("IfNotPresent");
        boolean onNode = present.contains(image);
        if (policy.equals("Never") && !onNode) {
            c.waitWith("ErrImageNeverPull", "Container image \"" + image + "\" is not present with pull policy of Never");
            events.record(pod, fieldPath, "Warning", "ErrImageNeverPull", c.waitingMessage());
            return false;
        }
        if (onNode && !policy.equals("Always")) {
            events.record(pod, fieldPath, "Normal", "Pulled", "Container image \"" + image + "\" already present on machine");
        } else {
            events.record(pod, fieldPath, "Normal", "Pulling", "Pulling image \"" + image + "\"");
            if (!runtime.canPull(image)) {
                String err = runtime.pullError(image);
                events.record(pod, fieldPath, "Warning", "Failed", "Failed to pull image \"" + image + "\": " + err);
                events.record(pod, fieldPath, "Warning", "Failed", "Error: ErrImagePull");
                Duration retry = c.imagePullFailed(image, err, clock.now());
                String key = run.namespace + "/" + run.name;
                c.addTimer(clock.scheduleAfter(retry, () -> {
                    synchronized (run) {
                        c.imagePullRetryDue();
                    }
                    requeue.accept(key);
                }));
                return false;
            }
            events.record(pod, fieldPath, "Normal", "Pulled", "Successfully pulled image \"" + image
                    + "\" in 0s (0s including waiting). Image size: 0 bytes.");
            present.add(image);
        }
        c.imagePulled();
        return true;
    }
}
