package dev.kubetest.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kubetest.apiserver.support.Kubectl;
import dev.kubetest.apiserver.support.TestServer;
import dev.kubetest.core.KubeCluster;
import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What kubectl learns from discovery and OpenAPI v3: explain, categories, custom resources, the version. */
class KubectlDiscoveryTest {
    static TestServer server;
    static Kubectl k;

    private static final String CRD = """
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata:
              name: crontabs.stable.example.com
            spec:
              group: stable.example.com
              scope: Namespaced
              names: {plural: crontabs, singular: crontab, kind: CronTab, shortNames: [ct], categories: [all]}
              versions:
              - name: v1
                served: true
                storage: true
                schema:
                  openAPIV3Schema:
                    type: object
                    properties:
                      spec:
                        type: object
                        description: The schedule and image of the cron tab.
                        properties:
                          cronSpec: {type: string, description: The cron schedule.}
                          image: {type: string}
                          replicas: {type: integer}
            ---
            apiVersion: stable.example.com/v1
            kind: CronTab
            metadata: {name: my-cron, namespace: default}
            spec: {cronSpec: "* * * * */5", image: my-awesome-cron-image}
            """;

    @BeforeAll
    static void start() {
        Kubectl.assumePresent();
        server = new TestServer();
        k = server.kubectl();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void explainBuiltInKindsAndNestedFields() {
        String pods = k.run("explain", "pods").ok().out();
        assertThat(pods).contains("KIND:       Pod", "VERSION:    v1", "apiVersion\t<string>", "spec\t<PodSpec>", "status\t<PodStatus>");
        String containers = k.run("explain", "pods.spec.containers").ok().out();
        assertThat(containers).contains("FIELD: containers <[]Container>", "image\t<string>", "env\t<[]EnvVar>",
                "livenessProbe\t<Probe>");
        String recursive = k.run("explain", "deployment.spec.strategy", "--recursive").ok().out();
        assertThat(recursive).contains("GROUP:      apps", "rollingUpdate\t<RollingUpdateDeployment>", "maxSurge");
        Kubectl.Result missing = k.run("explain", "pods.spec.nope");
        assertThat(missing.exitCode()).isNotZero();
        assertThat(missing.err()).contains("field \"nope\" does not exist");
    }

    @Test
    void customResourcesAreServedExplainedAndInTheirCategories() throws Exception {
        var file = server.write("crontab.yaml", CRD);
        k.run("apply", "-f", file.toString());
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Kubectl.Result r = k.run("apply", "-f", file.toString());
            assertThat(r.exitCode()).as(r.err()).isZero();
        });
        assertThat(k.run("get", "crontabs", "-o", "name").ok().out().trim()).isEqualTo("crontab.stable.example.com/my-cron");
        assertThat(k.run("get", "ct", "my-cron", "-o", "jsonpath={.spec.image}").ok().out()).isEqualTo("my-awesome-cron-image");
        assertThat(k.run("get", "crontab", "my-cron").ok().out()).contains("my-cron");
        assertThat(k.run("api-resources", "--api-group=stable.example.com").ok().out())
                .containsPattern("crontabs\\s+ct\\s+stable.example.com/v1\\s+true\\s+CronTab");
        String explain = k.run("explain", "crontabs.spec").ok().out();
        assertThat(explain).contains("The schedule and image of the cron tab.", "cronSpec\t<string>", "The cron schedule.");
        assertThat(k.run("explain", "crontabs", "--recursive").ok().out()).contains("replicas\t<integer>");
        assertThat(k.run("get", "all", "-n", "default").ok().out()).contains("crontab.stable.example.com/my-cron");
        Files.deleteIfExists(file);
    }

    @Test
    void getAllExpandsTheAllCategory() {
        k.run("create", "deployment", "everything", "--image=nginx").ok();
        k.run("create", "service", "clusterip", "everything", "--tcp=80:80").ok();
        k.run("create", "configmap", "not-in-all").ok();
        String all = k.run("get", "all").ok().out();
        assertThat(all).contains("deployment.apps/everything", "service/everything").doesNotContain("not-in-all");
    }

    @Test
    void theReportedVersionPicksTheKubectlBinary() {
        try (KubeCluster cluster = KubeCluster.start();
             ApiServer older = ApiServer.builder(cluster).version("1.31.4").start()) {
            var kubeconfig = older.writeKubeconfig(server.dir().resolve("older-kubeconfig"));
            Kubectl kubectl131 = new Kubectl(kubeconfig, server.dir().resolve("cache-131"));
            String out = kubectl131.run("version").ok().out();
            assertThat(out).contains("Server Version: v1.31.4");
            assertThat(out).as("the dispatcher ran kubectl 1.31").contains("Client Version: v1.31.");
        }
    }
}
