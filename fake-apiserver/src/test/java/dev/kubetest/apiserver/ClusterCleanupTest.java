package dev.kubetest.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.kubetest.apiserver.support.Kubectl;
import dev.kubetest.apiserver.support.TestServer;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.NamespaceCondition;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Namespace deletion, garbage collection and the per-namespace service account and CA, through fabric8 and kubectl. */
class ClusterCleanupTest {
    static TestServer server;
    static KubernetesClient client;
    static final ResourceDefinitionContext WIDGETS = new ResourceDefinitionContext.Builder()
            .withGroup("example.com").withVersion("v1").withKind("Widget").withPlural("widgets").withNamespaced(true).build();

    @BeforeAll
    static void start() {
        server = new TestServer();
        client = server.fabric8();
        CustomResourceDefinition crd = new CustomResourceDefinitionBuilder()
                .withNewMetadata().withName("widgets.example.com").endMetadata()
                .withNewSpec().withGroup("example.com").withScope("Namespaced")
                .withNewNames().withKind("Widget").withPlural("widgets").withSingular("widget").withShortNames("wd").endNames()
                .addNewVersion().withName("v1").withServed(true).withStorage(true)
                .withNewSchema().withNewOpenAPIV3Schema().withType("object").withXKubernetesPreserveUnknownFields(true)
                .endOpenAPIV3Schema().endSchema().endVersion()
                .endSpec().build();
        client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
        await().atMost(Duration.ofSeconds(20)).until(() -> client.apiextensions().v1().customResourceDefinitions()
                .withName("widgets.example.com").get().getStatus().getConditions().stream()
                .anyMatch(c -> c.getType().equals("Established") && c.getStatus().equals("True")));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static void namespace(String name) {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build()).create();
    }

    private static <T extends HasMetadata> void create(T obj) {
        client.resource(obj).create();
    }

    private static void fill(String ns, int perKind) {
        for (int i = 0; i < perKind; i++) {
            String n = "o-" + i;
            create(new ConfigMapBuilder().withNewMetadata().withName(n).withNamespace(ns).endMetadata().build());
            create(new SecretBuilder().withNewMetadata().withName(n).withNamespace(ns).endMetadata().addToStringData("k", "v").build());
            create(new ServiceBuilder().withNewMetadata().withName(n).withNamespace(ns).endMetadata()
                    .withNewSpec().addNewPort().withPort(80).endPort().endSpec().build());
            create(new ServiceAccountBuilder().withNewMetadata().withName(n).withNamespace(ns).endMetadata().build());
            create(new DeploymentBuilder().withNewMetadata().withName(n).withNamespace(ns).endMetadata()
                    .withNewSpec().withNewSelector().addToMatchLabels("app", n).endSelector()
                    .withNewTemplate().withNewMetadata().addToLabels("app", n).endMetadata()
                    .withNewSpec().addNewContainer().withName("c").withImage("nginx").endContainer().endSpec()
                    .endTemplate().endSpec().build());
            create(new JobBuilder().withNewMetadata().withName(n).withNamespace(ns).endMetadata()
                    .withNewSpec().withNewTemplate().withNewSpec().withRestartPolicy("Never")
                    .addNewContainer().withName("c").withImage("busybox").endContainer().endSpec().endTemplate().endSpec().build());
            create(new RoleBuilder().withNewMetadata().withName(n).withNamespace(ns).endMetadata().build());
            create(new RoleBindingBuilder().withNewMetadata().withName(n).withNamespace(ns).endMetadata()
                    .withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("Role").withName(n).endRoleRef().build());
            create(new PersistentVolumeClaimBuilder().withNewMetadata().withName(n).withNamespace(ns).endMetadata()
                    .withNewSpec().withAccessModes("ReadWriteOnce").withNewResources()
                    .addToRequests("storage", new Quantity("1Gi")).endResources().endSpec().build());
            create(new LeaseBuilder().withNewMetadata().withName(n).withNamespace(ns).endMetadata().build());
        }
    }

    private static String condition(Namespace ns, String type) {
        if (ns == null || ns.getStatus() == null || ns.getStatus().getConditions() == null) {
            return null;
        }
        for (NamespaceCondition c : ns.getStatus().getConditions()) {
            if (c.getType().equals(type)) {
                return c.getStatus() + " " + c.getReason() + ": " + c.getMessage();
            }
        }
        return null;
    }

