package dev.kubetest.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.kubetest.apiserver.support.Kubectl;
import dev.kubetest.apiserver.support.TestServer;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What a real API server refuses, KubeTest refuses with the same Status: values of the wrong JSON type (400 with Go's
 * decoding message, on create, update and every patch type), invalid labels, annotations and data keys (422 naming
 * the field), and sizes over upstream's limits.
 */
class RefusalsTest {
    static TestServer server;
    static KubernetesClient client;

    @BeforeAll
    static void start() {
        server = new TestServer();
        client = server.fabric8();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static Status statusOf(Runnable call) {
        KubernetesClientException e = catchThrowableOfType(call::run, KubernetesClientException.class);
        assertThat(e).as("the call must be refused").isNotNull();
        return e.getStatus();
    }

    @Test
    void kubectlSeesGoDecodingErrorsForValuesOfTheWrongType() {
        Kubectl.assumePresent();
        Kubectl kubectl = server.kubectl();
        Kubectl.Result cm = kubectl.runWithInput("""
                {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "typed"}, "data": {"a": 1}}
                """, "create", "-f", "-", "--validate=false");
        assertThat(cm.exitCode()).isNotZero();
        assertThat(cm.err()).contains("Error from server (BadRequest)")
                .contains("ConfigMap in version \"v1\" cannot be handled as a ConfigMap: json: cannot unmarshal number "
                        + "into Go struct field ConfigMap.data of type string");
        Kubectl.Result pod = kubectl.runWithInput("""
                apiVersion: v1
                kind: Pod
                metadata: {name: typed}
                spec:
                  containers:
                  - name: web
                    image: nginx
                    ports: [{containerPort: "eighty"}]
                """, "create", "-f", "-", "--validate=false");
        assertThat(pod.exitCode()).isNotZero();
        assertThat(pod.err()).contains("Pod in version \"v1\" cannot be handled as a Pod: json: cannot unmarshal string "
                + "into Go struct field ContainerPort.spec.containers.ports.containerPort of type int32");
        // nothing was stored, and the namespace still describes
        assertThat(client.configMaps().inNamespace("default").withName("typed").get()).isNull();
        assertThat(kubectl.run("describe", "configmaps", "-n", "default").exitCode()).isZero();
    }

    @Test
    void everyWriteChecksTypes() {
        client.configMaps().inNamespace("default").resource(new ConfigMapBuilder().withNewMetadata().withName("patched")
                .endMetadata().addToData("a", "1").build()).create();
        var cm = client.configMaps().inNamespace("default").withName("patched");
        for (PatchType type : List.of(PatchType.JSON_MERGE, PatchType.STRATEGIC_MERGE)) {
            Status s = statusOf(() -> cm.patch(PatchContext.of(type), "{\"data\": {\"a\": true}}"));
            assertThat(s.getCode()).isEqualTo(400);
            assertThat(s.getMessage()).contains("cannot unmarshal bool into Go struct field ConfigMap.data of type string");
        }
        Status json = statusOf(() -> cm.patch(PatchContext.of(PatchType.JSON), "[{\"op\": \"add\", \"path\": \"/data/b\", \"value\": [1]}]"));
        assertThat(json.getCode()).isEqualTo(400);
        assertThat(json.getMessage()).contains("cannot unmarshal array into Go struct field ConfigMap.data of type string");
        Status apply = statusOf(() -> cm.patch(new PatchContext.Builder().withPatchType(PatchType.SERVER_SIDE_APPLY)
                .withFieldManager("me").build(), "{\"apiVersion\": \"v1\", \"kind\": \"ConfigMap\", \"metadata\": "
                + "{\"name\": \"patched\"}, \"immutable\": \"yes\"}"));
        assertThat(apply.getCode()).isEqualTo(400);
        assertThat(apply.getMessage()).contains("cannot unmarshal string into Go struct field ConfigMap.immutable of type bool");
        io.fabric8.kubernetes.api.model.GenericKubernetesResource generic = new io.fabric8.kubernetes.api.model.GenericKubernetesResource();
        generic.setApiVersion("v1");
        generic.setKind("ConfigMap");
        generic.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName("patched").build());
        generic.setAdditionalProperty("data", Map.of("a", Map.of("nested", "x")));
        Status update = statusOf(() -> client.genericKubernetesResources("v1", "ConfigMap").inNamespace("default")
                .resource(generic).update());
        assertThat(update.getCode()).isEqualTo(400);
        assertThat(update.getMessage()).contains("cannot unmarshal object into Go struct field ConfigMap.data of type string");
        assertThat(cm.get().getData()).containsExactly(Map.entry("a", "1"));
        Status secret = statusOf(() -> client.secrets().inNamespace("default").resource(new SecretBuilder()
                .withNewMetadata().withName("not-base64").endMetadata().addToData("k", "not base64!").build()).create());
        assertThat(secret.getCode()).isEqualTo(400);
        assertThat(secret.getMessage()).isEqualTo("Secret in version \"v1\" cannot be handled as a Secret: illegal base64 "
                + "data at input byte 3");
    }

