package dev.kubetest.assertions;

import static dev.kubetest.assertions.error.ShouldBeReady.shouldBeReady;
import static dev.kubetest.assertions.error.ShouldHaveCondition.shouldHaveCondition;
import static dev.kubetest.assertions.error.ShouldHavePhase.shouldHavePhase;
import static dev.kubetest.assertions.error.ShouldHaveRestartCount.shouldHaveRestartCount;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.Objects;

/**
 * Assertions on a pod: phase, readiness, conditions, restarts, events (probe failures among them), and through
 * {@link #container(String)} each container's state, last termination, log and files.
 *
 * <pre>{@code
 * assertThat(cluster.pod(ns, "web-0")).eventually().isReady();
 * assertThat(cluster.pod(ns, "crashy")).eventually().container("app").isWaitingWithReason("CrashLoopBackOff");
 * }</pre>
 */
public class PodAssert extends KubeObjectAssert<PodAssert, Pod> {

    public PodAssert(ObjectSource<Pod> source) {
        super(source, PodAssert.class);
    }

    public PodAssert hasPhase(String phase) {
        return checkPresent("is " + phase, p -> Objects.equals(PodChecks.phase(p), phase) ? Verdict.pass()
                : Verdict.failUnless(PodChecks.finished(p), shouldHavePhase(describe(), phase, Describe.pod(p))));
    }

    public PodAssert isPending() {
        return hasPhase("Pending");
    }

    public PodAssert isRunning() {
        return hasPhase("Running");
    }

    public PodAssert isSucceeded() {
        return hasPhase("Succeeded");
    }

    public PodAssert isFailed() {
        return hasPhase("Failed");
    }

    /** The Ready condition is True and the pod is not being deleted; hopeless once it has finished or is being deleted (unless a StatefulSet owns it and will bring the name back). */
    public PodAssert isReady() {
        return checkPresent("is Ready", p -> PodChecks.ready(p) ? Verdict.pass()
                : Verdict.failUnless(PodChecks.gone(p), shouldBeReady(describe(), true, Describe.pod(p))));
    }

    public PodAssert isNotReady() {
        return checkPresent("is not Ready", p -> !PodChecks.ready(p) ? Verdict.pass()
                : Verdict.fail(shouldBeReady(describe(), false, Describe.pod(p))));
    }

    /** The pod condition {@code type} (PodScheduled, Initialized, ContainersReady, Ready, DisruptionTarget...) has {@code status}. */
    public PodAssert hasCondition(String type, String status) {
        return hasCondition(type, status, null);
    }

    /** The condition has {@code status} and, unless null, {@code reason}. */
    public PodAssert hasCondition(String type, String status, String reason) {
        String expected = Describe.condition(type, status, reason, null);
        return checkPresent("has condition " + expected, p -> {
            var c = PodChecks.condition(p, type);
            boolean ok = c.isPresent() && status.equals(c.get().getStatus()) && (reason == null || reason.equals(c.get().getReason()));
            return ok ? Verdict.pass() : Verdict.fail(shouldHaveCondition(describe(), expected,
                    c.map(x -> Describe.condition(x.getType(), x.getStatus(), x.getReason(), x.getMessage())).orElse("no " + type + " condition"),
                    Describe.pod(p)));
        });
    }

    /** The pod's containers restarted {@code count} times in all; hopeless once they restarted more. */
    public PodAssert hasRestartCount(int count) {
        return checkPresent("has restarted " + count + " times", p -> {
            int n = PodChecks.restarts(p);
            return n == count ? Verdict.pass() : Verdict.failUnless(n > count || PodChecks.finished(p),
                    shouldHaveRestartCount(describe(), "(all)", count + " times", n, Describe.pod(p)));
        });
    }

    /** The pod's containers restarted at least {@code count} times in all. */
    public PodAssert hasRestartCountAtLeast(int count) {
        return checkPresent("has restarted at least " + count + " times", p -> {
            int n = PodChecks.restarts(p);
            return n >= count ? Verdict.pass() : Verdict.failUnless(PodChecks.finished(p),
                    shouldHaveRestartCount(describe(), "(all)", "at least " + count + " times", n, Describe.pod(p)));
        });
    }

    /** A probe of this kind (Liveness, Readiness, Startup) failed at least once (an Unhealthy event says so). */
    public PodAssert hasProbeFailure(String probe) {
        return hasEvent("Unhealthy", probe + " probe failed");
    }

    /** The pod's container {@code name}: its state, restarts, last termination, log and files. */
    public ContainerAssert container(String name) {
        return new ContainerAssert(source, name, this);
    }

    /** The pod's only container (a pod with several must name one with {@link #container(String)}). */
    public ContainerAssert container() {
        Pod p = source.current().orElseThrow(() -> new AssertionError("Expecting " + describe() + " to exist, but it does not."));
        String only = PodChecks.onlyContainer(p);
        if (only == null) {
            throw new IllegalStateException(describe() + " has several containers: name one with container(name)");
        }
        return container(only);
    }

    /** The only container's log has a line containing {@code text}. */
    public PodAssert hasLogLine(String text) {
        container().hasLogLine(text);
        return this;
    }
}
