package dev.kubetest.assertions;

import static dev.kubetest.assertions.error.ShouldBeReady.shouldBeReady;
import static dev.kubetest.assertions.error.ShouldHaveContainer.shouldHaveContainer;
import static dev.kubetest.assertions.error.ShouldHaveContainerState.shouldHaveContainerState;
import static dev.kubetest.assertions.error.ShouldHaveFile.shouldHaveFile;
import static dev.kubetest.assertions.error.ShouldHaveLastTermination.shouldHaveLastTermination;
import static dev.kubetest.assertions.error.ShouldHaveLogLine.shouldHaveLogLine;
import static dev.kubetest.assertions.error.ShouldHaveRestartCount.shouldHaveRestartCount;

import dev.kubetest.core.KubeCluster;
import dev.kubetest.core.runtime.ContainerProcess;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.stream.Collectors;

/**
 * Assertions on one container of a pod, read from the pod's status (and, for logs and files, from the in-process
 * cluster's runtime): state and its reason, readiness, restarts, the last termination (exit code, OOMKilled), the
 * image, log lines and files.
 */
public class ContainerAssert extends KubeObjectAssert<ContainerAssert, Pod> {
    private final String container;

    ContainerAssert(ObjectSource<Pod> source, String container, KubeObjectAssert<?, Pod> from) {
        super(source, ContainerAssert.class);
        this.container = container;
        if (from != null) {
            withWait(from.waitMode());
            collectingInto(from.collector());
        }
    }

    private ContainerAssert checkStatus(String what, BiFunction<Pod, ContainerStatus, Verdict> check) {
        return checkPresent("container " + container + " " + what, p -> PodChecks.status(p, container)
                .map(cs -> check.apply(p, cs))
                .orElseGet(() -> Verdict.failUnless(PodChecks.finished(p), shouldHaveContainer(describe(), container,
                        PodChecks.statuses(p).isEmpty() ? "no container statuses yet"
                                : PodChecks.statuses(p).stream().map(ContainerStatus::getName).collect(Collectors.joining(", "))))));
    }

    public ContainerAssert isRunning() {
        return checkStatus("is running", (p, cs) -> cs.getState() != null && cs.getState().getRunning() != null ? Verdict.pass()
                : Verdict.failUnless(PodChecks.finished(p), shouldHaveContainerState(describe(), container, "running", Describe.state(cs.getState()))));
    }

    public ContainerAssert isReady() {
        return checkStatus("is ready", (p, cs) -> Boolean.TRUE.equals(cs.getReady()) ? Verdict.pass()
                : Verdict.failUnless(PodChecks.finished(p), shouldBeReady("container " + container + " of " + describe(), true, Describe.container(cs))));
    }

    /** Waiting with this reason: CrashLoopBackOff, ImagePullBackOff, ErrImagePull, ContainerCreating, CreateContainerConfigError... */
    public ContainerAssert isWaitingWithReason(String reason) {
        return checkStatus("is waiting (" + reason + ")", (p, cs) -> cs.getState() != null && cs.getState().getWaiting() != null
                && reason.equals(cs.getState().getWaiting().getReason()) ? Verdict.pass()
                : Verdict.failUnless(PodChecks.finished(p), shouldHaveContainerState(describe(), container, "waiting with reason " + reason,
                Describe.state(cs.getState()))));
    }

    public ContainerAssert isTerminatedWithExitCode(int exitCode) {
        return checkStatus("is terminated with exit code " + exitCode, (p, cs) -> {
            ContainerStateTerminated t = cs.getState() == null ? null : cs.getState().getTerminated();
            return t != null && t.getExitCode() == exitCode ? Verdict.pass()
                    : Verdict.failUnless(t != null && PodChecks.finished(p), shouldHaveContainerState(describe(), container,
                    "terminated with exit code " + exitCode, Describe.state(cs.getState())));
        });
    }

    public ContainerAssert hasRestartCount(int count) {
        return checkStatus("has restarted " + count + " times", (p, cs) -> {
            int n = cs.getRestartCount() == null ? 0 : cs.getRestartCount();
            return n == count ? Verdict.pass() : Verdict.failUnless(n > count || PodChecks.finished(p),
                    shouldHaveRestartCount(describe(), container, count + " times", n, Describe.container(cs)));
        });
    }

    public ContainerAssert hasRestartCountAtLeast(int count) {
        return checkStatus("has restarted at least " + count + " times", (p, cs) -> {
            int n = cs.getRestartCount() == null ? 0 : cs.getRestartCount();
            return n >= count ? Verdict.pass() : Verdict.failUnless(PodChecks.finished(p),
                    shouldHaveRestartCount(describe(), container, "at least " + count + " times", n, Describe.container(cs)));
        });
    }

