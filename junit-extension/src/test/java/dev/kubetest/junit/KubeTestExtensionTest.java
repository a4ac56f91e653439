package dev.kubetest.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kubetest.core.KubeCluster;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/** The extension through the Jupiter engine: what it injects, where the tests' objects go, how long clusters live. */
class KubeTestExtensionTest {
    /** What fixtures saw, for the checks after their run (fixtures run one class at a time here). */
    static final Map<String, Object> SEEN = new ConcurrentHashMap<>();
    static final List<Object> CLUSTERS = new CopyOnWriteArrayList<>();

    @KubeTest
    static class InjectsEverything {
        static KubeCluster cluster;
        KubernetesClient client;
        @Kubeconfig
        Path kubeconfig;
        @TestNamespace
        String namespace;

        @Test
        void objectsGoToTheTestsNamespace(ApiClient apiClient, @TestNamespace String ns) throws Exception {
            assertThat(ns).isEqualTo(namespace).startsWith("injects-everything-objects-go-to-the-tests-namespace-");
            client.configMaps().resource(new ConfigMapBuilder().withNewMetadata().withName("c").endMetadata()
                    .addToData("k", "v").build()).create();
            assertThat(cluster.api().find(cluster.registry().find("", "v1", "configmaps").orElseThrow(), ns, "c")).isPresent();
            assertThat(Files.readString(kubeconfig)).contains("namespace: " + ns);
            assertThat(new CoreV1Api(apiClient).listNamespacedConfigMap(ns).execute().getItems())
                    .extracting(c -> c.getMetadata().getName()).contains("c");
            SEEN.put("namespace", ns);
        }

        @Test
        void aPodRunsInIt() {
            client.pods().resource(new PodBuilder().withNewMetadata().withName("p").endMetadata().withNewSpec()
                    .addNewContainer().withName("c").withImage("busybox:1.36").withCommand("sh", "-c", "sleep 3600")
                    .endContainer().endSpec().build()).create();
            Pod ready = client.pods().withName("p").waitUntilReady(30, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(ready.getMetadata().getNamespace()).isEqualTo(namespace);
        }
    }

    @Test
    void injectsTheClusterClientsKubeconfigAndNamespace() {
        SEEN.clear();
        EngineRuns.assertAllPassed(EngineRuns.run(InjectsEverything.class), 2);
        assertThat(SEEN).containsKey("namespace");
    }

    @KubeTest
    static class KeepsFailedNamespaces {
        static KubeCluster cluster;
        @TestNamespace
        String namespace;

        @Test
        void passes() {
            SEEN.put("passed", namespace);
            SEEN.put("cluster", cluster);
        }

        @Test
        void fails() {
            SEEN.put("failed", namespace);
            throw new AssertionError("on purpose");
        }
    }

