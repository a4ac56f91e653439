package dev.kubetest.assertions;

import static dev.kubetest.assertions.error.ShouldBeRolledOut.shouldBeRolledOut;

import io.fabric8.kubernetes.api.model.apps.DaemonSet;

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
        return hasCount("desired", "pods", n, d -> d.getStatus() == null ? 0 : Counts.of(d.getStatus().getDesiredNumberScheduled()), Describe::status);
    }

    public DaemonSetAssert hasNumberReady(int n) {
        return hasCount("ready", "pods", n, d -> d.getStatus() == null ? 0 : Counts.of(d.getStatus().getNumberReady()), Describe::status);
    }

    public DaemonSetAssert hasNumberAvailable(int n) {
        return hasCount("available", "pods", n, d -> d.getStatus() == null ? 0 : Counts.of(d.getStatus().getNumberAvailable()), Describe::status);
    }
}