    @Test
    void namespaceWithContentIsEmptiedAndWaitsForACustomResourceFinalizer() {
        namespace("doomed");
        fill("doomed", 20);
        client.genericKubernetesResources(WIDGETS).inNamespace("doomed").resource(new GenericKubernetesResourceBuilder()
                .withApiVersion("example.com/v1").withKind("Widget")
                .withNewMetadata().withName("w1").withNamespace("doomed").withFinalizers("example.com/hold").endMetadata()
                .build()).create();
        assertThat(client.configMaps().inNamespace("doomed").list().getItems()).hasSizeGreaterThanOrEqualTo(20);

        client.namespaces().withName("doomed").delete();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Namespace ns = client.namespaces().withName("doomed").get();
            assertThat(ns.getStatus().getPhase()).isEqualTo("Terminating");
            assertThat(condition(ns, "NamespaceContentRemaining"))
                    .isEqualTo("True SomeResourcesRemain: Some resources are remaining: widgets.example.com has 1 resource instances");
            assertThat(condition(ns, "NamespaceFinalizersRemaining")).isEqualTo(
                    "True SomeFinalizersRemain: Some content in the namespace has finalizers remaining: example.com/hold in 1 resource instances");
        });
        Namespace terminating = client.namespaces().withName("doomed").get();
        assertThat(condition(terminating, "NamespaceDeletionContentFailure"))
                .isEqualTo("False ContentDeleted: All content successfully deleted, may be waiting on finalization");
        assertThat(condition(terminating, "NamespaceDeletionDiscoveryFailure"))
                .isEqualTo("False ResourcesDiscovered: All resources successfully discovered");
        List<Supplier<List<? extends HasMetadata>>> kinds = List.of(
                () -> client.configMaps().inNamespace("doomed").list().getItems(),
                () -> client.secrets().inNamespace("doomed").list().getItems(),
                () -> client.services().inNamespace("doomed").list().getItems(),
                () -> client.serviceAccounts().inNamespace("doomed").list().getItems(),
                () -> client.apps().deployments().inNamespace("doomed").list().getItems(),
                () -> client.batch().v1().jobs().inNamespace("doomed").list().getItems(),
                () -> client.rbac().roles().inNamespace("doomed").list().getItems(),
                () -> client.rbac().roleBindings().inNamespace("doomed").list().getItems(),
                () -> client.persistentVolumeClaims().inNamespace("doomed").list().getItems(),
                () -> client.leases().inNamespace("doomed").list().getItems());
        for (Supplier<List<? extends HasMetadata>> k : kinds) {
            assertThat(k.get()).isEmpty();
        }
        assertThatThrownBy(() -> client.configMaps().inNamespace("doomed").resource(new ConfigMapBuilder()
                .withNewMetadata().withName("late").endMetadata().build()).create())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(403);
                    assertThat(e.getStatus().getMessage()).isEqualTo("configmaps \"late\" is forbidden: unable to create "
                            + "new content in namespace doomed because it is being terminated");
                });

        Kubectl kubectl = server.kubectl();
        if (Kubectl.binary() != null || Boolean.getBoolean("kubetest.require.kubectl")) {
            assertThat(kubectl.run("get", "ns", "doomed").ok().out()).containsPattern("doomed\\s+Terminating");
            assertThat(kubectl.run("get", "widgets", "-n", "doomed", "-o", "name").ok().out().trim()).isEqualTo("widget.example.com/w1");
        }

        client.genericKubernetesResources(WIDGETS).inNamespace("doomed").withName("w1")
                .edit(w -> { w.getMetadata().setFinalizers(List.of()); return w; });
        await().atMost(Duration.ofSeconds(30)).until(() -> client.namespaces().withName("doomed").get() == null);
    }

    @Test
    void kubectlDeleteNamespaceWaitsUntilItIsGone() {
        Kubectl kubectl = server.kubectl();
        namespace("waited");
        fill("waited", 3);
        Kubectl.Result r = kubectl.run("delete", "namespace", "waited", "--wait=true").ok();
        assertThat(r.out()).contains("namespace \"waited\" deleted");
        assertThat(client.namespaces().withName("waited").get()).isNull();
        Kubectl.Result immortal = kubectl.run("delete", "namespace", "kube-system");
        assertThat(immortal.exitCode()).isNotZero();
        assertThat(immortal.err()).contains("Error from server (Forbidden): namespaces \"kube-system\" is forbidden: "
                + "this namespace may not be deleted");
    }

    @Test
    void everyNamespaceGetsADefaultServiceAccountAndTheRootCa() {
        namespace("fresh");
        await().atMost(Duration.ofSeconds(20)).until(() ->
                client.serviceAccounts().inNamespace("fresh").withName("default").get() != null
                        && client.configMaps().inNamespace("fresh").withName("kube-root-ca.crt").get() != null);
        String pem = client.configMaps().inNamespace("fresh").withName("kube-root-ca.crt").get().getData().get("ca.crt");
        assertThat(pem).isEqualTo(server.server().certificateAuthority().caPem());
        client.serviceAccounts().inNamespace("fresh").withName("default").delete();
        client.configMaps().inNamespace("fresh").withName("kube-root-ca.crt").delete();
        await().atMost(Duration.ofSeconds(20)).until(() ->
                client.serviceAccounts().inNamespace("fresh").withName("default").get() != null
                        && client.configMaps().inNamespace("fresh").withName("kube-root-ca.crt").get() != null);
        for (String ns : List.of("default", "kube-system", "kube-public", "kube-node-lease")) {
            await().atMost(Duration.ofSeconds(20)).until(() ->
                    client.serviceAccounts().inNamespace(ns).withName("default").get() != null);
        }
    }

    private static ConfigMap owner(String ns, String name) {
        return client.configMaps().inNamespace(ns).resource(new ConfigMapBuilder()
                .withNewMetadata().withName(name).endMetadata().build()).create();
    }

    private static ConfigMap dependent(String ns, String name, HasMetadata owner, boolean block, String... finalizers) {
        return client.configMaps().inNamespace(ns).resource(new ConfigMapBuilder()
                .withNewMetadata().withName(name).withFinalizers(finalizers)
                .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("v1").withKind(owner.getKind())
                        .withName(owner.getMetadata().getName()).withUid(owner.getMetadata().getUid())
                        .withBlockOwnerDeletion(block).withController(true).build())
                .endMetadata().build()).create();
    }

    @Test
    void backgroundDeletionCollectsDependents() {
        namespace("gc-bg");
        ConfigMap o = owner("gc-bg", "owner");
        dependent("gc-bg", "child", o, false);
        client.configMaps().inNamespace("gc-bg").withName("owner").delete();
        await().atMost(Duration.ofSeconds(20)).until(() -> client.configMaps().inNamespace("gc-bg").withName("child").get() == null);
    }

    @Test
    void foregroundDeletionKeepsTheOwnerUntilBlockingDependentsAreGone() {
        namespace("gc-fg");
        ConfigMap o = owner("gc-fg", "owner");
        dependent("gc-fg", "child", o, true, "example.com/slow");
        client.configMaps().inNamespace("gc-fg").withName("owner")
                .withPropagationPolicy(io.fabric8.kubernetes.api.model.DeletionPropagation.FOREGROUND).delete();
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            ConfigMap child = client.configMaps().inNamespace("gc-fg").withName("child").get();
            return child != null && child.getMetadata().getDeletionTimestamp() != null;
        });
        ConfigMap held = client.configMaps().inNamespace("gc-fg").withName("owner").get();
        assertThat(held).isNotNull();
        assertThat(held.getMetadata().getDeletionTimestamp()).isNotNull();
        assertThat(held.getMetadata().getFinalizers()).containsExactly("foregroundDeletion");
        client.configMaps().inNamespace("gc-fg").withName("child").edit(c -> {
            c.getMetadata().setFinalizers(List.of());
            return c;
        });
        await().atMost(Duration.ofSeconds(20)).until(() -> client.configMaps().inNamespace("gc-fg").withName("owner").get() == null);
    }

    @Test
    void orphanDeletionStripsTheOwnerReference() {
        namespace("gc-orphan");
        ConfigMap o = owner("gc-orphan", "owner");
        dependent("gc-orphan", "child", o, true);
        client.configMaps().inNamespace("gc-orphan").withName("owner")
                .withPropagationPolicy(io.fabric8.kubernetes.api.model.DeletionPropagation.ORPHAN).delete();
        await().atMost(Duration.ofSeconds(20)).until(() -> client.configMaps().inNamespace("gc-orphan").withName("owner").get() == null);
        ConfigMap child = client.configMaps().inNamespace("gc-orphan").withName("child").get();
        assertThat(child).isNotNull();
        assertThat(child.getMetadata().getOwnerReferences()).isEmpty();
    }

    @Test
    void kubectlCascadeFlagsChooseThePropagation() {
        Kubectl kubectl = server.kubectl();
        namespace("gc-kubectl");
        ConfigMap o1 = owner("gc-kubectl", "keep-owner");
        dependent("gc-kubectl", "keep-child", o1, true);
        kubectl.run("delete", "cm", "keep-owner", "-n", "gc-kubectl", "--cascade=orphan").ok();
        ConfigMap o2 = owner("gc-kubectl", "fg-owner");
        dependent("gc-kubectl", "fg-child", o2, true);
        kubectl.run("delete", "cm", "fg-owner", "-n", "gc-kubectl", "--cascade=foreground").ok();
        assertThat(client.configMaps().inNamespace("gc-kubectl").withName("fg-owner").get()).isNull();
        assertThat(client.configMaps().inNamespace("gc-kubectl").withName("fg-child").get()).isNull();
        ConfigMap o3 = owner("gc-kubectl", "bg-owner");
        dependent("gc-kubectl", "bg-child", o3, false);
        kubectl.run("delete", "cm", "bg-owner", "-n", "gc-kubectl", "--cascade=background").ok();
        await().atMost(Duration.ofSeconds(20)).until(() -> client.configMaps().inNamespace("gc-kubectl").withName("bg-child").get() == null);
        ConfigMap kept = client.configMaps().inNamespace("gc-kubectl").withName("keep-child").get();
        assertThat(kept.getMetadata().getOwnerReferences()).isEmpty();
    }

    @Test
    void ownerReferencesToMissingOrInvalidOwnersAreCollected() {
        namespace("gc-missing");
        ConfigMap ghost = new ConfigMapBuilder().withNewMetadata().withName("ghost").withUid("00000000-0000-0000-0000-000000000000")
                .endMetadata().build();
        ghost.setKind("ConfigMap");
        dependent("gc-missing", "orphaned", ghost, false);
        await().atMost(Duration.ofSeconds(20)).until(() -> client.configMaps().inNamespace("gc-missing").withName("orphaned").get() == null);

        ConfigMap nsOwner = owner("gc-missing", "ns-owner");
        client.rbac().clusterRoles().resource(new ClusterRoleBuilder().withNewMetadata().withName("gc-cluster-dependent")
                .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("v1").withKind("ConfigMap").withName("ns-owner")
                        .withUid(nsOwner.getMetadata().getUid()).build()).endMetadata().build()).create();
        await().atMost(Duration.ofSeconds(20)).until(() -> client.rbac().clusterRoles().withName("gc-cluster-dependent").get() == null);
        assertThat(client.configMaps().inNamespace("gc-missing").withName("ns-owner").get()).isNotNull();
    }

    @Test
    void deletingACrdDeletesItsObjects() {
        CustomResourceDefinition crd = new CustomResourceDefinitionBuilder()
                .withNewMetadata().withName("gadgets.example.com").endMetadata()
                .withNewSpec().withGroup("example.com").withScope("Namespaced")
                .withNewNames().withKind("Gadget").withPlural("gadgets").endNames()
                .addNewVersion().withName("v1").withServed(true).withStorage(true)
                .withNewSchema().withNewOpenAPIV3Schema().withType("object").withXKubernetesPreserveUnknownFields(true)
                .endOpenAPIV3Schema().endSchema().endVersion().endSpec().build();
        client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
        ResourceDefinitionContext gadgets = new ResourceDefinitionContext.Builder().withGroup("example.com")
                .withVersion("v1").withKind("Gadget").withPlural("gadgets").withNamespaced(true).build();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                client.genericKubernetesResources(gadgets).inNamespace("default").resource(new GenericKubernetesResourceBuilder()
                        .withApiVersion("example.com/v1").withKind("Gadget").withNewMetadata().withName("g1").endMetadata()
                        .build()).create());
        List<GenericKubernetesResource> items = new ArrayList<>(client.genericKubernetesResources(gadgets).inNamespace("default").list().getItems());
        assertThat(items).hasSize(1);
        client.apiextensions().v1().customResourceDefinitions().withName("gadgets.example.com").delete();
        await().atMost(Duration.ofSeconds(20)).until(() ->
                client.apiextensions().v1().customResourceDefinitions().withName("gadgets.example.com").get() == null);
        assertThat(server.cluster().store().count("gadgets.example.com")).isZero();
        assertThat(server.cluster().registry().findByKind("example.com/v1", "Gadget")).isEmpty();
    }
}