    @KubeTest
    static class FailsWithACrashingPod {
        @Test
        void fails(KubernetesClient client, KubeCluster cluster, @TestNamespace String ns) {
            client.pods().resource(new PodBuilder().withNewMetadata().withName("crashy").endMetadata().withNewSpec()
                    .addNewContainer().withName("app").withImage("busybox:1.36").withCommand("sh", "-c", "echo boom; exit 1")
                    .endContainer().endSpec().build()).create();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                Pod p = client.pods().withName("crashy").get();
                return p.getStatus().getContainerStatuses() != null && !p.getStatus().getContainerStatuses().isEmpty()
                        && p.getStatus().getContainerStatuses().get(0).getRestartCount() >= 2;
            });
            throw new AssertionError("the pod keeps crashing");
        }
    }

    @Test
    void aFailedTestsReportCarriesADumpOfItsNamespace() {
        EngineExecutionResults results = EngineRuns.run(FailsWithACrashingPod.class);
        results.testEvents().assertStatistics(s -> s.failed(1));
        Throwable failure = results.testEvents().failed().stream().findFirst().orElseThrow()
                .getPayload(org.junit.platform.engine.TestExecutionResult.class).orElseThrow().getThrowable().orElseThrow();
        assertThat(failure).hasMessage("the pod keeps crashing");
        assertThat(failure.getSuppressed()).singleElement().isInstanceOf(KubeTestReport.class);
        String dump = failure.getSuppressed()[0].getMessage();
        assertThat(dump).startsWith("KubeTest: namespace fails-with-a-crashing-pod-fails-")
                .containsPattern("(?m)^PODS\n^NAME\\s+READY\\s+STATUS\\s+RESTARTS\\s+AGE\n^crashy\\s+0/1\\s+(CrashLoopBackOff|Error)\\s+[2-9]")
                .contains("EVENTS (oldest first)").containsPattern("(?m)^LAST SEEN\\s+TYPE\\s+REASON\\s+OBJECT\\s+MESSAGE")
                .containsPattern("Warning\\s+BackOff\\s+pod/crashy")
                .containsPattern("(?s)Pulling\\s+pod/crashy.*Pulled\\s+pod/crashy")
                // the crash's output: in the current instance's log, or the previous one's when the dump caught the
                // container between a crash and its restart
                .containsPattern("LOG pod crashy, container app \\([2-9] restarts\\)(, previous instance)?, last 1 lines:\n  boom");
        assertThat(results.allEvents().reportingEntryPublished().stream().map(e -> e.getPayload(
                org.junit.platform.engine.reporting.ReportEntry.class).orElseThrow().getKeyValuePairs())
                .filter(m -> m.containsKey("kubetest.dump")).count()).isEqualTo(1);
    }

    @Test
    void aPassingTestsNamespaceIsDeletedAndAFailingOnesKept() {
        SEEN.clear();
        EngineExecutionResults results = EngineRuns.run(KeepsFailedNamespaces.class);
        results.testEvents().assertStatistics(s -> s.succeeded(1).failed(1));
        assertThat(results.allEvents().reportingEntryPublished().stream().map(e -> e.getPayload(
                org.junit.platform.engine.reporting.ReportEntry.class).orElseThrow().getKeyValuePairs().get("kubetest.namespace"))
                .filter(java.util.Objects::nonNull)).containsExactly(SEEN.get("failed") + " (kept for inspection: the test failed)");
        assertThat(SEEN.get("passed")).isNotEqualTo(SEEN.get("failed"));
    }

    @KubeTest(nodes = 2, nodeSpecs = @KubeTest.Node(name = "gpu", labels = "accelerator=nvidia",
            taints = "gpu=true:NoSchedule", cpu = "16", memory = "64Gi"),
            time = KubeTest.Time.MANUAL, protocol = KubeTest.Protocol.HTTP, kubernetesVersion = "1.31.2",
            disabledControllers = "deployment", isolation = KubeTest.Isolation.NONE,
            manifests = "classpath:manifests/app.yaml")
    static class EverySetting {
        @Test
        void theClusterIsShapedAsAsked(KubernetesClient client, KubeCluster cluster, @TestNamespace String ns) {
            assertThat(ns).isEqualTo("default");
            assertThat(client.nodes().list().getItems()).extracting(n -> n.getMetadata().getName())
                    .containsExactlyInAnyOrder("kubetest-node-1", "kubetest-node-2", "gpu");
            var gpu = client.nodes().withName("gpu").get();
            assertThat(gpu.getMetadata().getLabels()).containsEntry("accelerator", "nvidia");
            assertThat(gpu.getSpec().getTaints()).singleElement().satisfies(t -> assertThat(t.getEffect()).isEqualTo("NoSchedule"));
            assertThat(gpu.getStatus().getCapacity().get("cpu").toString()).isEqualTo("16");
            assertThat(client.getMasterUrl().getProtocol()).isEqualTo("http");
            assertThat(client.getKubernetesVersion().getMinor()).isEqualTo("31");
            // the manifests were applied; with the deployment controller off, nothing reconciles the Deployment
            assertThat(client.configMaps().inNamespace("default").withName("settings").get().getData()).containsEntry("greeting", "hello");
            assertThat(client.apps().deployments().inNamespace("default").withName("web").get()).isNotNull();
            assertThat(client.apps().replicaSets().inNamespace("default").list().getItems()).isEmpty();
            // manual time moves only when told
            assertThat(cluster.clock()).isInstanceOf(dev.kubetest.core.clock.ManualClock.class);
            var before = cluster.clock().now();
            ((dev.kubetest.core.clock.ManualClock) cluster.clock()).advance(Duration.ofMinutes(5));
            assertThat(cluster.clock().now()).isEqualTo(before.plus(Duration.ofMinutes(5)));
        }
    }

    @Test
    void everySettingShapesTheCluster() {
        EngineRuns.assertAllPassed(EngineRuns.run(EverySetting.class), 1);
    }

    @KubeTest(timeout = "PT3M")
    static class ShortWaits {
        @Test
        void eventuallyWaitsThreeMinutesOfClusterTime(KubeCluster cluster, KubernetesClient client, @TestNamespace String ns) {
            client.pods().resource(new PodBuilder().withNewMetadata().withName("p").endMetadata().withNewSpec()
                    .addNewContainer().withName("c").withImage("busybox:1.36").withCommand("sh", "-c", "sleep 3600")
                    .endContainer().endSpec().build()).create();
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> dev.kubetest.assertions.KubeAssertions
                    .assertThat(cluster.pod(ns, "p")).eventually().isSucceeded())
                    .hasMessageStartingWith("Waited 3 min");
        }
    }

    @Test
    void theTimeoutSettingIsTheDefaultWaitOfAssertions() {
        EngineRuns.assertAllPassed(EngineRuns.run(ShortWaits.class), 1);
    }

    @KubeTest(isolation = KubeTest.Isolation.NONE)
    static class ManifestsInOrder {
        @Test
        void everythingIsThere(KubernetesClient client) {
            var gadgets = client.genericKubernetesResources("example.com/v1", "Gadget").inNamespace("default").list().getItems();
            assertThat(gadgets).extracting(g -> g.getMetadata().getName()).containsExactlyInAnyOrder("first", "second");
            assertThat(client.configMaps().inNamespace("default").withName("settings").get()).isNotNull();
        }
    }

    @Test
    void manifestsComeFromDirectoriesAndPathsAndACustomResourceWaitsForItsDefinition() throws Exception {
        String file = Path.of(getClass().getResource("/manifests/app.yaml").toURI()).toString();
        EngineRuns.assertAllPassed(EngineRuns.run(Map.of("kubetest.manifests", "classpath:manifests/crd/, " + file),
                ManifestsInOrder.class), 1);
    }

    @KubeTest
    static class FromConfigurationParameters {
        @Test
        void theSuiteSettingsApply(KubernetesClient client) {
            assertThat(client.nodes().list().getItems()).hasSize(3);
            assertThat(client.getMasterUrl().getProtocol()).isEqualTo("http");
        }
    }

    @KubeTest
    static class MoreFromConfigurationParameters {
        @Test
        void theSuiteSettingsApply(KubernetesClient client, KubeCluster cluster, @TestNamespace String ns) {
            assertThat(cluster.clock()).isInstanceOf(dev.kubetest.core.clock.ManualClock.class);
            assertThat(ns).isEqualTo("default");
            assertThat(client.getKubernetesVersion().getMinor()).isEqualTo("30");
            assertThat(client.configMaps().inNamespace("default").withName("settings").get()).isNotNull();
            assertThat(client.apps().replicaSets().inNamespace("default").list().getItems()).isEmpty();
        }
    }

    @Test
    void everySettingIsAlsoAConfigurationParameter() {
        EngineRuns.assertAllPassed(EngineRuns.run(Map.of("kubetest.nodes", "3", "kubetest.protocol", "http"),
                FromConfigurationParameters.class), 1);
        EngineRuns.assertAllPassed(EngineRuns.run(Map.of("kubetest.time", "manual", "kubetest.isolation", "none",
                "kubetest.kubernetes.version", "1.30.6", "kubetest.manifests", "classpath:manifests/app.yaml",
                "kubetest.controllers.disabled", "deployment, replicaset"), MoreFromConfigurationParameters.class), 1);
        CLUSTERS.clear();
        EngineRuns.assertAllPassed(EngineRuns.run(Map.of("kubetest.lifetime", "per_method"), ClusterPerClass.class), 2);
        assertThat(CLUSTERS).hasSize(2).doesNotHaveDuplicates();
    }

    @Retention(RetentionPolicy.RUNTIME)
    @KubeTest(nodes = 2)
    @interface TwoNodeCluster {}

    @TwoNodeCluster
    static class MetaAnnotated {
        @Test
        void usesTheSharedShape(KubernetesClient client) {
            assertThat(client.nodes().list().getItems()).hasSize(2);
        }
    }

    @Test
    void worksAsAMetaAnnotation() {
        EngineRuns.assertAllPassed(EngineRuns.run(MetaAnnotated.class), 1);
    }

    @KubeTest(lifetime = KubeTest.Lifetime.PER_METHOD)
    static class ClusterPerMethod {
        KubeCluster cluster;

        @Test
        void one() {
            CLUSTERS.add(cluster);
        }

        @Test
        void two() {
            CLUSTERS.add(cluster);
        }
    }

    @KubeTest
    static class ClusterPerClass {
        KubeCluster cluster;

        @Test
        void one() {
            CLUSTERS.add(cluster);
        }

        @Test
        void two() {
            CLUSTERS.add(cluster);
        }
    }

    @Test
    void aClusterLivesForTheClassOrForEachMethod() {
        CLUSTERS.clear();
        EngineRuns.assertAllPassed(EngineRuns.run(ClusterPerMethod.class), 2);
        assertThat(CLUSTERS).hasSize(2).doesNotHaveDuplicates();
        CLUSTERS.clear();
        EngineRuns.assertAllPassed(EngineRuns.run(ClusterPerClass.class), 2);
        assertThat(CLUSTERS).hasSize(2).containsOnly(CLUSTERS.get(0));
    }

    @KubeTest(isolation = KubeTest.Isolation.SNAPSHOT)
    @org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
    static class SnapshotIsolated {
        static KubernetesClient shared;

        @org.junit.jupiter.api.BeforeAll
        static void setUp() {
            shared.configMaps().inNamespace("default").resource(new ConfigMapBuilder().withNewMetadata().withName("base")
                    .endMetadata().addToData("v", "original").build()).create();
        }

        @Test
        @org.junit.jupiter.api.Order(1)
        void changesEverything(KubernetesClient client, @TestNamespace String ns) {
            assertThat(ns).isEqualTo("default");
            client.configMaps().withName("base").edit(c -> new ConfigMapBuilder(c).addToData("v", "changed").build());
            client.configMaps().resource(new ConfigMapBuilder().withNewMetadata().withName("extra").endMetadata().build()).create();
            SEEN.put("uid", client.configMaps().withName("base").get().getMetadata().getUid());
        }

        @Test
        @org.junit.jupiter.api.Order(2)
        void findsTheStateAfterSetUp(KubernetesClient client) {
            var base = client.configMaps().withName("base").get();
            assertThat(base.getData()).containsEntry("v", "original");
            assertThat(base.getMetadata().getUid()).isEqualTo(SEEN.get("uid"));
            assertThat(client.configMaps().withName("extra").get()).isNull();
        }
    }

    @Test
    void snapshotIsolationRestoresTheStateAfterSetUpAfterEachTest() {
        SEEN.clear();
        EngineRuns.assertAllPassed(EngineRuns.run(SnapshotIsolated.class), 2);
    }

    @KubeTest
    static class Outer {
        static KubeCluster cluster;

        @Test
        void outer(KubeCluster injected) {
            assertThat(injected).isSameAs(cluster);
        }

        @Nested
        class Inner {
            KubeCluster innerCluster;
            KubernetesClient client;
            @TestNamespace
            String namespace;

            @BeforeEach
            void setUp() {
                assertThat(namespace).isNotNull();
            }

            @Test
            void sharesTheOuterCluster() {
                assertThat(innerCluster).isSameAs(cluster);
                assertThat(client.getNamespace()).isEqualTo(namespace);
            }
        }
    }

    @Test
    void nestedClassesShareTheOuterCluster() {
        EngineRuns.assertAllPassed(EngineRuns.run(Outer.class), 2);
    }

    @KubeTest
    static class ParallelA {
        KubeCluster cluster;

        @Test
        void runs() {
            CLUSTERS.add(cluster);
            cluster.client().create(new ConfigMapBuilder().withNewMetadata().withName("only-a").withNamespace("default")
                    .endMetadata().build());
        }
    }

    @KubeTest
    static class ParallelB {
        KubeCluster cluster;

        @Test
        void runs(KubernetesClient client) {
            CLUSTERS.add(cluster);
            await().during(Duration.ofMillis(50)).atMost(Duration.ofSeconds(2)).until(() ->
                    client.configMaps().inNamespace("default").withName("only-a").get() == null);
        }
    }

    @Test
    void parallelClassesEachGetTheirOwnCluster() {
        CLUSTERS.clear();
        EngineRuns.assertAllPassed(EngineRuns.run(Map.of("junit.jupiter.execution.parallel.enabled", "true",
                "junit.jupiter.execution.parallel.mode.classes.default", "concurrent"), ParallelA.class, ParallelB.class), 2);
        assertThat(CLUSTERS).hasSize(2).doesNotHaveDuplicates();
    }
}
