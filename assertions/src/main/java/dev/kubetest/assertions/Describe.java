package dev.kubetest.assertions;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One-line summaries of objects for failure messages: what a person would look at in {@code kubectl describe}
 * (phase, readiness, restarts, the last termination, conditions), never a JSON dump. Pure functions.
 */
public final class Describe {
    private Describe() {}

    /** {@code pod default/web-0}. */
    public static String name(HasMetadata o) {
        String kind = o.getKind() != null ? o.getKind() : o.getClass().getSimpleName();
        String ns = o.getMetadata() == null ? null : o.getMetadata().getNamespace();
        String name = o.getMetadata() == null ? "?" : o.getMetadata().getName();
        return kind.toLowerCase(Locale.ROOT) + " " + (ns == null ? "" : ns + "/") + name;
    }

    /** The status of any object this module knows, or its name. */
    public static String status(Object o) {
        if (o == null) {
            return "it does not exist";
        }
        if (o instanceof Pod p) {
            return pod(p);
        }
        if (o instanceof Deployment d) {
            return deployment(d);
        }
        if (o instanceof ReplicaSet r) {
            return r.getStatus() == null ? "no status yet" : "replicas " + n(r.getStatus().getReplicas()) + ", ready "
                    + n(r.getStatus().getReadyReplicas()) + ", available " + n(r.getStatus().getAvailableReplicas())
                    + " of " + n(r.getSpec().getReplicas());
        }
        if (o instanceof StatefulSet s) {
            return statefulSet(s);
        }
        if (o instanceof DaemonSet d) {
            return d.getStatus() == null ? "no status yet" : "desired " + n(d.getStatus().getDesiredNumberScheduled())
                    + ", current " + n(d.getStatus().getCurrentNumberScheduled()) + ", ready " + n(d.getStatus().getNumberReady())
                    + ", up-to-date " + n(d.getStatus().getUpdatedNumberScheduled()) + ", available "
                    + n(d.getStatus().getNumberAvailable());
        }
        if (o instanceof Job j) {
            return job(j);
        }
        if (o instanceof CronJob c) {
            return c.getStatus() == null ? "never scheduled" : "active " + (c.getStatus().getActive() == null ? 0
                    : c.getStatus().getActive().size()) + ", last scheduled " + Objects.toString(c.getStatus().getLastScheduleTime(), "never")
                    + ", last successful " + Objects.toString(c.getStatus().getLastSuccessfulTime(), "never")
                    + (Boolean.TRUE.equals(c.getSpec().getSuspend()) ? ", suspended" : "");
        }
        if (o instanceof PersistentVolumeClaim c) {
            return "phase " + (c.getStatus() == null ? "Pending" : c.getStatus().getPhase()) + ", volume "
                    + Objects.toString(c.getSpec().getVolumeName(), "none")
                    + (c.getStatus() != null && c.getStatus().getCapacity() != null && c.getStatus().getCapacity().get("storage") != null
                    ? ", capacity " + c.getStatus().getCapacity().get("storage") : "");
        }
        if (o instanceof Node n) {
            List<String> parts = new ArrayList<>();
            if (n.getStatus() != null && n.getStatus().getConditions() != null) {
                for (NodeCondition c : n.getStatus().getConditions()) {
                    if ("Ready".equals(c.getType()) || "True".equals(c.getStatus())) {
                        parts.add(condition(c.getType(), c.getStatus(), c.getReason(), null));
                    }
                }
            }
            if (Boolean.TRUE.equals(n.getSpec().getUnschedulable())) {
                parts.add("cordoned");
            }
            return parts.isEmpty() ? "no conditions" : String.join("; ", parts);
        }
        return o instanceof HasMetadata h ? name(h) : String.valueOf(o);
    }

    /** Phase, the Ready condition, then each container: state, readiness, restarts, the last termination. */
    public static String pod(Pod p) {
        if (p.getStatus() == null) {
            return "no status yet";
        }
        List<String> parts = new ArrayList<>();
        String phase = Objects.toString(p.getStatus().getPhase(), "Pending");
        parts.add("phase " + phase + (p.getStatus().getReason() != null ? " (" + p.getStatus().getReason() + ")" : "")
                + (p.getMetadata().getDeletionTimestamp() != null ? ", terminating" : ""));
        if (p.getStatus().getConditions() != null) {
            for (PodCondition c : p.getStatus().getConditions()) {
                if ("Ready".equals(c.getType()) || ("PodScheduled".equals(c.getType()) && !"True".equals(c.getStatus()))) {
                    parts.add(condition(c.getType(), c.getStatus(), c.getReason(), c.getMessage()));
                }
            }
        }
        List<ContainerStatus> all = new ArrayList<>();
        if (p.getStatus().getInitContainerStatuses() != null) {
            all.addAll(p.getStatus().getInitContainerStatuses());
        }
        if (p.getStatus().getContainerStatuses() != null) {
            all.addAll(p.getStatus().getContainerStatuses());
        }
        for (ContainerStatus cs : all) {
            parts.add("container " + cs.getName() + " " + container(cs));
        }
        return String.join("; ", parts);
    }

