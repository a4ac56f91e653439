package dev.kubetest.core.admission;

import dev.kubetest.core.meta.ResourceType;
import java.util.Map;

/** Finds a built-in kind's strategy by its resource; custom resources and kinds without rules get the plain one. */
public final class KindStrategies {
    private static final KindStrategy PLAIN = new KindStrategy() { };
    private static final KindStrategy RBAC = new RbacStrategy();
    private static final KindStrategy REVIEW = new ReviewStrategy();
    private static final Map<String, KindStrategy> BY_RESOURCE = Map.ofEntries(
            Map.entry("pods", new PodStrategy()),
            Map.entry("podtemplates", new PodTemplateStrategy()),
            Map.entry("replicationcontrollers", new ReplicationControllerStrategy()),
            Map.entry("services", new ServiceStrategy()),
            Map.entry("configmaps", new ConfigMapStrategy()),
            Map.entry("secrets", new SecretStrategy()),
            Map.entry("namespaces", new NamespaceStrategy()),
            Map.entry("persistentvolumeclaims", new PersistentVolumeClaimStrategy()),
            Map.entry("persistentvolumes", new PersistentVolumeStrategy()),
            Map.entry("deployments.apps", new DeploymentStrategy()),
            Map.entry("replicasets.apps", new ReplicaSetStrategy()),
            Map.entry("statefulsets.apps", new StatefulSetStrategy()),
            Map.entry("daemonsets.apps", new DaemonSetStrategy()),
            Map.entry("jobs.batch", new JobStrategy()),
            Map.entry("cronjobs.batch", new CronJobStrategy()),
            Map.entry("networkpolicies.networking.k8s.io", new NetworkPolicyStrategy()),
            Map.entry("ingresses.networking.k8s.io", new IngressStrategy()),
            Map.entry("priorityclasses.scheduling.k8s.io", new PriorityClassStrategy()),
            Map.entry("customresourcedefinitions.apiextensions.k8s.io", new CustomResourceDefinitionStrategy()),
            Map.entry("certificatesigningrequests.certificates.k8s.io", new CertificateSigningRequestStrategy()),
            Map.entry("apiservices.apiregistration.k8s.io", new ApiServiceStrategy()),
            Map.entry("roles.rbac.authorization.k8s.io", RBAC),
            Map.entry("clusterroles.rbac.authorization.k8s.io", RBAC),
            Map.entry("rolebindings.rbac.authorization.k8s.io", RBAC),
            Map.entry("clusterrolebindings.rbac.authorization.k8s.io", RBAC),
            Map.entry("selfsubjectaccessreviews.authorization.k8s.io", REVIEW),
            Map.entry("subjectaccessreviews.authorization.k8s.io", REVIEW),
            Map.entry("localsubjectaccessreviews.authorization.k8s.io", REVIEW),
            Map.entry("selfsubjectrulesreviews.authorization.k8s.io", REVIEW),
            Map.entry("tokenreviews.authentication.k8s.io", REVIEW),
            Map.entry("selfsubjectreviews.authentication.k8s.io", REVIEW));

    private KindStrategies() {}

    public static KindStrategy of(ResourceType type) {
        return type.builtIn() ? BY_RESOURCE.getOrDefault(type.storageKey(), PLAIN) : PLAIN;
    }
}
