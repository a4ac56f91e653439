package dev.kubetest.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubetest.apiserver.support.TestServer;
import io.kubernetes.client.openapi.apis.AppsV1Api;
import io.kubernetes.client.openapi.apis.AutoscalingV1Api;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1DaemonSet;
import io.kubernetes.client.openapi.models.V1HorizontalPodAutoscaler;
import io.kubernetes.client.openapi.models.V1Node;
import io.kubernetes.client.openapi.models.V1ReplicaSet;
import io.kubernetes.client.openapi.models.V1StatefulSet;
import io.kubernetes.client.util.Yaml;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Objects come back as upstream's Go types serialise them: fields without omitempty at their zero values, and a
 * kind's spec and status present even when empty. client-java 25 refuses a status that lacks its required fields,
 * so each read here would fail without them.
 */
class GoSerializationTest {
    static TestServer server;

    @BeforeAll
    static void start() {
        server = new TestServer();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static <T> T load(String yaml, Class<T> type) {
        return Yaml.loadAs(yaml, type);
    }

    private static final String TEMPLATE = """
              selector: {matchLabels: {app: %1$s}}
              template:
                metadata: {labels: {app: %1$s}}
                spec: {containers: [{name: c, image: nginx}]}
            """;

    @Test
    void workloadStatusesCarryTheirRequiredZeroes() throws Exception {
        AppsV1Api apps = new AppsV1Api(server.clientJava());
        // replicas 0: the status the controller writes keeps its zeroes (status.replicas has no omitempty)
        apps.createNamespacedReplicaSet("default", load("metadata: {name: rs}\nspec:\n  replicas: 0\n" + TEMPLATE.formatted("rs"),
                V1ReplicaSet.class)).execute();
        org.awaitility.Awaitility.await().untilAsserted(() -> assertThat(apps.readNamespacedReplicaSet("rs", "default")
                .execute().getStatus().getObservedGeneration()).isEqualTo(1L));
        V1ReplicaSet rs = apps.readNamespacedReplicaSet("rs", "default").execute();
        assertThat(rs.getStatus().getReplicas()).isZero();
        assertThat(apps.listNamespacedReplicaSet("default").execute().getItems()).hasSize(1);

        apps.createNamespacedStatefulSet("default", load("metadata: {name: sts}\nspec:\n  serviceName: sts\n  replicas: 0\n"
                + TEMPLATE.formatted("sts"), V1StatefulSet.class)).execute();
        org.awaitility.Awaitility.await().untilAsserted(() -> assertThat(apps.readNamespacedStatefulSet("sts", "default")
                .execute().getStatus().getObservedGeneration()).isEqualTo(1L));
        assertThat(apps.readNamespacedStatefulSet("sts", "default").execute().getStatus().getReplicas()).isZero();

        // a node selector no node matches: the controller's status keeps its zeroes
        apps.createNamespacedDaemonSet("default", load("metadata: {name: ds}\nspec:\n" + TEMPLATE.formatted("ds")
                .replace("spec: {containers", "spec: {nodeSelector: {pool: none}, containers"), V1DaemonSet.class)).execute();
        org.awaitility.Awaitility.await().untilAsserted(() -> assertThat(apps.readNamespacedDaemonSet("ds", "default")
                .execute().getStatus().getObservedGeneration()).isEqualTo(1L));
        V1DaemonSet ds = apps.readNamespacedDaemonSet("ds", "default").execute();
        assertThat(ds.getStatus().getCurrentNumberScheduled()).isZero();
        assertThat(ds.getStatus().getNumberMisscheduled()).isZero();
        assertThat(ds.getStatus().getDesiredNumberScheduled()).isZero();
        assertThat(ds.getStatus().getNumberReady()).isZero();
    }

    @Test
    void anHpaV1HasItsReplicaCounts() throws Exception {
        AutoscalingV1Api autoscaling = new AutoscalingV1Api(server.clientJava());
        autoscaling.createNamespacedHorizontalPodAutoscaler("default", load("""
                metadata: {name: web}
                spec:
                  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
                  maxReplicas: 3
                """, V1HorizontalPodAutoscaler.class)).execute();
        V1HorizontalPodAutoscaler hpa = autoscaling.readNamespacedHorizontalPodAutoscaler("web", "default").execute();
        assertThat(hpa.getStatus().getCurrentReplicas()).isZero();
        assertThat(hpa.getStatus().getDesiredReplicas()).isZero();
    }

    @Test
    void aNodeCreatedWithoutSpecHasAnEmptyOne() throws Exception {
        CoreV1Api core = new CoreV1Api(server.clientJava());
        core.createNode(load("metadata: {name: bare, labels: {x: y}}", V1Node.class)).execute();
        Map<?, ?> raw = server.fabric8().getKubernetesSerialization().unmarshal(
                server.fabric8().raw("/api/v1/nodes/bare"), Map.class);
        assertThat(raw.get("spec")).isEqualTo(Map.of());
        assertThat(core.readNode("bare").execute().getSpec()).isNotNull();
    }
}
