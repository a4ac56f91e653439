package dev.kubetest.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kubetest.apiserver.support.TestServer;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1DeleteOptions;
import io.kubernetes.client.openapi.models.V1Eviction;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** pods/binding and pods/eviction, the API side the scheduler and kubectl drain use. */
class PodSubresourceTest {
    static TestServer server;
    static KubernetesClient fabric8;
    static ApiClient clientJava;

    @BeforeAll
    static void start() {
        server = new TestServer();
        fabric8 = server.fabric8();
        clientJava = server.clientJava();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static Pod pod(String name) {
        return fabric8.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName(name)
                .addToLabels("app", "guarded").endMetadata()
                .withNewSpec().withSchedulerName("manual").addNewContainer().withName("c").withImage("nginx:1").endContainer()
                .endSpec().build()).create();
    }

    private static Response post(String path, String json) throws Exception {
        Request req = new Request.Builder().url(clientJava.getBasePath() + path)
                .post(RequestBody.create(json, MediaType.get("application/json"))).build();
        return clientJava.getHttpClient().newCall(req).execute();
    }

    @Test
    void bindingAssignsANodeOnceAndSetsPodScheduled() throws Exception {
        pod("to-bind");
        try (Response r = post("/api/v1/namespaces/default/pods/to-bind/binding",
                "{\"apiVersion\":\"v1\",\"kind\":\"Binding\",\"metadata\":{\"name\":\"to-bind\"},\"target\":{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"name\":\"node-1\"}}")) {
            assertThat(r.code()).isEqualTo(201);
        }
        Pod bound = fabric8.pods().inNamespace("default").withName("to-bind").get();
        assertThat(bound.getSpec().getNodeName()).isEqualTo("node-1");
        assertThat(bound.getStatus().getConditions()).anySatisfy(c -> {
            assertThat(c.getType()).isEqualTo("PodScheduled");
            assertThat(c.getStatus()).isEqualTo("True");
        });
        try (Response again = post("/api/v1/namespaces/default/bindings",
                "{\"apiVersion\":\"v1\",\"kind\":\"Binding\",\"metadata\":{\"name\":\"to-bind\"},\"target\":{\"kind\":\"Node\",\"name\":\"node-2\"}}")) {
            assertThat(again.code()).isEqualTo(409);
            assertThat(again.body().string()).contains("is already assigned to node \\\"node-1\\\"");
        }
    }