    /** {@code running, not ready, 3 restarts, last terminated: exit code 137 (OOMKilled)}. */
    public static String container(ContainerStatus cs) {
        List<String> parts = new ArrayList<>();
        parts.add(state(cs.getState()));
        parts.add(Boolean.TRUE.equals(cs.getReady()) ? "ready" : "not ready");
        int restarts = cs.getRestartCount() == null ? 0 : cs.getRestartCount();
        parts.add(restarts + (restarts == 1 ? " restart" : " restarts"));
        if (cs.getLastState() != null && cs.getLastState().getTerminated() != null) {
            parts.add("last " + state(cs.getLastState()));
        }
        return String.join(", ", parts);
    }

    /** {@code waiting (CrashLoopBackOff: back-off 40s ...)}, {@code running}, {@code terminated: exit code 1 (Error)}. */
    public static String state(ContainerState s) {
        if (s == null) {
            return "no state";
        }
        if (s.getWaiting() != null) {
            return "waiting" + (s.getWaiting().getReason() == null ? "" : " (" + s.getWaiting().getReason()
                    + (s.getWaiting().getMessage() == null ? "" : ": " + s.getWaiting().getMessage()) + ")");
        }
        if (s.getTerminated() != null) {
            return "terminated: exit code " + s.getTerminated().getExitCode()
                    + (s.getTerminated().getReason() == null ? "" : " (" + s.getTerminated().getReason() + ")");
        }
        if (s.getRunning() != null) {
            return "running";
        }
        return "no state";
    }

    public static String deployment(Deployment d) {
        if (d.getStatus() == null) {
            return "no status yet";
        }
        List<String> parts = new ArrayList<>();
        parts.add("ready " + n(d.getStatus().getReadyReplicas()) + "/" + n(d.getSpec().getReplicas()) + ", up-to-date "
                + n(d.getStatus().getUpdatedReplicas()) + ", available " + n(d.getStatus().getAvailableReplicas())
                + (Boolean.TRUE.equals(d.getSpec().getPaused()) ? ", paused" : ""));
        if (d.getStatus().getConditions() != null) {
            for (DeploymentCondition c : d.getStatus().getConditions()) {
                parts.add(condition(c.getType(), c.getStatus(), c.getReason(), c.getMessage()));
            }
        }
        return String.join("; ", parts);
    }

    public static String statefulSet(StatefulSet s) {
        if (s.getStatus() == null) {
            return "no status yet";
        }
        return "ready " + n(s.getStatus().getReadyReplicas()) + "/" + n(s.getSpec().getReplicas()) + ", updated "
                + n(s.getStatus().getUpdatedReplicas()) + ", available " + n(s.getStatus().getAvailableReplicas())
                + ", revision " + s.getStatus().getCurrentRevision()
                + (Objects.equals(s.getStatus().getCurrentRevision(), s.getStatus().getUpdateRevision()) ? ""
                : " updating to " + s.getStatus().getUpdateRevision());
    }

    public static String job(Job j) {
        if (j.getStatus() == null) {
            return "no status yet";
        }
        List<String> parts = new ArrayList<>();
        parts.add("active " + n(j.getStatus().getActive()) + ", succeeded " + n(j.getStatus().getSucceeded()) + " of "
                + (j.getSpec().getCompletions() == null ? "1" : j.getSpec().getCompletions()) + ", failed "
                + n(j.getStatus().getFailed()));
        if (j.getStatus().getConditions() != null) {
            for (JobCondition c : j.getStatus().getConditions()) {
                parts.add(condition(c.getType(), c.getStatus(), c.getReason(), c.getMessage()));
            }
        }
        return String.join("; ", parts);
    }

    /** {@code Ready False (ContainersNotReady: containers with unready status: [web])}. */
    public static String condition(String type, String status, String reason, String message) {
        return type + " " + status + (reason == null || reason.isEmpty() ? "" : " (" + reason
                + (message == null || message.isEmpty() ? "" : ": " + message) + ")");
    }

    /** Any condition-like object as {@link #condition}. */
    public static String condition(Condition c) {
        return condition(c.getType(), c.getStatus(), c.getReason(), c.getMessage());
    }

    private static int n(Integer i) {
        return i == null ? 0 : i;
    }
}
