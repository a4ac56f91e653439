package dev.kubetest.core;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.Objects;
import java.util.Optional;

/**
 * A named object of a cluster, read afresh on every {@link #get()}: what assertions hold on to when they wait for
 * an object to change. Its namespace is null for cluster-scoped kinds. A subclass per common kind lets assertion
 * entry points tell them apart.
 */
public class ObjectRef<T extends HasMetadata> {
    private final KubeCluster cluster;
    private final Class<T> type;
    private final String namespace;
    private final String name;

    public ObjectRef(KubeCluster cluster, Class<T> type, String namespace, String name) {
        this.cluster = Objects.requireNonNull(cluster);
        this.type = Objects.requireNonNull(type);
        this.namespace = namespace;
        this.name = Objects.requireNonNull(name);
    }

    public KubeCluster cluster() {
        return cluster;
    }

    public Class<T> type() {
        return type;
    }

    public String namespace() {
        return namespace;
    }

    public String name() {
        return name;
    }

    /** The object as it is now, if it exists. */
    public Optional<T> get() {
        return cluster.client().get(type, namespace, name);
    }

    /** The kind's name in lower case, as kubectl writes it ({@code pod}, {@code deployment}). */
    public String kind() {
        return HasMetadata.getKind(type).toLowerCase(java.util.Locale.ROOT);
    }

    /** {@code pod default/web-0}, or {@code node kubetest-node-1}. */
    @Override
    public String toString() {
        return kind() + " " + (namespace == null ? "" : namespace + "/") + name;
    }

    /** A {@code Pod}. */
    public static final class PodRef extends ObjectRef<io.fabric8.kubernetes.api.model.Pod> {
        public PodRef(KubeCluster cluster, String namespace, String name) {
            super(cluster, io.fabric8.kubernetes.api.model.Pod.class, namespace, name);
        }
    }

    /** A {@code Deployment}. */
    public static final class DeploymentRef extends ObjectRef<io.fabric8.kubernetes.api.model.apps.Deployment> {
        public DeploymentRef(KubeCluster cluster, String namespace, String name) {
            super(cluster, io.fabric8.kubernetes.api.model.apps.Deployment.class, namespace, name);
        }
    }

    /** A {@code StatefulSet}. */
    public static final class StatefulSetRef extends ObjectRef<io.fabric8.kubernetes.api.model.apps.StatefulSet> {
        public StatefulSetRef(KubeCluster cluster, String namespace, String name) {
            super(cluster, io.fabric8.kubernetes.api.model.apps.StatefulSet.class, namespace, name);
        }
    }

    /** A {@code DaemonSet}. */
    public static final class DaemonSetRef extends ObjectRef<io.fabric8.kubernetes.api.model.apps.DaemonSet> {
        public DaemonSetRef(KubeCluster cluster, String namespace, String name) {
            super(cluster, io.fabric8.kubernetes.api.model.apps.DaemonSet.class, namespace, name);
        }
    }

    /** A {@code ReplicaSet}. */
    public static final class ReplicaSetRef extends ObjectRef<io.fabric8.kubernetes.api.model.apps.ReplicaSet> {
        public ReplicaSetRef(KubeCluster cluster, String namespace, String name) {
            super(cluster, io.fabric8.kubernetes.api.model.apps.ReplicaSet.class, namespace, name);
        }
    }

    /** A {@code Job}. */
    public static final class JobRef extends ObjectRef<io.fabric8.kubernetes.api.model.batch.v1.Job> {
        public JobRef(KubeCluster cluster, String namespace, String name) {
            super(cluster, io.fabric8.kubernetes.api.model.batch.v1.Job.class, namespace, name);
        }
    }

    /** A {@code CronJob}. */
    public static final class CronJobRef extends ObjectRef<io.fabric8.kubernetes.api.model.batch.v1.CronJob> {
        public CronJobRef(KubeCluster cluster, String namespace, String name) {
            super(cluster, io.fabric8.kubernetes.api.model.batch.v1.CronJob.class, namespace, name);
        }
    }

    /** A {@code Service}. */
    public static final class ServiceRef extends ObjectRef<io.fabric8.kubernetes.api.model.Service> {
        public ServiceRef(KubeCluster cluster, String namespace, String name) {
            super(cluster, io.fabric8.kubernetes.api.model.Service.class, namespace, name);
        }
    }

    /** A {@code PersistentVolumeClaim}. */
    public static final class ClaimRef extends ObjectRef<io.fabric8.kubernetes.api.model.PersistentVolumeClaim> {
        public ClaimRef(KubeCluster cluster, String namespace, String name) {
            super(cluster, io.fabric8.kubernetes.api.model.PersistentVolumeClaim.class, namespace, name);
        }
    }

    /** A {@code Node}. */
    public static final class NodeRef extends ObjectRef<io.fabric8.kubernetes.api.model.Node> {
        public NodeRef(KubeCluster cluster, String namespace, String name) {
            super(cluster, io.fabric8.kubernetes.api.model.Node.class, namespace, name);
        }
    }
}
