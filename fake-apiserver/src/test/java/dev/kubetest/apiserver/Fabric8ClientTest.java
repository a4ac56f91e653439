package dev.kubetest.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.kubetest.apiserver.support.TestServer;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ConfigMapList;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The fabric8 KubernetesClient, unmodified: CRUD, watch, informers, pagination, optimistic concurrency. */
class Fabric8ClientTest {
    static TestServer server;
    static KubernetesClient client;

    @BeforeAll
    static void start() {
        server = new TestServer();
        client = server.fabric8();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static void namespace(String name) {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build()).create();
    }

    private static ConfigMap configMap(String ns, String name, Map<String, String> data) {
        return new ConfigMapBuilder().withNewMetadata().withName(name).withNamespace(ns).endMetadata().withData(data).build();
    }

    private static ConfigMap labeled(ConfigMap cm) {
        cm.getMetadata().setLabels(Map.of("test", "yes"));
        return cm;
    }

    /** Leader election (fabric8's LeaderElector, JOSDK) and the node heartbeats write Leases with MicroTime fields. */
    @Test
    void leasesWithMicroTimesAreStoredAndTheNodesHaveTheirs() {
        namespace("leases");
        java.time.ZonedDateTime now = java.time.ZonedDateTime.parse("2026-12-04T10:15:30.123456Z");
        io.fabric8.kubernetes.api.model.coordination.v1.Lease lease = client.leases().inNamespace("leases").resource(
                new io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder().withNewMetadata().withName("leader")
                        .endMetadata().withNewSpec().withHolderIdentity("me").withLeaseDurationSeconds(15)
                        .withAcquireTime(now).withRenewTime(now).endSpec().build()).create();
        assertThat(lease.getSpec().getRenewTime().toInstant()).isEqualTo(now.toInstant());
        assertThat(client.leases().inNamespace("kube-node-lease").withName("kubetest-node-1").get())
                .as("the node's heartbeat Lease").isNotNull()
                .satisfies(l -> assertThat(l.getSpec().getHolderIdentity()).isEqualTo("kubetest-node-1"));
    }

    @Test
    void createGetUpdateDeleteRoundTrip() {
        namespace("crud");
        ConfigMap created = client.configMaps().inNamespace("crud").resource(configMap("crud", "c1", Map.of("k", "v"))).create();
        // upstream's uids are random (version 4) UUIDs
        assertThat(created.getMetadata().getUid()).matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
        ConfigMap other = client.configMaps().inNamespace("crud").resource(configMap("crud", "c0", Map.of())).create();
        assertThat(other.getMetadata().getUid()).isNotEqualTo(created.getMetadata().getUid());
        client.configMaps().inNamespace("crud").withName("c0").delete();
        io.fabric8.kubernetes.api.model.NodeSystemInfo node = client.nodes().withName("kubetest-node-1").get().getStatus().getNodeInfo();
        assertThat(java.util.UUID.fromString(node.getSystemUUID())).isNotEqualTo(java.util.UUID.fromString(node.getBootID()));
        assertThat(created.getMetadata().getResourceVersion()).isNotEmpty();
        assertThat(created.getMetadata().getCreationTimestamp()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");

        ConfigMap read = client.configMaps().inNamespace("crud").withName("c1").get();
        assertThat(read.getData()).containsEntry("k", "v");

        read.getData().put("k", "v2");
        ConfigMap updated = client.configMaps().inNamespace("crud").resource(read).update();
        assertThat(updated.getData()).containsEntry("k", "v2");
        assertThat(Long.parseLong(updated.getMetadata().getResourceVersion()))
                .isGreaterThan(Long.parseLong(created.getMetadata().getResourceVersion()));

        ConfigMap edited = client.configMaps().inNamespace("crud").withName("c1")
                .edit(cm -> new ConfigMapBuilder(cm).addToData("extra", "x").build());
        assertThat(edited.getData()).containsEntry("extra", "x").containsEntry("k", "v2");

        assertThatThrownBy(() -> client.configMaps().inNamespace("crud").resource(configMap("crud", "c1", Map.of())).create())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(409);
                    assertThat(e.getStatus().getReason()).isEqualTo("AlreadyExists");
                });

