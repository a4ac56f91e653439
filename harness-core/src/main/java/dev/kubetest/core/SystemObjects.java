package dev.kubetest.core;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubetest.core.admission.PriorityAdmission;
import dev.kubetest.core.api.ApiServerEndpoints;
import dev.kubetest.core.api.KubeApi;
import dev.kubetest.core.json.Json;
import dev.kubetest.core.meta.ResourceType;
import dev.kubetest.core.meta.WriteOptions;
import dev.kubetest.core.registry.ResourceRegistry;
import dev.kubetest.core.storage.PersistentVolumeController;

/** What a new cluster holds before anything else: the objects kube-apiserver and kubeadm create at install. */
final class SystemObjects {
    private SystemObjects() {}

    /** The system namespaces, the {@code kubernetes} Service, the default StorageClass and the system priority classes. */
    static void create(KubeApi api, ResourceRegistry registry) {
        ResourceType namespaces = registry.find("", "v1", "namespaces").orElseThrow();
        for (String ns : KubeCluster.SYSTEM_NAMESPACES) {
            ObjectNode o = Json.object();
            o.putObject("metadata").put("name", ns);
            api.create(namespaces, null, o, WriteOptions.manager("kube-apiserver"));
        }
        ApiServerEndpoints.createService(api);
        api.create(registry.find("storage.k8s.io", "v1", "storageclasses").orElseThrow(), null, defaultStorageClass(),
                WriteOptions.manager("kubetest"));
        ResourceType priorityClasses = registry.find("scheduling.k8s.io", "v1", "priorityclasses").orElseThrow();
        for (ObjectNode pc : PriorityAdmission.systemClasses()) {
            api.create(priorityClasses, null, pc, WriteOptions.manager("kube-apiserver"));
        }
    }

    /**
     * The default StorageClass {@code standard}: the simulated provisioner, volumes bound when their first pod is
     * scheduled (WaitForFirstConsumer, as kind's {@code standard}), deleted with their claim, expandable.
     */
    static ObjectNode defaultStorageClass() {
        ObjectNode sc = Json.object();
        sc.put("apiVersion", "storage.k8s.io/v1");
        sc.put("kind", "StorageClass");
        ObjectNode meta = sc.putObject("metadata");
        meta.put("name", "standard");
        meta.putObject("annotations").put("storageclass.kubernetes.io/is-default-class", "true");
        sc.put("provisioner", PersistentVolumeController.PROVISIONER);
        sc.put("reclaimPolicy", "Delete");
        sc.put("volumeBindingMode", "WaitForFirstConsumer");
        sc.put("allowVolumeExpansion", true);
        return sc;
    }
}
