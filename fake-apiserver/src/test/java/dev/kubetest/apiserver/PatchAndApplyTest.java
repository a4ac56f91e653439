package dev.kubetest.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kubetest.apiserver.support.Kubectl;
import dev.kubetest.apiserver.support.TestServer;
import dev.kubetest.core.json.Json;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.kubernetes.client.custom.V1Patch;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.util.PatchUtils;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every patch type, server-side apply with field ownership, and the scale subresource, through all three clients. */
class PatchAndApplyTest {
    static TestServer server;
    static KubernetesClient fabric8;

    @BeforeAll
    static void start() {
        server = new TestServer();
        fabric8 = server.fabric8();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String deployment(String name, String labels, int replicas, String image) {
        return """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: %s, namespace: default, labels: {%s}}
                spec:
                  replicas: %d
                  selector: {matchLabels: {app: %s}}
                  template:
                    metadata: {labels: {app: %s}}
                    spec:
                      containers:
                      - {name: main, image: %s}
                """.formatted(name, labels, replicas, name, name, image);
    }

    private static Kubectl kubectl() {
        Kubectl.assumePresent();
        return server.kubectl();
    }

    @Test
    void kubectlServerSideApplyOwnsConflictsForcesAndRemoves() {
        Kubectl k = kubectl();
        Path f = server.write("ssa.yaml", deployment("ssa", "tier: web, team: a", 2, "nginx:1.26"));
        assertThat(k.run("apply", "--server-side", "-f", f.toString()).ok().out()).contains("deployment.apps/ssa serverside-applied");
        Deployment d = fabric8.apps().deployments().inNamespace("default").withName("ssa").get();
        ManagedFieldsEntry entry = d.getMetadata().getManagedFields().get(0);
        assertThat(entry.getManager()).isEqualTo("kubectl");
        assertThat(entry.getOperation()).isEqualTo("Apply");
        String fields = Json.string(entry.getFieldsV1());
        assertThat(fields).contains("\"f:replicas\"", "\"k:{\\\"name\\\":\\\"main\\\"}\"", "\"f:team\"");

        // the rollout's own writes (revision annotation, status) end before the no-op apply is checked
        assertThat(k.run("rollout", "status", "deployment/ssa", "--timeout=30s").ok().out()).contains("successfully rolled out");
        String rv = fabric8.apps().deployments().inNamespace("default").withName("ssa").get().getMetadata().getResourceVersion();
        k.run("apply", "--server-side", "-f", f.toString()).ok();
        assertThat(fabric8.apps().deployments().inNamespace("default").withName("ssa").get().getMetadata().getResourceVersion())
                .as("a no-op apply does not write").isEqualTo(rv);

        k.run("scale", "deployment", "ssa", "--replicas=5").ok();
        Kubectl.Result conflict = k.run("apply", "--server-side", "-f", f.toString());
        assertThat(conflict.exitCode()).isNotZero();
        // kubectl scale sends no fieldManager: its write is owned by the user agent's name, "kubectl" (Update)
        assertThat(conflict.err()).contains("Apply failed with 1 conflict: conflict with \"kubectl\" using apps/v1: .spec.replicas");
        assertThat(k.run("apply", "--server-side", "--force-conflicts", "-f", f.toString()).ok().out()).contains("serverside-applied");
        assertThat(fabric8.apps().deployments().inNamespace("default").withName("ssa").get().getSpec().getReplicas()).isEqualTo(2);

        server.write("ssa.yaml", deployment("ssa", "tier: web", 2, "nginx:1.27"));
        k.run("apply", "--server-side", "-f", f.toString()).ok();
        Deployment after = fabric8.apps().deployments().inNamespace("default").withName("ssa").get();
        assertThat(after.getMetadata().getLabels()).containsEntry("tier", "web").doesNotContainKey("team");
        assertThat(after.getSpec().getTemplate().getSpec().getContainers().get(0).getImage()).isEqualTo("nginx:1.27");
        assertThat(after.getMetadata().getGeneration()).isGreaterThan(d.getMetadata().getGeneration());

        Kubectl.Result dry = k.run("apply", "--server-side", "--dry-run=server", "-f",
                server.write("dry.yaml", deployment("dry-only", "a: b", 1, "x")).toString()).ok();
        assertThat(dry.out()).contains("deployment.apps/dry-only serverside-applied (server dry run)");
        assertThat(fabric8.apps().deployments().inNamespace("default").withName("dry-only").get()).isNull();
    }

    @Test
    void kubectlPatchInAllThreeTypesScaleRolloutRestartReplaceAndDiff() throws Exception {
        Kubectl k = kubectl();
        Path f = server.write("p.yaml", deployment("patched", "x: one", 1, "nginx:1"));
        k.run("apply", "-f", f.toString()).ok();
        assertThat(k.run("patch", "deployment", "patched", "-p",
                "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"side\",\"image\":\"busybox\"}]}}}}").ok().out())
                .contains("deployment.apps/patched patched");
        JsonNode containers = Json.parse(k.run("get", "deploy", "patched", "-o", "jsonpath={.spec.template.spec.containers}").ok().out());
        assertThat(containers).hasSize(2);
        k.run("patch", "deployment", "patched", "--type=merge", "-p", "{\"metadata\":{\"labels\":{\"merged\":\"yes\"}}}").ok();
        k.run("patch", "deployment", "patched", "--type=json", "-p", "[{\"op\":\"replace\",\"path\":\"/spec/replicas\",\"value\":4}]").ok();
        Kubectl.Result failedTest = k.run("patch", "deployment", "patched", "--type=json",
                "-p", "[{\"op\":\"test\",\"path\":\"/spec/replicas\",\"value\":9}]");
        assertThat(failedTest.exitCode()).isNotZero();
        Deployment d = fabric8.apps().deployments().inNamespace("default").withName("patched").get();
        assertThat(d.getMetadata().getLabels()).containsEntry("merged", "yes");
        assertThat(d.getSpec().getReplicas()).isEqualTo(4);

        assertThat(k.run("scale", "deploy", "patched", "--replicas=6").ok().out()).contains("deployment.apps/patched scaled");
        assertThat(k.run("scale", "deploy", "patched", "--current-replicas=6", "--replicas=7").ok().out()).contains("scaled");
        Kubectl.Result stale = k.run("scale", "deploy", "patched", "--current-replicas=3", "--replicas=8");
        assertThat(stale.exitCode()).isNotZero();
        assertThat(fabric8.apps().deployments().inNamespace("default").withName("patched").get().getSpec().getReplicas()).isEqualTo(7);

        assertThat(k.run("rollout", "restart", "deployment/patched").ok().out()).contains("deployment.apps/patched restarted");
        assertThat(fabric8.apps().deployments().inNamespace("default").withName("patched").get()
                .getSpec().getTemplate().getMetadata().getAnnotations()).containsKey("kubectl.kubernetes.io/restartedAt");

        JsonNode live = Json.parse(k.run("get", "deploy", "patched", "-o", "json").ok().out());
        ((com.fasterxml.jackson.databind.node.ObjectNode) live.path("spec")).put("minReadySeconds", 3);
        Path replaced = server.write("replace.json", Json.string(live));
        assertThat(k.run("replace", "-f", replaced.toString()).ok().out()).contains("deployment.apps/patched replaced");
        assertThat(fabric8.apps().deployments().inNamespace("default").withName("patched").get().getSpec().getMinReadySeconds()).isEqualTo(3);
        Kubectl.Result staleReplace = k.run("replace", "-f", replaced.toString());
        assertThat(staleReplace.exitCode()).isNotZero();
        assertThat(staleReplace.err()).contains("the object has been modified");

        Path edited = server.write("editor.sh", "#!/bin/sh\nsed -i 's/minReadySeconds: 3/minReadySeconds: 9/' \"$1\"\n");
        Files.setPosixFilePermissions(edited, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        Kubectl.Result edit = editWith(k, edited, "edit", "deployment/patched");
        assertThat(edit.out()).contains("deployment.apps/patched edited");
        assertThat(fabric8.apps().deployments().inNamespace("default").withName("patched").get().getSpec().getMinReadySeconds()).isEqualTo(9);

        server.write("p.yaml", deployment("patched", "x: two", 1, "nginx:2"));
        Kubectl.Result diff = k.run("diff", "-f", f.toString());
        assertThat(diff.exitCode()).as(diff.err()).isEqualTo(1);
        assertThat(diff.out()).contains("-    x: one", "+    x: two", "image: nginx:2");
        assertThat(fabric8.apps().deployments().inNamespace("default").withName("patched").get().getMetadata().getLabels())
                .as("diff changes nothing").containsEntry("x", "one");
    }

    private static Kubectl.Result editWith(Kubectl k, Path editor, String... args) {
        return k.withEnv("KUBE_EDITOR", editor.toString()).run(args);
    }

    @Test
    void fabric8ServerSideApplyPatchesAndScale() {
        ConfigMap cm = new ConfigMapBuilder().withNewMetadata().withName("f8-ssa").withNamespace("default").endMetadata()
                .addToData("a", "1").build();
        fabric8.configMaps().inNamespace("default").resource(cm).fieldManager("app-one").serverSideApply();
        ConfigMap other = new ConfigMapBuilder().withNewMetadata().withName("f8-ssa").withNamespace("default").endMetadata()
                .addToData("a", "2").build();
        assertThatThrownBy(() -> fabric8.configMaps().inNamespace("default").resource(other).fieldManager("app-two").serverSideApply())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(409);
                    assertThat(e.getStatus().getDetails().getCauses()).singleElement()
                            .satisfies(c -> assertThat(c.getField()).isEqualTo(".data.a"));
                });
        ConfigMap forced = fabric8.configMaps().inNamespace("default").resource(other).fieldManager("app-two")
                .forceConflicts().serverSideApply();
        assertThat(forced.getData()).containsEntry("a", "2");
        assertThat(forced.getMetadata().getManagedFields()).extracting(ManagedFieldsEntry::getManager).contains("app-two");

        fabric8.configMaps().inNamespace("default").withName("f8-ssa")
                .patch(PatchContext.of(PatchType.STRATEGIC_MERGE), "{\"data\":{\"b\":\"3\"}}");
        fabric8.configMaps().inNamespace("default").withName("f8-ssa")
                .patch(PatchContext.of(PatchType.JSON), "[{\"op\":\"add\",\"path\":\"/data/c\",\"value\":\"4\"}]");
        fabric8.configMaps().inNamespace("default").withName("f8-ssa")
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"data\":{\"a\":null}}");
        assertThat(fabric8.configMaps().inNamespace("default").withName("f8-ssa").get().getData())
                .containsExactlyInAnyOrderEntriesOf(Map.of("b", "3", "c", "4"));

