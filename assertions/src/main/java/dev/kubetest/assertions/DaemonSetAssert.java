package dev.kubetest.assertions;

import static dev.kubetest.assertions.error.ShouldBeRolledOut.shouldBeRolledOut;
import static dev.kubetest.assertions.error.ShouldHaveReplicas.shouldHaveReplicas;

import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import java.util.function.Function;

/** Assertions on a DaemonSet: rolled out on every node that should run it, and its counts. */
public class DaemonSetAssert extends KubeObjectAssert<DaemonSetAssert, DaemonSet> {

    public DaemonSetAssert(ObjectSource<DaemonSet> source) {
        super(source, DaemonSetAssert.class);
    }

    /** As {@code kubectl rollout status ds/x}: every desired node has an updated, available pod. */
    public DaemonSetAssert isRolledOut() {
        return checkPresent("is rolled out", d -> {
            var s = d.getStatus();
            boolean done = s != null && s.getObservedGeneration() != null && s.getObservedGeneration() >= d.getMetadata().getGeneration()
                    && Counts.of(s.getUpdatedNumberScheduled()) == Counts.of(s.getDesiredNumberScheduled())
                    && Counts.of(s.getNumberAvailable()) == Counts.of(s.getDesiredNumberScheduled());
            return done ? Verdict.pass() : Verdict.fail(shouldBeRolledOut(describe(), Describe.status(d)));
        });
    }

    /** How many nodes should run the pod. */
    public DaemonSetAssert hasDesiredNumberScheduled(int n) {
        return count("desired", n, d -> Counts.of(d.getStatus().getDesiredNumberScheduled()));
    }

    public DaemonSetAssert hasNumberReady(int n) {
        return count("ready", n, d -> Counts.of(d.getStatus().getNumberReady()));
    }

    public DaemonSetAssert hasNumberAvailable(int n) {
        return count("available", n, d -> Counts.of(d.getStatus().getNumberAvailable()));
    }

    private DaemonSetAssert count(String which, int n, Function<DaemonSet, Integer> read) {
        return checkPresent("has " + n + " " + which + " pods", d -> {
            int actual = d.getStatus() == null ? 0 : read.apply(d);
            return actual == n ? Verdict.pass() : Verdict.fail(shouldHaveReplicas(describe(), which, "pods", n, actual, Describe.status(d)));
        });
    }
}
