package dev.kubetest.assertions;

import dev.kubetest.core.ObjectRef;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.dsl.PodResource;
import io.fabric8.kubernetes.client.dsl.Resource;

/**
 * The entry points. Give an object to check it as it is; give a reference ({@code cluster.pod(ns, name)}, or a
 * fabric8 resource such as {@code client.pods().withName(name)}) to read it afresh at each check, so that
 * {@code eventually()} and {@code during(...)} can wait for it:
 *
 * <pre>{@code
 * import static dev.kubetest.assertions.KubeAssertions.assertThat;
 *
 * assertThat(cluster.deployment(ns, "web")).eventually().isRolledOut();
 * assertThat(cluster.pod(ns, "web-0")).eventually().isReady().container("web").hasRestartCount(0);
 * assertThat(cluster.job(ns, "migrate")).eventually(Duration.ofMinutes(10)).isComplete();
 * assertThat(cluster.pod(ns, "queued")).during(Duration.ofMinutes(1)).isPending();
 * }</pre>
 */
public final class KubeAssertions {
    private KubeAssertions() {}

    public static PodAssert assertThat(Pod pod) {
        return new PodAssert(ObjectSource.snapshot(pod));
    }

    public static PodAssert assertThat(ObjectRef.PodRef pod) {
        return new PodAssert(ObjectSource.of(pod));
    }

    /** A pod read afresh over HTTP at each check (works against any cluster, waits in wall time). */
    public static PodAssert assertThat(PodResource pod) {
        return new PodAssert(ObjectSource.of(pod, "pod"));
    }

    /** One container status, as it is. */
    public static ContainerAssert assertThat(ContainerStatus status) {
        Pod holder = new PodBuilder().withNewMetadata().withName("(a pod)").endMetadata().withNewSpec().addNewContainer()
                .withName(status.getName()).withImage(status.getImage()).endContainer().endSpec()
                .withNewStatus().withContainerStatuses(status).endStatus().build();
        return new ContainerAssert(ObjectSource.snapshot(holder), status.getName(), null);
    }

    public static DeploymentAssert assertThat(Deployment deployment) {
        return new DeploymentAssert(ObjectSource.snapshot(deployment));
    }

    public static DeploymentAssert assertThat(ObjectRef.DeploymentRef deployment) {
        return new DeploymentAssert(ObjectSource.of(deployment));
    }

    /** A Deployment read afresh over HTTP ({@code client.apps().deployments().withName(name)}). */
    public static DeploymentAssert assertThatDeployment(Resource<Deployment> deployment) {
        return new DeploymentAssert(ObjectSource.of(deployment, "deployment"));
    }

    public static ReplicaSetAssert assertThat(ReplicaSet set) {
        return new ReplicaSetAssert(ObjectSource.snapshot(set));
    }

    public static ReplicaSetAssert assertThat(ObjectRef.ReplicaSetRef set) {
        return new ReplicaSetAssert(ObjectSource.of(set));
    }

    public static StatefulSetAssert assertThat(StatefulSet set) {
        return new StatefulSetAssert(ObjectSource.snapshot(set));
    }

    public static StatefulSetAssert assertThat(ObjectRef.StatefulSetRef set) {
        return new StatefulSetAssert(ObjectSource.of(set));
    }

    public static DaemonSetAssert assertThat(DaemonSet set) {
        return new DaemonSetAssert(ObjectSource.snapshot(set));
    }

    public static DaemonSetAssert assertThat(ObjectRef.DaemonSetRef set) {
        return new DaemonSetAssert(ObjectSource.of(set));
    }

    public static JobAssert assertThat(Job job) {
        return new JobAssert(ObjectSource.snapshot(job));
    }

    public static JobAssert assertThat(ObjectRef.JobRef job) {
        return new JobAssert(ObjectSource.of(job));
    }

    /** A Job read afresh over HTTP ({@code client.batch().v1().jobs().withName(name)}). */
    public static JobAssert assertThatJob(Resource<Job> job) {
        return new JobAssert(ObjectSource.of(job, "job"));
    }

    public static CronJobAssert assertThat(CronJob cronJob) {
        return new CronJobAssert(ObjectSource.snapshot(cronJob));
    }

    public static CronJobAssert assertThat(ObjectRef.CronJobRef cronJob) {
        return new CronJobAssert(ObjectSource.of(cronJob));
    }

    public static ServiceAssert assertThat(Service service) {
        return new ServiceAssert(ObjectSource.snapshot(service));
    }

    public static ServiceAssert assertThat(ObjectRef.ServiceRef service) {
        return new ServiceAssert(ObjectSource.of(service));
    }

    public static ClaimAssert assertThat(PersistentVolumeClaim claim) {
        return new ClaimAssert(ObjectSource.snapshot(claim));
    }

    public static ClaimAssert assertThat(ObjectRef.ClaimRef claim) {
        return new ClaimAssert(ObjectSource.of(claim));
    }

    public static NodeAssert assertThat(Node node) {
        return new NodeAssert(ObjectSource.snapshot(node));
    }

    public static NodeAssert assertThat(ObjectRef.NodeRef node) {
        return new NodeAssert(ObjectSource.of(node));
    }
}
