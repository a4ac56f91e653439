package dev.kubetest.assertions;


import io.fabric8.kubernetes.api.model.apps.ReplicaSet;

/** Assertions on a ReplicaSet's replica counts. */
public class ReplicaSetAssert extends KubeObjectAssert<ReplicaSetAssert, ReplicaSet> {

    public ReplicaSetAssert(ObjectSource<ReplicaSet> source) {
        super(source, ReplicaSetAssert.class);
    }

    public ReplicaSetAssert hasReplicas(int n) {
        return hasCount("current", "replicas", n, r -> r.getStatus() == null ? 0 : Counts.of(r.getStatus().getReplicas()), Describe::status);
    }

    public ReplicaSetAssert hasReadyReplicas(int n) {
        return hasCount("ready", "replicas", n, r -> r.getStatus() == null ? 0 : Counts.of(r.getStatus().getReadyReplicas()), Describe::status);
    }

    public ReplicaSetAssert hasAvailableReplicas(int n) {
        return hasCount("available", "replicas", n, r -> r.getStatus() == null ? 0 : Counts.of(r.getStatus().getAvailableReplicas()), Describe::status);
    }
}
