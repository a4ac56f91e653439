package dev.kubetest.assertions;

import static dev.kubetest.assertions.error.ShouldHaveReplicas.shouldHaveReplicas;

import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.util.function.Function;

/** Assertions on a ReplicaSet's replica counts. */
public class ReplicaSetAssert extends KubeObjectAssert<ReplicaSetAssert, ReplicaSet> {

    public ReplicaSetAssert(ObjectSource<ReplicaSet> source) {
        super(source, ReplicaSetAssert.class);
    }

    public ReplicaSetAssert hasReplicas(int n) {
        return count("current", n, r -> Counts.of(r.getStatus().getReplicas()));
    }

    public ReplicaSetAssert hasReadyReplicas(int n) {
        return count("ready", n, r -> Counts.of(r.getStatus().getReadyReplicas()));
    }

    public ReplicaSetAssert hasAvailableReplicas(int n) {
        return count("available", n, r -> Counts.of(r.getStatus().getAvailableReplicas()));
    }

    private ReplicaSetAssert count(String which, int n, Function<ReplicaSet, Integer> read) {
        return checkPresent("has " + n + " " + which + " replicas", r -> {
            int actual = r.getStatus() == null ? 0 : read.apply(r);
            return actual == n ? Verdict.pass() : Verdict.fail(shouldHaveReplicas(describe(), which, n, actual, Describe.status(r)));
        });
    }
}