        fabric8.apps().deployments().inNamespace("default").resource(new DeploymentBuilder()
                .withNewMetadata().withName("f8-scale").endMetadata()
                .withNewSpec().withReplicas(1).withNewSelector().addToMatchLabels("app", "s").endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", "s").endMetadata()
                .withNewSpec().addNewContainer().withName("c").withImage("nginx").endContainer().endSpec()
                .endTemplate().endSpec().build()).create();
        fabric8.apps().deployments().inNamespace("default").withName("f8-scale").scale(4);
        assertThat(fabric8.apps().deployments().inNamespace("default").withName("f8-scale").get().getSpec().getReplicas()).isEqualTo(4);
        fabric8.apps().deployments().inNamespace("default").withName("f8-scale").rolling().restart();
        assertThat(fabric8.apps().deployments().inNamespace("default").withName("f8-scale").get().getSpec().getTemplate()
                .getMetadata().getAnnotations()).containsKey("kubectl.kubernetes.io/restartedAt");
    }

    @Test
    void clientJavaApplyPatchWithForce() throws Exception {
        ApiClient client = server.clientJava();
        CoreV1Api core = new CoreV1Api(client);
        String body = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"cj-ssa\",\"namespace\":\"default\"},\"data\":{\"k\":\"v\"}}";
        V1ConfigMap applied = PatchUtils.patch(V1ConfigMap.class,
                () -> core.patchNamespacedConfigMap("cj-ssa", "default", new V1Patch(body)).fieldManager("cj").force(true).buildCall(null),
                V1Patch.PATCH_FORMAT_APPLY_YAML, client);
        assertThat(applied.getData()).containsEntry("k", "v");
        // client-java's model drops managedFields when it reads a response: look at the stored object
        var configMaps = server.cluster().registry().find("", "v1", "configmaps").orElseThrow();
        JsonNode managed = server.cluster().api().get(configMaps, "default", "cj-ssa").path("metadata").path("managedFields");
        assertThat(managed).hasSize(1);
        assertThat(managed.get(0).path("manager").asText()).isEqualTo("cj");
        assertThat(managed.get(0).path("operation").asText()).isEqualTo("Apply");
        V1ConfigMap merged = PatchUtils.patch(V1ConfigMap.class,
                () -> core.patchNamespacedConfigMap("cj-ssa", "default", new V1Patch("{\"data\":{\"m\":\"n\"}}")).buildCall(null),
                V1Patch.PATCH_FORMAT_STRATEGIC_MERGE_PATCH, client);
        assertThat(merged.getData()).containsEntry("m", "n").containsEntry("k", "v");
        assertThat(server.cluster().api().get(configMaps, "default", "cj-ssa").path("metadata").path("managedFields"))
                .as("the strategic merge patch is recorded as an Update of its manager").hasSize(2);
    }
}
