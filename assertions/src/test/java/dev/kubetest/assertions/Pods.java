package dev.kubetest.assertions;

import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;

/** Hand-made pods in the states the assertion tests need. */
final class Pods {
    private Pods() {}

    static PodBuilder base(String phase) {
        return new PodBuilder().withNewMetadata().withName("web-0").withNamespace("default").withUid("u-1").endMetadata()
                .withNewSpec().addNewContainer().withName("web").withImage("nginx:1.27").endContainer().endSpec()
                .withNewStatus().withPhase(phase).endStatus();
    }

    static Pod ready() {
        return base("Running").editStatus()
                .addNewCondition().withType("Ready").withStatus("True").endCondition()
                .addToContainerStatuses(new ContainerStatusBuilder().withName("web").withImage("nginx:1.27").withReady(true)
                        .withRestartCount(0).withNewState().withNewRunning().withStartedAt("2026-12-04T10:00:00Z").endRunning().endState().build())
                .endStatus().build();
    }

    static Pod crashLooping() {
        return base("Running").editStatus()
                .addNewCondition().withType("Ready").withStatus("False").withReason("ContainersNotReady")
                .withMessage("containers with unready status: [web]").endCondition()
                .addToContainerStatuses(new ContainerStatusBuilder().withName("web").withImage("nginx:1.27").withReady(false)
                        .withRestartCount(3).withNewState().withNewWaiting().withReason("CrashLoopBackOff")
                        .withMessage("back-off 40s restarting failed container=web pod=web-0_default(u-1)").endWaiting().endState()
                        .withNewLastState().withNewTerminated().withExitCode(1).withReason("Error").endTerminated().endLastState().build())
                .endStatus().build();
    }

    static Pod oomKilled() {
        return base("Running").editStatus()
                .addToContainerStatuses(new ContainerStatusBuilder().withName("web").withReady(false).withRestartCount(1)
                        .withNewState().withNewRunning().endRunning().endState()
                        .withNewLastState().withNewTerminated().withExitCode(137).withReason("OOMKilled").endTerminated().endLastState().build())
                .endStatus().build();
    }

    static Pod failed() {
        return base("Failed").editStatus()
                .addNewCondition().withType("Ready").withStatus("False").withReason("PodFailed").endCondition()
                .addToContainerStatuses(new ContainerStatusBuilder().withName("web").withReady(false).withRestartCount(0)
                        .withNewState().withNewTerminated().withExitCode(2).withReason("Error").endTerminated().endState().build())
                .endStatus().build();
    }
}