        assertThat(client.configMaps().inNamespace("crud").withName("c1").delete()).hasSize(1);
        assertThat(client.configMaps().inNamespace("crud").withName("c1").get()).isNull();
        assertThat(client.configMaps().inNamespace("crud").withName("c1").delete()).isEmpty();
    }

    @Test
    void staleResourceVersionIsAConflictNotAnOverwrite() {
        namespace("conflict");
        ConfigMap cm = client.configMaps().inNamespace("conflict").resource(configMap("conflict", "c", Map.of("n", "0"))).create();
        ConfigMap first = new ConfigMapBuilder(cm).withData(Map.of("n", "1")).build();
        client.configMaps().inNamespace("conflict").resource(first).update();
        ConfigMap stale = new ConfigMapBuilder(cm).withData(Map.of("n", "2")).build();
        assertThatThrownBy(() -> client.configMaps().inNamespace("conflict").resource(stale).update())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(409);
                    assertThat(e.getStatus().getReason()).isEqualTo("Conflict");
                    assertThat(e.getStatus().getMessage()).contains("the object has been modified");
                });
        assertThat(client.configMaps().inNamespace("conflict").withName("c").get().getData()).containsEntry("n", "1");
    }

    @Test
    void objectsInAMissingNamespaceAreRefused() {
        assertThatThrownBy(() -> client.configMaps().inNamespace("nowhere").resource(configMap("nowhere", "c", Map.of())).create())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(404);
                    assertThat(e.getStatus().getMessage()).isEqualTo("namespaces \"nowhere\" not found");
                });
    }

    @Test
    void workloadsGetGenerationBumpedOnSpecChangesOnly() {
        namespace("gen");
        Deployment d = client.apps().deployments().inNamespace("gen").resource(new DeploymentBuilder()
                .withNewMetadata().withName("web").endMetadata()
                .withNewSpec().withReplicas(1).withNewSelector().addToMatchLabels("app", "web").endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", "web").endMetadata()
                .withNewSpec().addNewContainer().withName("c").withImage("nginx").endContainer().endSpec()
                .endTemplate().endSpec().build()).create();
        assertThat(d.getMetadata().getGeneration()).isEqualTo(1L);
        // edit() is optimistically locked: the Deployment controller's status writes may get in between, so retry a 409
        Deployment labeled = retryConflicts(() -> client.apps().deployments().inNamespace("gen").withName("web")
                .edit(x -> new DeploymentBuilder(x).editMetadata().addToLabels("a", "b").endMetadata().build()));
        assertThat(labeled.getMetadata().getGeneration()).isEqualTo(1L);
        Deployment scaled = retryConflicts(() -> client.apps().deployments().inNamespace("gen").withName("web")
                .edit(x -> new DeploymentBuilder(x).editSpec().withReplicas(3).endSpec().build()));
        assertThat(scaled.getMetadata().getGeneration()).isEqualTo(2L);
    }

    private static <T> T retryConflicts(java.util.function.Supplier<T> write) {
        for (int attempt = 0; ; attempt++) {
            try {
                return write.get();
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409 || attempt == 10) {
                    throw e;
                }
            }
        }
    }

    @Test
    void watchSeesAddModifyDelete() throws Exception {
        namespace("watching");
        List<String> events = new CopyOnWriteArrayList<>();
        try (Watch ignored = client.configMaps().inNamespace("watching").watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, ConfigMap resource) {
                events.add(action + " " + resource.getMetadata().getName());
            }

            @Override
            public void onClose(WatcherException cause) {
            }
        })) {
            client.configMaps().inNamespace("watching").resource(configMap("watching", "w", Map.of("a", "1"))).create();
            client.configMaps().inNamespace("watching").withName("w").edit(cm -> new ConfigMapBuilder(cm).addToData("b", "2").build());
            client.configMaps().inNamespace("watching").withName("w").delete();
            await().atMost(Duration.ofSeconds(20)).until(() -> events.contains("DELETED w"));
            assertThat(events).containsSubsequence("ADDED w", "MODIFIED w", "DELETED w");
        }
    }

    @Test
    void informerSyncsAndSeesLaterEvents() {
        namespace("informed");
        for (int i = 0; i < 5; i++) {
            client.configMaps().inNamespace("informed").resource(labeled(configMap("informed", "pre-" + i, Map.of()))).create();
        }
        List<String> added = new CopyOnWriteArrayList<>();
        List<String> deleted = new CopyOnWriteArrayList<>();
        SharedIndexInformer<ConfigMap> informer = client.configMaps().inNamespace("informed").withLabel("test", "yes").inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(ConfigMap obj) {
                added.add(obj.getMetadata().getName());
            }

            @Override
            public void onUpdate(ConfigMap oldObj, ConfigMap newObj) {
            }

            @Override
            public void onDelete(ConfigMap obj, boolean deletedFinalStateUnknown) {
                deleted.add(obj.getMetadata().getName());
            }
        });
        try {
            await().atMost(Duration.ofSeconds(20)).until(informer::hasSynced);
            assertThat(informer.getStore().list()).hasSize(5);
            client.configMaps().inNamespace("informed").resource(labeled(configMap("informed", "later", Map.of()))).create();
            client.configMaps().inNamespace("informed").withName("pre-0").delete();
            await().atMost(Duration.ofSeconds(20)).until(() -> added.contains("later") && deleted.contains("pre-0"));
            assertThat(informer.getStore().list()).extracting(c -> c.getMetadata().getName())
                    .contains("later").doesNotContain("pre-0");
        } finally {
            informer.close();
        }
    }

    @Test
    void listPaginationWalksEveryPageAtOneResourceVersion() {
        namespace("paged");
        for (int i = 0; i < 25; i++) {
            client.configMaps().inNamespace("paged").resource(labeled(configMap("paged", String.format("cm-%02d", i), Map.of()))).create();
        }
        ConfigMapList first = client.configMaps().inNamespace("paged").list(new io.fabric8.kubernetes.api.model.ListOptionsBuilder().withLimit(10L).withLabelSelector("test=yes").build());
        assertThat(first.getItems()).hasSize(10);
        assertThat(first.getMetadata().getContinue()).isNotEmpty();
        assertThat(first.getMetadata().getRemainingItemCount()).isEqualTo(15L);
        // a write between pages is not seen by the paginated list: it reads one snapshot
        client.configMaps().inNamespace("paged").resource(labeled(configMap("paged", "cm-99", Map.of()))).create();
        client.configMaps().inNamespace("paged").withName("cm-20").delete();
        List<String> names = new ArrayList<>();
        first.getItems().forEach(c -> names.add(c.getMetadata().getName()));
        String token = first.getMetadata().getContinue();
        while (token != null && !token.isEmpty()) {
            ConfigMapList page = client.configMaps().inNamespace("paged").list(
                    new io.fabric8.kubernetes.api.model.ListOptionsBuilder().withLimit(10L).withLabelSelector("test=yes").withContinue(token).build());
            assertThat(page.getMetadata().getResourceVersion()).isEqualTo(first.getMetadata().getResourceVersion());
            page.getItems().forEach(c -> names.add(c.getMetadata().getName()));
            token = page.getMetadata().getContinue();
        }
        assertThat(names).hasSize(25).contains("cm-20").doesNotContain("cm-99").isSorted();

        // an informer that lists in pages of 7 follows every continue token
        SharedIndexInformer<ConfigMap> paged = client.configMaps().inNamespace("paged").withLabel("test", "yes").withLimit(7L).inform();
        try {
            await().atMost(Duration.ofSeconds(20)).until(paged::hasSynced);
            assertThat(paged.getStore().list()).hasSize(25);
        } finally {
            paged.close();
        }
    }

    @Test
    void fiftyConcurrentWritersLoseNoIncrement() throws Exception {
        namespace("counter");
        client.configMaps().inNamespace("counter").resource(configMap("counter", "count", Map.of("n", "0"))).create();
        int writers = 50;
        int incrementsEach = 4;
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                results.add(pool.submit(() -> {
                    int conflicts = 0;
                    for (int i = 0; i < incrementsEach; i++) {
                        while (true) {
                            ConfigMap cm = client.configMaps().inNamespace("counter").withName("count").get();
                            int n = Integer.parseInt(cm.getData().get("n"));
                            cm.getData().put("n", Integer.toString(n + 1));
                            try {
                                client.configMaps().inNamespace("counter").resource(cm).update();
                                break;
                            } catch (KubernetesClientException e) {
                                if (e.getCode() != 409) {
                                    throw e;
                                }
                                conflicts++;
                            }
                        }
                    }
                    return conflicts;
                }));
            }
            int conflicts = 0;
            for (Future<Integer> f : results) {
                conflicts += f.get();
            }
            assertThat(client.configMaps().inNamespace("counter").withName("count").get().getData())
                    .containsEntry("n", Integer.toString(writers * incrementsEach));
            assertThat(conflicts).as("writers raced and were refused with 409").isPositive();
        } finally {
            pool.shutdownNow();
        }
    }
}
