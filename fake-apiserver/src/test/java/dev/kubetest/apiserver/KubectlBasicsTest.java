package dev.kubetest.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kubetest.apiserver.support.Kubectl;
import dev.kubetest.apiserver.support.TestServer;
import dev.kubetest.core.json.Json;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** kubectl, unmodified, against the server: apply, get in every output form, watch, label, delete, discovery. */
class KubectlBasicsTest {
    static TestServer server;

    @BeforeAll
    static void start() {
        Kubectl.assumePresent();
        server = new TestServer();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static final String MANIFEST = """
            apiVersion: v1
            kind: Namespace
            metadata:
              name: %1$s
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: settings
              namespace: %1$s
              labels: {app: web, tier: backend}
            data:
              color: blue
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
              namespace: %1$s
              labels: {app: web}
            spec:
              replicas: 2
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec:
                  containers:
                  - name: nginx
                    image: nginx:1.27
            ---
            apiVersion: v1
            kind: Service
            metadata:
              name: web
              namespace: %1$s
            spec:
              selector: {app: web}
              ports:
              - port: 80
            """;

    @Test
    void applyMultiDocumentThenGetInEveryOutputForm() {
        Kubectl k = server.kubectl();
        var file = server.write("apply.yaml", MANIFEST.formatted("apply-demo"));
        Kubectl.Result applied = k.run("apply", "-f", file.toString()).ok();
        assertThat(applied.out()).contains("namespace/apply-demo created", "configmap/settings created",
                "deployment.apps/web created", "service/web created");

        Kubectl.Result again = k.run("apply", "-f", file.toString()).ok();
        assertThat(again.out()).contains("namespace/apply-demo unchanged", "configmap/settings unchanged");

        JsonNode json = Json.parse(k.run("get", "configmap", "settings", "-n", "apply-demo", "-o", "json").ok().out());
        assertThat(json.path("data").path("color").asText()).isEqualTo("blue");
        assertThat(json.path("metadata").path("uid").asText()).isNotEmpty();
        assertThat(json.path("metadata").path("annotations").has("kubectl.kubernetes.io/last-applied-configuration")).isTrue();

        assertThat(k.run("get", "cm", "settings", "-n", "apply-demo", "-o", "yaml").ok().out())
                .contains("kind: ConfigMap", "color: blue", "resourceVersion:");
        assertThat(k.run("get", "deploy", "-n", "apply-demo", "-o", "name").ok().out().trim())
                .isEqualTo("deployment.apps/web");

        String wide = k.run("get", "deployments", "-n", "apply-demo", "-o", "wide").ok().out();
        assertThat(wide.lines().findFirst().orElseThrow())
                .containsSubsequence("NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE", "CONTAINERS", "IMAGES", "SELECTOR");
        assertThat(wide).contains("nginx:1.27", "app=web");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                k.run("get", "deployments", "-n", "apply-demo").ok().out()).containsPattern("web\\s+2/2\\s+2\\s+2"));

        String plain = k.run("get", "svc", "-n", "apply-demo").ok().out();
        assertThat(plain.lines().findFirst().orElseThrow())
                .containsSubsequence("NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE");
        assertThat(plain).contains("80/TCP");

        String all = k.run("get", "configmaps", "-A").ok().out();
        assertThat(all.lines().findFirst().orElseThrow()).containsSubsequence("NAMESPACE", "NAME", "DATA", "AGE");
        assertThat(all).containsPattern("apply-demo\\s+settings\\s+1");

