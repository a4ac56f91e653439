package dev.kubetest.assertions;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Reading a pod's status: phase, conditions, container statuses, and which states can never change back. */
final class PodChecks {
    private PodChecks() {}

    static String phase(Pod p) {
        return p.getStatus() == null || p.getStatus().getPhase() == null ? "Pending" : p.getStatus().getPhase();
    }

    /** Succeeded and Failed pods never run again. */
    static boolean terminal(Pod p) {
        String phase = phase(p);
        return "Succeeded".equals(phase) || "Failed".equals(phase);
    }

    /**
     * Whether a pod's name can never come back in another state: a finished or deleted pod, unless a StatefulSet
     * owns it (a StatefulSet makes a new pod of the same name).
     */
    static boolean gone(Pod p) {
        return (terminal(p) || terminating(p)) && !ownedByStatefulSet(p);
    }

    /** Finished for good: terminal and not a StatefulSet's (whose replacement takes the same name). */
    static boolean finished(Pod p) {
        return terminal(p) && !ownedByStatefulSet(p);
    }

    static boolean ownedByStatefulSet(Pod p) {
        return p.getMetadata().getOwnerReferences() != null && p.getMetadata().getOwnerReferences().stream()
                .anyMatch(r -> Boolean.TRUE.equals(r.getController()) && "StatefulSet".equals(r.getKind()));
    }

    static boolean terminating(Pod p) {
        return p.getMetadata().getDeletionTimestamp() != null;
    }

    static Optional<PodCondition> condition(Pod p, String type) {
        if (p.getStatus() == null || p.getStatus().getConditions() == null) {
            return Optional.empty();
        }
        return p.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst();
    }

    /** Ready True and not being deleted (a terminating pod is on its way out, whatever its condition says). */
    static boolean ready(Pod p) {
        return !terminating(p) && condition(p, "Ready").map(c -> "True".equals(c.getStatus())).orElse(false);
    }

    static List<ContainerStatus> statuses(Pod p) {
        List<ContainerStatus> all = new ArrayList<>();
        if (p.getStatus() != null) {
            if (p.getStatus().getInitContainerStatuses() != null) {
                all.addAll(p.getStatus().getInitContainerStatuses());
            }
            if (p.getStatus().getContainerStatuses() != null) {
                all.addAll(p.getStatus().getContainerStatuses());
            }
        }
        return all;
    }

    static Optional<ContainerStatus> status(Pod p, String container) {
        return statuses(p).stream().filter(s -> Objects.equals(container, s.getName())).findFirst();
    }

    static int restarts(Pod p) {
        return statuses(p).stream().mapToInt(s -> s.getRestartCount() == null ? 0 : s.getRestartCount()).sum();
    }

    /** The pod's only app container, for checks that name none; null when it has several. */
    static String onlyContainer(Pod p) {
        if (p.getSpec() == null || p.getSpec().getContainers() == null || p.getSpec().getContainers().size() != 1) {
            return null;
        }
        return p.getSpec().getContainers().get(0).getName();
    }
}