    private static void runningPod(String name) {
        fabric8.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName(name)
                .addToLabels("app", "guarded").endMetadata()
                .withNewSpec().addNewContainer().withName("c").withImage("nginx:1").endContainer().endSpec().build()).create();
        fabric8.pods().inNamespace("default").withName(name).waitUntilReady(30, java.util.concurrent.TimeUnit.SECONDS);
    }

    @Test
    void evictionRespectsDisruptionBudgetsAsTheDisruptionControllerComputesThem() throws Exception {
        runningPod("guarded-1");
        fabric8.policy().v1().podDisruptionBudget().inNamespace("default").resource(new PodDisruptionBudgetBuilder()
                .withNewMetadata().withName("guard").endMetadata()
                .withNewSpec().withNewMinAvailable(1).withNewSelector().addToMatchLabels("app", "guarded").endSelector().endSpec()
                .build()).create();
        org.awaitility.Awaitility.await().ignoreExceptionsInstanceOf(NullPointerException.class).atMost(java.time.Duration.ofSeconds(30)).until(() -> fabric8.policy().v1()
                .podDisruptionBudget().inNamespace("default").withName("guard").get().getStatus().getCurrentHealthy() != null);

        CoreV1Api core = new CoreV1Api(clientJava);
        V1Eviction eviction = new V1Eviction().metadata(new V1ObjectMeta().name("guarded-1").namespace("default"))
                .deleteOptions(new V1DeleteOptions());
        assertThatThrownBy(() -> core.createNamespacedPodEviction("guarded-1", "default", eviction).execute())
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(429);
                    assertThat(e.getResponseBody()).contains("Cannot evict pod as it would violate the pod's disruption budget.",
                            "The disruption budget guard needs 1 healthy pods and has 1 currently");
                });
        assertThat(fabric8.pods().inNamespace("default").withName("guarded-1").get()).isNotNull();

        runningPod("guarded-2");
        org.awaitility.Awaitility.await().ignoreExceptionsInstanceOf(NullPointerException.class).atMost(java.time.Duration.ofSeconds(30)).until(() -> fabric8.policy().v1()
                .podDisruptionBudget().inNamespace("default").withName("guard").get().getStatus().getDisruptionsAllowed() == 1);
        assertThat(fabric8.pods().inNamespace("default").withName("guarded-1").evict()).isTrue();
        var status = fabric8.policy().v1().podDisruptionBudget().inNamespace("default").withName("guard").get().getStatus();
        assertThat(status.getDisruptionsAllowed()).isZero();
        org.awaitility.Awaitility.await().ignoreExceptionsInstanceOf(NullPointerException.class).atMost(java.time.Duration.ofSeconds(30)).until(() ->
                fabric8.pods().inNamespace("default").withName("guarded-1").get() == null);
        org.awaitility.Awaitility.await().ignoreExceptionsInstanceOf(NullPointerException.class).atMost(java.time.Duration.ofSeconds(30)).untilAsserted(() -> {
            var after = fabric8.policy().v1().podDisruptionBudget().inNamespace("default").withName("guard").get().getStatus();
            assertThat(after.getCurrentHealthy()).isEqualTo(1);
            assertThat(after.getDisruptionsAllowed()).isZero();
            assertThat(after.getDisruptedPods()).isEmpty();
        });
    }

    @Test
    void unhealthyPendingAndDoublyGuardedPodsAreEvictedAsUpstream() throws Exception {
        runningPodLabelled("steady-1", "steady");
        fabric8.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName("steady-unready")
                .addToLabels("app", "steady").endMetadata().withNewSpec().addNewContainer().withName("c").withImage("busybox")
                .withCommand("sleep", "infinity").withNewReadinessProbe().withNewExec().withCommand("false").endExec()
                .withPeriodSeconds(1).endReadinessProbe().endContainer().endSpec().build()).create();
        fabric8.policy().v1().podDisruptionBudget().inNamespace("default").resource(new PodDisruptionBudgetBuilder()
                .withNewMetadata().withName("steady").endMetadata()
                .withNewSpec().withNewMinAvailable(1).withNewSelector().addToMatchLabels("app", "steady").endSelector().endSpec()
                .build()).create();
        org.awaitility.Awaitility.await().ignoreExceptionsInstanceOf(NullPointerException.class).atMost(java.time.Duration.ofSeconds(30)).until(() -> {
            var st = fabric8.policy().v1().podDisruptionBudget().inNamespace("default").withName("steady").get().getStatus();
            return st.getExpectedPods() != null && st.getExpectedPods() == 2 && "Running".equals(fabric8.pods()
                    .inNamespace("default").withName("steady-unready").get().getStatus().getPhase());
        });
        // the budget wants 1 healthy pod and has it: the unready pod goes without spending a disruption
        assertThat(fabric8.policy().v1().podDisruptionBudget().inNamespace("default").withName("steady").get().getStatus()
                .getDisruptionsAllowed()).isZero();
        assertThat(fabric8.pods().inNamespace("default").withName("steady-unready").evict()).isTrue();
        assertThat(fabric8.policy().v1().podDisruptionBudget().inNamespace("default").withName("steady").get().getStatus()
                .getDisruptedPods()).isNullOrEmpty();

        // a pod that is still Pending is evicted whatever the budget says
        fabric8.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName("steady-pending")
                .addToLabels("app", "steady").endMetadata().withNewSpec().withSchedulerName("nobody").addNewContainer()
                .withName("c").withImage("nginx").endContainer().endSpec().build()).create();
        assertThat(fabric8.pods().inNamespace("default").withName("steady-pending").evict()).isTrue();

        // two budgets over one pod: the eviction subresource refuses, as upstream
        fabric8.policy().v1().podDisruptionBudget().inNamespace("default").resource(new PodDisruptionBudgetBuilder()
                .withNewMetadata().withName("steady-too").endMetadata()
                .withNewSpec().withNewMaxUnavailable(1).withNewSelector().addToMatchLabels("app", "steady").endSelector().endSpec()
                .build()).create();
        CoreV1Api core = new CoreV1Api(clientJava);
        V1Eviction eviction = new V1Eviction().metadata(new V1ObjectMeta().name("steady-1").namespace("default"));
        assertThatThrownBy(() -> core.createNamespacedPodEviction("steady-1", "default", eviction).execute())
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(500);
                    assertThat(e.getResponseBody()).contains("This pod has more than one PodDisruptionBudget, which the eviction "
                            + "subresource does not support.");
                });
    }

    private static void runningPodLabelled(String name, String app) {
        fabric8.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName(name)
                .addToLabels("app", app).endMetadata()
                .withNewSpec().addNewContainer().withName("c").withImage("nginx:1").endContainer().endSpec().build()).create();
        fabric8.pods().inNamespace("default").withName(name).waitUntilReady(30, java.util.concurrent.TimeUnit.SECONDS);
    }

    @Test
    void budgetsWithMaxUnavailableCountTheReplicasOfThePodsControllers() {
        // the set wants 3 replicas; only the 2 pods whose probe file exists are ready: the budget expects 3, has 2
        fabric8.apps().replicaSets().inNamespace("default").resource(new io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder()
                .withNewMetadata().withName("scaled").endMetadata().withNewSpec().withReplicas(3)
                .withNewSelector().addToMatchLabels("app", "scaled").endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", "scaled").endMetadata().withNewSpec().addNewContainer()
                .withName("c").withImage("nginx:1").withNewReadinessProbe().withNewExec().withCommand("cat", "/tmp/ready")
                .endExec().withPeriodSeconds(1).endReadinessProbe().endContainer().endSpec().endTemplate().endSpec().build())
                .create();
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() -> fabric8.pods()
                .inNamespace("default").withLabel("app", "scaled").list().getItems().stream()
                .filter(p -> "Running".equals(p.getStatus().getPhase())).count() == 3);
        var replicas = fabric8.pods().inNamespace("default").withLabel("app", "scaled").list().getItems();
        for (var pod : replicas.subList(0, 2)) {
            try (var exec = fabric8.pods().inNamespace("default").withName(pod.getMetadata().getName())
                    .redirectingOutput().exec("touch", "/tmp/ready")) {
                assertThat(exec.exitCode().get(20, java.util.concurrent.TimeUnit.SECONDS)).isZero();
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }
        fabric8.policy().v1().podDisruptionBudget().inNamespace("default").resource(new PodDisruptionBudgetBuilder()
                .withNewMetadata().withName("scaled").endMetadata()
                .withNewSpec().withNewMaxUnavailable(1).withNewSelector().addToMatchLabels("app", "scaled").endSelector().endSpec()
                .build()).create();
        org.awaitility.Awaitility.await().ignoreExceptionsInstanceOf(NullPointerException.class).atMost(java.time.Duration.ofSeconds(30)).untilAsserted(() -> {
            var st = fabric8.policy().v1().podDisruptionBudget().inNamespace("default").withName("scaled").get().getStatus();
            assertThat(st.getExpectedPods()).isEqualTo(3);
            assertThat(st.getDesiredHealthy()).isEqualTo(2);
            assertThat(st.getCurrentHealthy()).isEqualTo(2);
            assertThat(st.getDisruptionsAllowed()).isZero();
        });

        // a pod no controller owns cannot be counted by scale: the budget allows nothing and says why
        runningPodLabelled("orphan-1", "orphan");
        fabric8.policy().v1().podDisruptionBudget().inNamespace("default").resource(new PodDisruptionBudgetBuilder()
                .withNewMetadata().withName("orphans").endMetadata()
                .withNewSpec().withNewMaxUnavailable(1).withNewSelector().addToMatchLabels("app", "orphan").endSelector().endSpec()
                .build()).create();
        org.awaitility.Awaitility.await().ignoreExceptionsInstanceOf(NullPointerException.class).atMost(java.time.Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(fabric8.v1().events().inNamespace("default").withField("involvedObject.name", "orphans").list().getItems())
                        .anySatisfy(e -> {
                            assertThat(e.getReason()).isEqualTo("CalculateExpectedPodCountFailed");
                            assertThat(e.getMessage()).isEqualTo("Failed to calculate the number of expected pods: "
                                    + "found no controllers for pod \"orphan-1\"");
                        }));
        assertThat(fabric8.policy().v1().podDisruptionBudget().inNamespace("default").withName("orphans").get().getStatus()
                .getDisruptionsAllowed()).isZero();
    }
}
