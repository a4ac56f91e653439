package dev.kubetest.assertions;

import dev.kubetest.core.ObjectRef;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.dsl.PodResource;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Soft assertions: the Kubernetes checks of every assertion made here (and of the container assertions reached
 * from them) are collected instead of thrown, and {@link #assertAll()} (or {@link #close()}) reports them all
 * at once. The plain AssertJ methods these assertions inherit ({@code isNotNull}, {@code isEqualTo}) still throw.
 *
 * <pre>{@code
 * KubeSoftAssertions.assertSoftly(softly -> {
 *     softly.assertThat(cluster.deployment(ns, "web")).isRolledOut();
 *     softly.assertThat(cluster.pod(ns, "db-0")).isReady();
 * });
 * }</pre>
 */
public class KubeSoftAssertions implements AutoCloseable {
    private final List<AssertionError> errors = new CopyOnWriteArrayList<>();

    /** Runs {@code checks} softly and reports every failure together. */
    public static void assertSoftly(Consumer<KubeSoftAssertions> checks) {
        KubeSoftAssertions softly = new KubeSoftAssertions();
        checks.accept(softly);
        softly.assertAll();
    }

    public PodAssert assertThat(Pod pod) {
        return new PodAssert(ObjectSource.snapshot(pod)).collectingInto(errors::add);
    }

    public PodAssert assertThat(ObjectRef.PodRef pod) {
        return new PodAssert(ObjectSource.of(pod)).collectingInto(errors::add);
    }

    public PodAssert assertThat(PodResource pod) {
        return new PodAssert(ObjectSource.of(pod, "pod")).collectingInto(errors::add);
    }

    public DeploymentAssert assertThat(Deployment deployment) {
        return new DeploymentAssert(ObjectSource.snapshot(deployment)).collectingInto(errors::add);
    }

    public DeploymentAssert assertThat(ObjectRef.DeploymentRef deployment) {
        return new DeploymentAssert(ObjectSource.of(deployment)).collectingInto(errors::add);
    }

    public DeploymentAssert assertThatDeployment(Resource<Deployment> deployment) {
        return new DeploymentAssert(ObjectSource.of(deployment, "deployment")).collectingInto(errors::add);
    }

    public ReplicaSetAssert assertThat(ReplicaSet set) {
        return new ReplicaSetAssert(ObjectSource.snapshot(set)).collectingInto(errors::add);
    }

    public ReplicaSetAssert assertThat(ObjectRef.ReplicaSetRef set) {
        return new ReplicaSetAssert(ObjectSource.of(set)).collectingInto(errors::add);
    }

    public StatefulSetAssert assertThat(StatefulSet set) {
        return new StatefulSetAssert(ObjectSource.snapshot(set)).collectingInto(errors::add);
    }

    public StatefulSetAssert assertThat(ObjectRef.StatefulSetRef set) {
        return new StatefulSetAssert(ObjectSource.of(set)).collectingInto(errors::add);
    }

    public DaemonSetAssert assertThat(DaemonSet set) {
        return new DaemonSetAssert(ObjectSource.snapshot(set)).collectingInto(errors::add);
    }

    public DaemonSetAssert assertThat(ObjectRef.DaemonSetRef set) {
        return new DaemonSetAssert(ObjectSource.of(set)).collectingInto(errors::add);
    }

    public JobAssert assertThat(Job job) {
        return new JobAssert(ObjectSource.snapshot(job)).collectingInto(errors::add);
    }

    public JobAssert assertThat(ObjectRef.JobRef job) {
        return new JobAssert(ObjectSource.of(job)).collectingInto(errors::add);
    }

    public JobAssert assertThatJob(Resource<Job> job) {
        return new JobAssert(ObjectSource.of(job, "job")).collectingInto(errors::add);
    }

    public CronJobAssert assertThat(CronJob cronJob) {
        return new CronJobAssert(ObjectSource.snapshot(cronJob)).collectingInto(errors::add);
    }

    public CronJobAssert assertThat(ObjectRef.CronJobRef cronJob) {
        return new CronJobAssert(ObjectSource.of(cronJob)).collectingInto(errors::add);
    }

    public ServiceAssert assertThat(Service service) {
        return new ServiceAssert(ObjectSource.snapshot(service)).collectingInto(errors::add);
    }

    public ServiceAssert assertThat(ObjectRef.ServiceRef service) {
        return new ServiceAssert(ObjectSource.of(service)).collectingInto(errors::add);
    }

    public ClaimAssert assertThat(PersistentVolumeClaim claim) {
        return new ClaimAssert(ObjectSource.snapshot(claim)).collectingInto(errors::add);
    }

    public ClaimAssert assertThat(ObjectRef.ClaimRef claim) {
        return new ClaimAssert(ObjectSource.of(claim)).collectingInto(errors::add);
    }

    public NodeAssert assertThat(Node node) {
        return new NodeAssert(ObjectSource.snapshot(node)).collectingInto(errors::add);
    }

    public NodeAssert assertThat(ObjectRef.NodeRef node) {
        return new NodeAssert(ObjectSource.of(node)).collectingInto(errors::add);
    }

    /** The failures collected so far. */
    public List<AssertionError> errorsCollected() {
        return List.copyOf(errors);
    }

    /** Throws one AssertionError listing every collected failure (each also attached as suppressed), if any. */
    public void assertAll() {
        if (errors.isEmpty()) {
            return;
        }
        StringBuilder sb = new StringBuilder();
        sb.append(errors.size() == 1 ? "1 Kubernetes check failed:" : errors.size() + " Kubernetes checks failed:");
        for (int i = 0; i < errors.size(); i++) {
            sb.append("\n").append(i + 1).append(") ").append(errors.get(i).getMessage().strip());
        }
        AssertionError all = new AssertionError(sb.toString());
        errors.forEach(all::addSuppressed);
        throw all;
    }

    @Override
    public void close() {
        assertAll();
    }
}
