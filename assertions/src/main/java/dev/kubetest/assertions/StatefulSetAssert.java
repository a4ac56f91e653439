package dev.kubetest.assertions;

import static dev.kubetest.assertions.error.ShouldBeRolledOut.shouldBeRolledOut;

import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.util.Objects;

/** Assertions on a StatefulSet: rolled out (every ordinal at the update revision and ready), replica counts. */
public class StatefulSetAssert extends KubeObjectAssert<StatefulSetAssert, StatefulSet> {

    public StatefulSetAssert(ObjectSource<StatefulSet> source) {
        super(source, StatefulSetAssert.class);
    }

    /** As {@code kubectl rollout status sts/x} (without a partition): all replicas ready and at the update revision. */
    public StatefulSetAssert isRolledOut() {
        return checkPresent("is rolled out", s -> {
            int want = Counts.of(s.getSpec().getReplicas());
            var st = s.getStatus();
            boolean done = st != null && st.getObservedGeneration() != null && st.getObservedGeneration() >= s.getMetadata().getGeneration()
                    && Counts.of(st.getReadyReplicas()) == want && Counts.of(st.getUpdatedReplicas()) == want
                    && Objects.equals(st.getCurrentRevision(), st.getUpdateRevision());
            return done ? Verdict.pass() : Verdict.fail(shouldBeRolledOut(describe(), Describe.statefulSet(s)));
        });
    }

    public StatefulSetAssert hasReadyReplicas(int n) {
        return hasCount("ready", "replicas", n, s -> s.getStatus() == null ? 0 : Counts.of(s.getStatus().getReadyReplicas()), Describe::statefulSet);
    }

    public StatefulSetAssert hasAvailableReplicas(int n) {
        return hasCount("available", "replicas", n, s -> s.getStatus() == null ? 0 : Counts.of(s.getStatus().getAvailableReplicas()), Describe::statefulSet);
    }

    public StatefulSetAssert hasUpdatedReplicas(int n) {
        return hasCount("updated", "replicas", n, s -> s.getStatus() == null ? 0 : Counts.of(s.getStatus().getUpdatedReplicas()), Describe::statefulSet);
    }
}
