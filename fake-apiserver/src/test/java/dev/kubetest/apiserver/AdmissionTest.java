package dev.kubetest.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kubetest.apiserver.support.Kubectl;
import dev.kubetest.apiserver.support.TestServer;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.FieldValidateable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Built-in admission: defaulting, allocation and validation as upstream, seen through kubectl and fabric8. */
class AdmissionTest {
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

    @Test
    void podsAreDefaultedAsUpstream() {
        Pod pod = client.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName("defaults").endMetadata()
                .withNewSpec().addNewContainer().withName("web").withImage("nginx").endContainer()
                .addNewContainer().withName("tagged").withImage("registry.example.com:5000/app:1.2").addNewPort().withContainerPort(8080).endPort()
                .withNewReadinessProbe().withNewHttpGet().withNewPort(8080).endHttpGet().endReadinessProbe().endContainer()
                .endSpec().build()).create();
        var spec = pod.getSpec();
        assertThat(spec.getRestartPolicy()).isEqualTo("Always");
        assertThat(spec.getTerminationGracePeriodSeconds()).isEqualTo(30L);
        assertThat(spec.getDnsPolicy()).isEqualTo("ClusterFirst");
        assertThat(spec.getSchedulerName()).isEqualTo("default-scheduler");
        assertThat(spec.getServiceAccountName()).isEqualTo("default");
        assertThat(spec.getEnableServiceLinks()).isTrue();
        assertThat(spec.getPriority()).isZero();
        assertThat(spec.getTolerations()).extracting(t -> t.getKey() + "/" + t.getEffect() + "/" + t.getTolerationSeconds())
                .containsExactly("node.kubernetes.io/not-ready/NoExecute/300", "node.kubernetes.io/unreachable/NoExecute/300");
        assertThat(spec.getContainers().get(0).getImagePullPolicy()).isEqualTo("Always");
        assertThat(spec.getContainers().get(1).getImagePullPolicy()).isEqualTo("IfNotPresent");
        assertThat(spec.getContainers().get(0).getTerminationMessagePath()).isEqualTo("/dev/termination-log");
        assertThat(spec.getContainers().get(1).getPorts().get(0).getProtocol()).isEqualTo("TCP");
        var probe = spec.getContainers().get(1).getReadinessProbe();
        assertThat(probe.getPeriodSeconds()).isEqualTo(10);
        assertThat(probe.getTimeoutSeconds()).isEqualTo(1);
        assertThat(probe.getFailureThreshold()).isEqualTo(3);
        assertThat(probe.getHttpGet().getScheme()).isEqualTo("HTTP");
        assertThat(spec.getVolumes()).singleElement().satisfies(v -> {
            assertThat(v.getName()).matches("kube-api-access-[a-z0-9]{5}");
            assertThat(v.getProjected().getSources()).hasSize(3);
            assertThat(v.getProjected().getSources().get(0).getServiceAccountToken().getExpirationSeconds()).isEqualTo(3607L);
        });
        assertThat(spec.getContainers()).allSatisfy(c -> assertThat(c.getVolumeMounts()).singleElement()
                .satisfies(m -> assertThat(m.getMountPath()).isEqualTo("/var/run/secrets/kubernetes.io/serviceaccount")));
        assertThat(pod.getStatus().getPhase()).isEqualTo("Pending");
        assertThat(pod.getStatus().getQosClass()).isEqualTo("BestEffort");
    }

    @Test
    void workloadsJobsCronJobsServicesAndClaimsAreDefaulted() {
        Kubectl k = server.kubectl();
        k.run("create", "deployment", "dflt", "--image=nginx:1.27").ok();
        Deployment d = client.apps().deployments().inNamespace("default").withName("dflt").get();
        assertThat(d.getSpec().getReplicas()).isEqualTo(1);
        assertThat(d.getSpec().getStrategy().getType()).isEqualTo("RollingUpdate");
        assertThat(d.getSpec().getStrategy().getRollingUpdate().getMaxSurge().getStrVal()).isEqualTo("25%");
        assertThat(d.getSpec().getRevisionHistoryLimit()).isEqualTo(10);
        assertThat(d.getSpec().getProgressDeadlineSeconds()).isEqualTo(600);
        assertThat(d.getSpec().getTemplate().getSpec().getRestartPolicy()).isEqualTo("Always");

        k.run("create", "job", "once", "--image=busybox", "--", "true").ok();
        Job job = client.batch().v1().jobs().inNamespace("default").withName("once").get();
        assertThat(job.getSpec().getBackoffLimit()).isEqualTo(6);
        assertThat(job.getSpec().getCompletions()).isEqualTo(1);
        assertThat(job.getSpec().getParallelism()).isEqualTo(1);
        assertThat(job.getSpec().getSelector().getMatchLabels())
                .containsEntry("batch.kubernetes.io/controller-uid", job.getMetadata().getUid());
        assertThat(job.getSpec().getTemplate().getMetadata().getLabels()).containsEntry("batch.kubernetes.io/job-name", "once");

        k.run("create", "cronjob", "tick", "--image=busybox", "--schedule=* * * * *").ok();
        var cj = client.batch().v1().cronjobs().inNamespace("default").withName("tick").get();
        assertThat(cj.getSpec().getConcurrencyPolicy()).isEqualTo("Allow");
        assertThat(cj.getSpec().getSuccessfulJobsHistoryLimit()).isEqualTo(3);
        assertThat(cj.getSpec().getFailedJobsHistoryLimit()).isEqualTo(1);

        Service svc = client.services().inNamespace("default").resource(new ServiceBuilder().withNewMetadata().withName("web").endMetadata()
                .withNewSpec().addToSelector("app", "web").addNewPort().withPort(80).endPort().endSpec().build()).create();
        assertThat(svc.getSpec().getType()).isEqualTo("ClusterIP");
        assertThat(svc.getSpec().getClusterIP()).matches("10\\.(9[6-9]|10[0-9]|11[01])\\.\\d+\\.\\d+");
        assertThat(svc.getSpec().getClusterIPs()).containsExactly(svc.getSpec().getClusterIP());
        assertThat(svc.getSpec().getSessionAffinity()).isEqualTo("None");
        assertThat(svc.getSpec().getPorts().get(0).getTargetPort().getIntVal()).isEqualTo(80);
        Service np = client.services().inNamespace("default").resource(new ServiceBuilder().withNewMetadata().withName("np").endMetadata()
                .withNewSpec().withType("NodePort").addNewPort().withPort(80).endPort().endSpec().build()).create();
        assertThat(np.getSpec().getPorts().get(0).getNodePort()).isBetween(30000, 32767);
        assertThat(np.getSpec().getExternalTrafficPolicy()).isEqualTo("Cluster");
        assertThatThrownBy(() -> client.services().inNamespace("default").resource(new ServiceBuilder().withNewMetadata().withName("clash").endMetadata()
                .withNewSpec().withClusterIP(svc.getSpec().getClusterIP()).addNewPort().withPort(80).endPort().endSpec().build()).create())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(422);
                    assertThat(e.getMessage()).contains("provided IP is already allocated");
                });
        assertThat(k.run("get", "svc", "web").ok().out()).contains(svc.getSpec().getClusterIP());
    }

    private static Kubectl.Result applyBad(Kubectl k, String file, String yaml) {
        return k.run("apply", "-f", server.write(file, yaml).toString());
    }

    @Test
    void invalidObjectsGetUpstreamMessages() {
        Kubectl k = server.kubectl();
        Kubectl.Result mismatch = applyBad(k, "mismatch.yaml", """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: mismatch}
                spec:
                  selector: {matchLabels: {app: a}}
                  template:
                    metadata: {labels: {app: b}}
                    spec: {containers: [{name: c, image: nginx}]}
                """);
        assertThat(mismatch.err()).contains("The Deployment \"mismatch\" is invalid: spec.template.metadata.labels: "
                + "Invalid value: map[string]string{\"app\":\"b\"}: `selector` does not match template `labels`");
        Kubectl.Result jobPolicy = applyBad(k, "job.yaml", """
                apiVersion: batch/v1
                kind: Job
                metadata: {name: always}
                spec:
                  template:
                    spec: {containers: [{name: c, image: busybox}]}
                """);
        assertThat(jobPolicy.err()).contains("spec.template.spec.restartPolicy: Unsupported value: \"Always\": "
                + "supported values: \"OnFailure\", \"Never\"");
        Kubectl.Result pod = applyBad(k, "pod.yaml", """
                apiVersion: v1
                kind: Pod
                metadata: {name: broken}
                spec:
                  containers: [{name: a}, {name: a, image: x}]
                """);
        assertThat(pod.err()).contains("The Pod \"broken\" is invalid:", "* spec.containers[0].image: Required value",
                "* spec.containers[1].name: Duplicate value: \"a\"");

        k.run("create", "deployment", "fixed", "--image=nginx").ok();
        Kubectl.Result immutable = k.run("patch", "deployment", "fixed", "--type=merge", "-p",
                "{\"spec\":{\"selector\":{\"matchLabels\":{\"app\":\"other\"}},\"template\":{\"metadata\":{\"labels\":{\"app\":\"other\"}}}}}");
        assertThat(immutable.err()).contains("spec.selector: Invalid value:", "field is immutable");

        client.configMaps().inNamespace("default").resource(new ConfigMapBuilder().withNewMetadata().withName("frozen").endMetadata()
                .withImmutable(true).addToData("k", "v").build()).create();
        assertThatThrownBy(() -> client.configMaps().inNamespace("default").withName("frozen")
                .edit(c -> new ConfigMapBuilder(c).addToData("k", "w").build()))
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(422);
                    assertThat(e.getStatus().getDetails().getCauses()).anySatisfy(c ->
                            assertThat(c.getMessage()).isEqualTo("Forbidden: field is immutable when `immutable` is set"));
                });

        // a scheduler of its own keeps the pod unscheduled, so no kubelet writes to it while the test edits it
        client.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName("fixed-pod").endMetadata()
                .withNewSpec().withSchedulerName("manual").addNewContainer().withName("c").withImage("nginx:1").endContainer().endSpec().build()).create();
        Pod changedImage = client.pods().inNamespace("default").withName("fixed-pod")
                .edit(p -> new PodBuilder(p).editSpec().editFirstContainer().withImage("nginx:2").endContainer().endSpec().build());
        assertThat(changedImage.getSpec().getContainers().get(0).getImage()).isEqualTo("nginx:2");
        assertThatThrownBy(() -> client.pods().inNamespace("default").withName("fixed-pod")
                .edit(p -> new PodBuilder(p).editSpec().withHostname("other").endSpec().build()))
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getMessage())
                        .contains("spec: Forbidden: pod updates may not change fields other than"));
    }

    @Test
    void fieldValidationStrictWarnAndIgnore() {
        Kubectl k = server.kubectl();
        String manifest = """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: %s, namespace: default}
                data: {a: "1"}
                bogus: true
                """;
        Kubectl.Result strict = k.run("apply", "-f", server.write("strict.yaml", manifest.formatted("strict")).toString());
        assertThat(strict.exitCode()).isNotZero();
        assertThat(strict.err()).contains("ConfigMap in version \"v1\" cannot be handled as a ConfigMap: strict decoding error: unknown field \"bogus\"");
        Kubectl.Result warn = k.run("apply", "--validate=warn", "-f", server.write("warn.yaml", manifest.formatted("warned")).toString()).ok();
        assertThat(warn.err()).contains("Warning: unknown field \"bogus\"");
        k.run("apply", "--validate=false", "-f", server.write("ignore.yaml", manifest.formatted("ignored")).toString()).ok();
        assertThat(client.configMaps().inNamespace("default").withName("ignored").get().getAdditionalProperties())
                .as("the unknown field was dropped").doesNotContainKey("bogus");

        // kubectl re-encodes manifests, so duplicate keys reach the server only from raw clients
        var http = server.clientJava();
        String duplicated = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"twice\"},"
                + "\"data\":{\"a\":\"1\",\"a\":\"2\"}}";
        for (String mode : java.util.List.of("Strict", "Warn")) {
            okhttp3.Request req = new okhttp3.Request.Builder()
                    .url(http.getBasePath() + "/api/v1/namespaces/default/configmaps?fieldValidation=" + mode)
                    .post(okhttp3.RequestBody.create(duplicated, okhttp3.MediaType.get("application/json"))).build();
            try (okhttp3.Response resp = http.getHttpClient().newCall(req).execute()) {
                if (mode.equals("Strict")) {
                    assertThat(resp.code()).isEqualTo(400);
                    assertThat(resp.body().string()).contains("strict decoding error: duplicate field \\\"data.a\\\"");
                } else {
                    assertThat(resp.code()).isEqualTo(201);
                    assertThat(resp.header("Warning")).isEqualTo("299 - \"duplicate field \\\"data.a\\\"\"");
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        var cm = new ConfigMapBuilder().withNewMetadata().withName("f8-strict").endMetadata().build();
        cm.setAdditionalProperty("bogus", 1);
        assertThatThrownBy(() -> client.configMaps().inNamespace("default").resource(cm)
                .fieldValidation(FieldValidateable.Validation.STRICT).create())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(400));
    }
}