    @Test
    void invalidLabelsAnnotationsAndKeysAre422NamingTheField() {
        Status labels = statusOf(() -> client.configMaps().inNamespace("default").resource(new ConfigMapBuilder()
                .withNewMetadata().withName("labels").addToLabels("bad key!", "ok").addToLabels("app", "not ok!")
                .endMetadata().build()).create());
        assertThat(labels.getCode()).isEqualTo(422);
        assertThat(labels.getReason()).isEqualTo("Invalid");
        assertThat(labels.getDetails().getCauses()).extracting(StatusCause::getField)
                .containsOnly("metadata.labels");
        assertThat(labels.getDetails().getCauses()).extracting(StatusCause::getMessage).contains(
                "Invalid value: \"bad key!\": name part must consist of alphanumeric characters, '-', '_' or '.', and "
                        + "must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or "
                        + "'123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
                "Invalid value: \"not ok!\": a valid label must be an empty string or consist of alphanumeric "
                        + "characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. "
                        + "'MyValue',  or 'my_value',  or '12345', regex used for validation is "
                        + "'(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')");
        Status template = statusOf(() -> client.apps().deployments().inNamespace("default").resource(
                new io.fabric8.kubernetes.api.model.apps.DeploymentBuilder().withNewMetadata().withName("tpl").endMetadata()
                        .withNewSpec().withNewSelector().addToMatchLabels("app", "x").endSelector()
                        .withNewTemplate().withNewMetadata().addToLabels("app", "x").addToLabels("-bad", "y").endMetadata()
                        .withNewSpec().addNewContainer().withName("c").withImage("nginx").endContainer().endSpec()
                        .endTemplate().endSpec().build()).create());
        assertThat(template.getDetails().getCauses()).extracting(StatusCause::getField)
                .containsExactly("spec.template.metadata.labels");
        Status annotations = statusOf(() -> client.configMaps().inNamespace("default").resource(new ConfigMapBuilder()
                .withNewMetadata().withName("annotations").addToAnnotations("big", "x".repeat(256 * 1024)).endMetadata()
                .build()).create());
        assertThat(annotations.getCode()).isEqualTo(422);
        assertThat(annotations.getMessage()).isEqualTo("ConfigMap \"annotations\" is invalid: metadata.annotations: "
                + "Too long: may not be more than 262144 bytes");
        Status key = statusOf(() -> client.configMaps().inNamespace("default").resource(new ConfigMapBuilder()
                .withNewMetadata().withName("keys").endMetadata().addToData("no/slash", "v").build()).create());
        assertThat(key.getDetails().getCauses()).singleElement().satisfies(c -> {
            assertThat(c.getField()).isEqualTo("data[no/slash]");
            assertThat(c.getMessage()).startsWith("Invalid value: \"no/slash\": a valid config key must consist of "
                    + "alphanumeric characters, '-', '_' or '.'");
        });
        Status secretKey = statusOf(() -> client.secrets().inNamespace("default").resource(new SecretBuilder()
                .withNewMetadata().withName("keys").endMetadata().addToStringData("..dots", "v").build()).create());
        assertThat(secretKey.getDetails().getCauses()).extracting(StatusCause::getField).containsExactly("data[..dots]");
        // the same label update on an existing object is refused too
        client.configMaps().inNamespace("default").resource(new ConfigMapBuilder().withNewMetadata().withName("relabel")
                .endMetadata().build()).create();
        assertThatThrownBy(() -> client.configMaps().inNamespace("default").withName("relabel")
                .edit(c -> new ConfigMapBuilder(c).editMetadata().addToLabels("a", "b c").endMetadata().build()))
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(422));
    }

    @Test
    void sizesOverUpstreamLimitsAreRefused() {
        Status data = statusOf(() -> client.configMaps().inNamespace("default").resource(new ConfigMapBuilder()
                .withNewMetadata().withName("big").endMetadata().addToData("a", "x".repeat(700 * 1024))
                .addToData("b", "y".repeat(400 * 1024)).build()).create());
        assertThat(data.getCode()).isEqualTo(422);
        assertThat(data.getMessage()).isEqualTo("ConfigMap \"big\" is invalid: []: Too long: may not be more than 1048576 bytes");
        Status secret = statusOf(() -> client.secrets().inNamespace("default").resource(new SecretBuilder()
                .withNewMetadata().withName("big").endMetadata().addToStringData("a", "x".repeat(1024 * 1024 + 1)).build())
                .create());
        assertThat(secret.getMessage()).isEqualTo("Secret \"big\" is invalid: data: Too long: may not be more than 1048576 bytes");
        Status body = statusOf(() -> client.configMaps().inNamespace("default").resource(new ConfigMapBuilder()
                .withNewMetadata().withName("huge").endMetadata().addToData("a", "x".repeat(5 * 1024 * 1024)).build()).create());
        assertThat(body.getCode()).isEqualTo(413);
        assertThat(body.getMessage()).isEqualTo("Request entity too large: limit is 3145728");
        // under the body limit but over etcd's object limit (1.5 MiB): a pod whose arguments are 1.6 MB
        Status object = statusOf(() -> client.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata()
                .withName("long-args").endMetadata().withNewSpec().addNewContainer().withName("c").withImage("busybox")
                .withArgs("x".repeat(1_600_000)).endContainer().endSpec().build()).create());
        assertThat(object.getCode()).isEqualTo(413);
        assertThat(client.configMaps().inNamespace("default").withName("huge").get()).isNull();
        assertThat(client.pods().inNamespace("default").withName("long-args").get()).isNull();
    }
}