    /** The last termination (lastState, or the current one for a container that has stopped for good) had this reason: OOMKilled, Error, Completed. */
    public ContainerAssert hasLastTerminationReason(String reason) {
        return lastTermination("reason " + reason, t -> reason.equals(t.getReason()));
    }

    public ContainerAssert hasLastExitCode(int exitCode) {
        return lastTermination("exit code " + exitCode, t -> t.getExitCode() != null && t.getExitCode() == exitCode);
    }

    private ContainerAssert lastTermination(String expected, java.util.function.Predicate<ContainerStateTerminated> matches) {
        return checkStatus("last terminated with " + expected, (p, cs) -> {
            ContainerStateTerminated t = cs.getLastState() != null && cs.getLastState().getTerminated() != null
                    ? cs.getLastState().getTerminated() : cs.getState() == null ? null : cs.getState().getTerminated();
            return t != null && matches.test(t) ? Verdict.pass() : Verdict.failUnless(PodChecks.finished(p),
                    shouldHaveLastTermination(describe(), container, expected, t == null ? "none yet"
                            : "exit code " + t.getExitCode() + (t.getReason() == null ? "" : " (" + t.getReason() + ")")));
        });
    }

    public ContainerAssert hasImage(String image) {
        return checkPresent("container " + container + " has image " + image, p -> {
            String actual = p.getSpec().getContainers().stream().filter(c -> container.equals(c.getName())).map(c -> c.getImage())
                    .findFirst().orElse(null);
            return Objects.equals(image, actual) ? Verdict.pass()
                    : Verdict.fail(shouldHaveContainerState(describe(), container, "of image " + image, "of image " + actual));
        });
    }

    /** The container's log (the running instance's, or the last one's) has a line containing {@code text}. */
    public ContainerAssert hasLogLine(String text) {
        return checkPresent("container " + container + " logs \"" + text + "\"", p -> {
            List<String> lines = logLines(p);
            return lines.stream().anyMatch(l -> l.contains(text)) ? Verdict.pass()
                    : Verdict.failUnless(PodChecks.finished(p) && !lines.isEmpty(), shouldHaveLogLine(describe(), container, "\"" + text + "\"",
                    lines.isEmpty() ? "(none)" : lines.subList(Math.max(0, lines.size() - 5), lines.size()).stream()
                            .map(l -> "\"" + l + "\"").collect(Collectors.joining(", "))));
        });
    }

    /** The file exists in the running container (its image files, or any volume mounted in it). */
    public ContainerAssert hasFile(String path) {
        return file(path, "to exist", content -> content.isPresent());
    }

    /** The file exists and contains {@code text}. */
    public ContainerAssert hasFileContaining(String path, String text) {
        return file(path, "to contain \"" + text + "\"", content -> content.map(c -> c.contains(text)).orElse(false));
    }

    /** The file's whole content is {@code text}. */
    public ContainerAssert hasFileContent(String path, String text) {
        return file(path, "to be \"" + text + "\"", content -> content.map(text::equals).orElse(false));
    }

    private ContainerAssert file(String path, String expected, java.util.function.Predicate<Optional<String>> matches) {
        return checkPresent("container " + container + " has file " + path, p -> {
            ContainerProcess process = process(p, false);
            if (process == null) {
                return Verdict.failUnless(PodChecks.finished(p), shouldHaveFile(describe(), container, path, expected,
                        "the container is not running"));
            }
            Optional<String> content = process.readFile(path).map(b -> new String(b, StandardCharsets.UTF_8));
            return matches.test(content) ? Verdict.pass() : Verdict.fail(shouldHaveFile(describe(), container, path, expected,
                    content.map(c -> "it is \"" + abbreviate(c) + "\"").orElse("there is no such file")));
        });
    }

    private List<String> logLines(Pod p) {
        ContainerProcess process = process(p, false);
        if (process == null) {
            process = process(p, true);
        }
        return process == null ? List.of() : process.logs().stream().map(ContainerProcess.LogLine::text).toList();
    }

    private ContainerProcess process(Pod p, boolean previous) {
        KubeCluster cluster = source.cluster().orElseThrow(() -> new IllegalStateException(
                "logs and files are read from an in-process cluster: pass a reference such as cluster.pod(namespace, name)"));
        if (!previous) {
            return cluster.container(p.getMetadata().getNamespace(), p.getMetadata().getName(), container);
        }
        return cluster.nodeConnector().container(dev.kubetest.core.json.Json.toObject(p), container, true);
    }

    private static String abbreviate(String s) {
        String one = s.replace("\n", "\\n");
        return one.length() <= 80 ? one : one.substring(0, 77) + "...";
    }
}