        String jsonpath = k.run("get", "cm", "settings", "-n", "apply-demo", "-o", "jsonpath={.data.color}").ok().out();
        assertThat(jsonpath).isEqualTo("blue");
    }

    @Test
    void applyChangesAndPrunesKeysAcrossApplies() {
        Kubectl k = server.kubectl();
        k.run("create", "namespace", "prune-demo");
        var file = server.write("cm.yaml", """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: app, namespace: default}
                data: {a: "1", b: "2"}
                """);
        assertThat(k.run("apply", "-f", file.toString()).ok().out()).contains("configmap/app created");
        server.write("cm.yaml", """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: app, namespace: default}
                data: {a: "1", c: "3"}
                """);
        assertThat(k.run("apply", "-f", file.toString()).ok().out()).contains("configmap/app configured");
        JsonNode data = Json.parse(k.run("get", "cm", "app", "-o", "json").ok().out()).path("data");
        assertThat(data.has("b")).as("key removed from the manifest is pruned").isFalse();
        assertThat(data.path("c").asText()).isEqualTo("3");
    }

    @Test
    void labelAnnotateAndSelectBySelectors() {
        Kubectl k = server.kubectl();
        var file = server.write("labels.yaml", MANIFEST.formatted("label-demo"));
        k.run("apply", "-f", file.toString()).ok();
        assertThat(k.run("label", "cm", "settings", "-n", "label-demo", "stage=prod").ok().out())
                .contains("configmap/settings labeled");
        assertThat(k.run("label", "cm", "settings", "-n", "label-demo", "stage=dev").exitCode()).isNotZero();
        k.run("label", "cm", "settings", "-n", "label-demo", "stage=dev", "--overwrite").ok();
        assertThat(k.run("annotate", "cm", "settings", "-n", "label-demo", "owner=team-a").ok().out())
                .contains("configmap/settings annotated");

        assertThat(k.run("get", "cm", "-n", "label-demo", "-l", "stage=dev", "-o", "name").ok().out().trim())
                .isEqualTo("configmap/settings");
        assertThat(k.run("get", "cm", "-n", "label-demo", "--selector", "stage in (prod,qa)", "-o", "name").ok().out())
                .doesNotContain("settings");
        assertThat(k.run("get", "cm", "-n", "label-demo", "-l", "tier,stage!=prod", "-o", "name").ok().out())
                .contains("configmap/settings");
        assertThat(k.run("get", "cm", "-n", "label-demo", "--show-labels").ok().out())
                .contains("stage=dev").contains("tier=backend");
        assertThat(k.run("get", "ns", "--field-selector", "metadata.name=label-demo", "-o", "name").ok().out().trim())
                .isEqualTo("namespace/label-demo");
        Kubectl.Result bad = k.run("get", "cm", "-n", "label-demo", "--field-selector", "data.color=blue");
        assertThat(bad.exitCode()).isNotZero();
        assertThat(bad.err()).contains("field label not supported: data.color");

        k.run("label", "cm", "settings", "-n", "label-demo", "stage-").ok();
        assertThat(k.run("get", "cm", "settings", "-n", "label-demo", "-o", "jsonpath={.metadata.labels}").ok().out())
                .doesNotContain("stage");
        JsonNode annotations = Json.parse(k.run("get", "cm", "settings", "-n", "label-demo", "-o", "json").ok().out())
                .path("metadata").path("annotations");
        assertThat(annotations.path("owner").asText()).isEqualTo("team-a");
    }

    @Test
    void deleteByNameAndSelectorAndReportMissingObjects() {
        Kubectl k = server.kubectl();
        var f = server.write("del.yaml", MANIFEST.formatted("delete-demo"));
        k.run("apply", "-f", f.toString()).ok();
        assertThat(k.run("delete", "deployment", "web", "-n", "delete-demo").ok().out())
                .contains("deployment.apps \"web\" deleted");
        assertThat(k.run("delete", "cm", "-n", "delete-demo", "-l", "app=web").ok().out())
                .contains("configmap \"settings\" deleted");
        Kubectl.Result missing = k.run("get", "cm", "settings", "-n", "delete-demo");
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.err()).contains("Error from server (NotFound): configmaps \"settings\" not found");
        Kubectl.Result noNs = k.run("get", "cm", "x", "-n", "no-such-namespace");
        assertThat(noNs.err()).contains("NotFound");
    }

    @Test
    void invalidNamesAreRejectedWithTheUpstreamMessage() {
        Kubectl k = server.kubectl();
        var f = server.write("bad.yaml", """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: Bad_Name, namespace: default}
                """);
        Kubectl.Result r = k.run("apply", "-f", f.toString());
        assertThat(r.exitCode()).isNotZero();
        assertThat(r.err()).contains("The ConfigMap \"Bad_Name\" is invalid: metadata.name: Invalid value: \"Bad_Name\": "
                + "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters");
    }

    @Test
    void getWatchPrintsLaterChanges() throws Exception {
        Kubectl k = server.kubectl();
        server.fabric8().configMaps().inNamespace("default")
                .resource(new ConfigMapBuilder().withNewMetadata().withName("watched-0").endMetadata().build()).create();
        Process watch = k.start("get", "configmaps", "-n", "default", "-w");
        List<String> lines = new CopyOnWriteArrayList<>();
        Kubectl.collectLines(watch, lines);
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> lines.stream().anyMatch(l -> l.startsWith("watched-0")));
            server.fabric8().configMaps().inNamespace("default")
                    .resource(new ConfigMapBuilder().withNewMetadata().withName("watched-1").endMetadata().build()).create();
            await().atMost(Duration.ofSeconds(30)).until(() -> lines.stream().anyMatch(l -> l.startsWith("watched-1")));
            assertThat(lines.get(0)).containsSubsequence("NAME", "DATA", "AGE");
        } finally {
            watch.destroy();
        }
    }

    @Test
    void singleObjectWatchSeesTheNextChange() throws Exception {
        Kubectl k = server.kubectl();
        server.fabric8().configMaps().inNamespace("default")
                .resource(new ConfigMapBuilder().withNewMetadata().withName("one").endMetadata().build()).create();
        Process watch = k.start("get", "configmap", "one", "-n", "default", "-w", "-o", "jsonpath={.metadata.labels.v}{\"\\n\"}");
        List<String> lines = new CopyOnWriteArrayList<>();
        Kubectl.collectLines(watch, lines);
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> !lines.isEmpty());
            // kubectl drops the first watch event (the synthetic ADDED), so an edit made before its watch is
            // open goes unseen, as on a real cluster: keep editing until one shows up.
            int[] version = {1};
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300)).until(() -> {
                String v = Integer.toString(++version[0]);
                server.fabric8().configMaps().inNamespace("default").withName("one")
                        .edit(cm -> new ConfigMapBuilder(cm).editMetadata().addToLabels("v", v).endMetadata().build());
                return lines.stream().anyMatch(l -> l.matches("\\d+") && Integer.parseInt(l) >= 2);
            });
        } finally {
            watch.destroy();
        }
    }

    @Test
    void discoveryCommandsListEveryBuiltInGroup() {
        Kubectl k = server.kubectl();
        String resources = k.run("api-resources").ok().out();
        assertThat(resources.lines().findFirst().orElseThrow())
                .containsSubsequence("NAME", "SHORTNAMES", "APIVERSION", "NAMESPACED", "KIND");
        assertThat(resources).containsPattern("deployments\\s+deploy\\s+apps/v1\\s+true\\s+Deployment");
        assertThat(resources).containsPattern("customresourcedefinitions\\s+crd,crds\\s+apiextensions.k8s.io/v1\\s+false");
        assertThat(k.run("api-resources", "-o", "wide").ok().out()).contains("VERBS", "CATEGORIES");
        String versions = k.run("api-versions").ok().out();
        assertThat(versions.lines()).contains("v1", "apps/v1", "batch/v1", "networking.k8s.io/v1",
                "rbac.authorization.k8s.io/v1", "autoscaling/v2", "autoscaling/v1", "coordination.k8s.io/v1",
                "discovery.k8s.io/v1", "storage.k8s.io/v1", "policy/v1", "scheduling.k8s.io/v1", "events.k8s.io/v1",
                "apiextensions.k8s.io/v1");
        assertThat(k.run("version").ok().out()).contains("Server Version: v1.32.4");
    }
}
