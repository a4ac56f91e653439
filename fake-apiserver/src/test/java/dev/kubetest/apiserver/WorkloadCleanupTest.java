package dev.kubetest.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kubetest.apiserver.support.Kubectl;
import dev.kubetest.apiserver.support.TestServer;
import dev.kubetest.core.KubeCluster;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A namespace full of running workloads, claims and their volumes deletes cleanly. */
class WorkloadCleanupTest {

    private static final String MANIFESTS = """
            apiVersion: v1
            kind: Namespace
            metadata: {name: shop}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web, namespace: shop}
            spec:
              replicas: 2
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec: {containers: [{name: web, image: nginx:1.27}]}
            ---
            apiVersion: apps/v1
            kind: StatefulSet
            metadata: {name: db, namespace: shop}
            spec:
              serviceName: db
              replicas: 2
              selector: {matchLabels: {app: db}}
              template:
                metadata: {labels: {app: db}}
                spec:
                  containers:
                  - {name: db, image: busybox:1.36, command: [sh, -c, sleep 3600], volumeMounts: [{name: data, mountPath: /data}]}
              volumeClaimTemplates:
              - metadata: {name: data}
                spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
            ---
            apiVersion: apps/v1
            kind: DaemonSet
            metadata: {name: agent, namespace: shop}
            spec:
              selector: {matchLabels: {app: agent}}
              template:
                metadata: {labels: {app: agent}}
                spec: {containers: [{name: agent, image: busybox:1.36, command: [sh, -c, sleep 3600]}]}
            ---
            apiVersion: batch/v1
            kind: Job
            metadata: {name: migrate, namespace: shop}
            spec:
              template:
                spec:
                  restartPolicy: Never
                  containers: [{name: migrate, image: busybox:1.36, command: [sh, -c, sleep 3600]}]
            ---
            apiVersion: batch/v1
            kind: CronJob
            metadata: {name: report, namespace: shop}
            spec:
              schedule: "*/1 * * * *"
              jobTemplate:
                spec:
                  template:
                    spec:
                      restartPolicy: Never
                      containers: [{name: report, image: busybox:1.36, command: [sh, -c, sleep 3600]}]
            """;

    @Test
    void aNamespaceOfRunningWorkloadsDeletesWithItsPodsClaimsAndVolumes() {
        Kubectl.assumePresent();
        try (TestServer server = new TestServer(KubeCluster.builder().timeMode(KubeCluster.TimeMode.AUTO).nodes(2))) {
            KubernetesClient client = server.fabric8();
            Kubectl kubectl = server.kubectl();
            kubectl.runWithInput(MANIFESTS, "apply", "-f", "-").ok();
            kubectl.run("rollout", "status", "deploy/web", "-n", "shop", "--timeout=60s").ok();
            kubectl.run("rollout", "status", "sts/db", "-n", "shop", "--timeout=60s").ok();
            kubectl.run("rollout", "status", "ds/agent", "-n", "shop", "--timeout=60s").ok();
            await().atMost(Duration.ofSeconds(60)).until(() -> client.batch().v1().jobs().inNamespace("shop").list()
                    .getItems().size() >= 2);
            // 2 web + 2 db + 2 agents + the migration + at least one report run
            assertThat(client.pods().inNamespace("shop").list().getItems()).hasSizeGreaterThanOrEqualTo(8);
            assertThat(client.persistentVolumes().list().getItems()).hasSize(2);

            kubectl.run("delete", "namespace", "shop", "--timeout=60s").ok();
            assertThat(client.namespaces().withName("shop").get()).isNull();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(client.persistentVolumes().list().getItems()).isEmpty());
        }
    }
}
