package dev.kubetest.core;

import dev.kubetest.core.api.KubeApi;
import dev.kubetest.core.controller.CertificateSigner;
import dev.kubetest.core.controller.Controller;
import dev.kubetest.core.controller.CustomResourceDefinitionController;
import dev.kubetest.core.controller.DisruptionController;
import dev.kubetest.core.controller.GarbageCollector;
import dev.kubetest.core.controller.LocalApiServices;
import dev.kubetest.core.controller.NamespaceController;
import dev.kubetest.core.controller.PodGarbageCollector;
import dev.kubetest.core.controller.ResourceEvents;
import dev.kubetest.core.controller.RootCaPublisher;
import dev.kubetest.core.controller.ServiceAccountController;
import dev.kubetest.core.storage.PersistentVolumeController;
import dev.kubetest.core.tls.ClusterTls;
import dev.kubetest.core.workload.CronJobController;
import dev.kubetest.core.workload.DaemonSetController;
import dev.kubetest.core.workload.DeploymentController;
import dev.kubetest.core.workload.JobController;
import dev.kubetest.core.workload.ReplicaSetController;
import dev.kubetest.core.workload.StatefulSetController;
import dev.kubetest.core.workload.TtlAfterFinishedController;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/** kube-controller-manager's and kube-apiserver's controllers, in start order; a builder can switch each off by name. */
final class ClusterControllers {
    private ClusterControllers() {}

    /** {@code deleteStorage} frees a released volume's data (the runtime's storage for its key). */
    static List<Controller> of(KubeApi api, ResourceEvents events, CompletableFuture<ClusterTls> tls,
                               int terminatedPodThreshold, Consumer<String> deleteStorage) {
        return List.of(
                new CustomResourceDefinitionController(api),
                new GarbageCollector(api, events),
                new NamespaceController(api, events),
                new ServiceAccountController(api, events),
                new DisruptionController(api, events),
                new RootCaPublisher(api, events, tls.thenApply(ClusterTls::caPem)),
                new LocalApiServices(api, events),
                new CertificateSigner(api, events, tls),
                ReplicaSetController.replicaSets(api, events),
                ReplicaSetController.replicationControllers(api, events),
                new DeploymentController(api, events),
                new StatefulSetController(api, events),
                new DaemonSetController(api, events),
                new JobController(api, events),
                new CronJobController(api, events),
                new TtlAfterFinishedController(api, events),
                new PodGarbageCollector(api, events, terminatedPodThreshold),
                new PersistentVolumeController(api, events, deleteStorage));
    }
}
