package dev.kubetest.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kubetest.apiserver.support.Kubectl;
import dev.kubetest.apiserver.support.TestServer;
import dev.kubetest.core.KubeCluster;
import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.EndpointsBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Services get endpoints: EndpointSlices and Endpoints follow the selected pods' readiness; pods get Service variables. */
class ServiceEndpointsTest {

    static List<EndpointSlice> slices(KubernetesClient client, String service) {
        return client.discovery().v1().endpointSlices().inNamespace("default")
                .withLabel("kubernetes.io/service-name", service).list().getItems();
    }

    static List<Endpoint> endpoints(KubernetesClient client, String service) {
        return slices(client, service).stream().flatMap(s -> s.getEndpoints().stream()).toList();
    }

    static Service service(String name, String app, Object targetPort) {
        return new ServiceBuilder().withNewMetadata().withName(name).addToLabels("tier", "front").endMetadata().withNewSpec()
                .addToSelector("app", app).addNewPort().withPort(80).withTargetPort(targetPort instanceof Integer i
                        ? new IntOrString(i) : new IntOrString((String) targetPort)).endPort().endSpec().build();
    }

    @Test
    void endpointsFollowReadinessAndTermination() throws Exception {
        Kubectl.assumePresent();
        try (TestServer server = new TestServer(KubeCluster.builder().timeMode(KubeCluster.TimeMode.AUTO))) {
            KubernetesClient client = server.fabric8();
            client.apps().deployments().inNamespace("default").resource(new DeploymentBuilder().withNewMetadata().withName("web")
                    .endMetadata().withNewSpec().withReplicas(3).withNewSelector().addToMatchLabels("app", "web").endSelector()
                    .withNewTemplate().withNewMetadata().addToLabels("app", "web").endMetadata().withNewSpec()
                    .withTerminationGracePeriodSeconds(60L).addNewContainer().withName("web").withImage("busybox:1.36")
                    .withCommand("sh", "-c", "touch /tmp/ready; sleep 3600").addNewPort().withName("http").withContainerPort(8080).endPort()
                    .withNewReadinessProbe().withNewExec().withCommand("cat", "/tmp/ready").endExec().withPeriodSeconds(5).endReadinessProbe()
                    .withNewLifecycle().withNewPreStop().withNewExec().withCommand("sleep", "30").endExec().endPreStop().endLifecycle()
                    .endContainer().endSpec().endTemplate().endSpec().build()).create();
            Service svc = client.services().inNamespace("default").resource(service("web", "web", "http")).create();

            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                assertThat(endpoints(client, "web")).hasSize(3).allSatisfy(e -> {
                    assertThat(e.getConditions().getReady()).isTrue();
                    assertThat(e.getConditions().getServing()).isTrue();
                    assertThat(e.getConditions().getTerminating()).isFalse();
                    assertThat(e.getTargetRef().getKind()).isEqualTo("Pod");
                    assertThat(e.getNodeName()).isEqualTo("kubetest-node-1");
                });
            });
            EndpointSlice slice = slices(client, "web").get(0);
            assertThat(slice.getMetadata().getName()).startsWith("web-");
            assertThat(slice.getMetadata().getLabels()).containsEntry("endpointslice.kubernetes.io/managed-by",
                    "endpointslice-controller.k8s.io").containsEntry("tier", "front");
            assertThat(slice.getMetadata().getOwnerReferences()).singleElement()
                    .satisfies(r -> assertThat(r.getUid()).isEqualTo(svc.getMetadata().getUid()));
            assertThat(slice.getAddressType()).isEqualTo("IPv4");
            assertThat(slice.getPorts()).singleElement().satisfies(p -> {
                assertThat(p.getPort()).isEqualTo(8080);
                assertThat(p.getProtocol()).isEqualTo("TCP");
            });
            Endpoints legacy = client.endpoints().inNamespace("default").withName("web").get();
            assertThat(legacy.getSubsets()).singleElement().satisfies(s -> {
                assertThat(s.getAddresses()).hasSize(3);
                assertThat(s.getPorts()).singleElement().satisfies(p -> assertThat(p.getPort()).isEqualTo(8080));
            });

            // one pod stops being ready: it stays listed, not ready, and moves to notReadyAddresses
            List<Pod> pods = client.pods().inNamespace("default").withLabel("app", "web").list().getItems();
            Pod sick = pods.get(0);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (var exec = client.pods().inNamespace("default").withName(sick.getMetadata().getName()).writingOutput(out)
                    .exec("rm", "/tmp/ready")) {
                exec.exitCode().get(20, TimeUnit.SECONDS);
            }
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                assertThat(endpoints(client, "web")).filteredOn(e -> e.getTargetRef().getName().equals(sick.getMetadata().getName()))
                        .singleElement().satisfies(e -> {
                            assertThat(e.getConditions().getReady()).isFalse();
                            assertThat(e.getConditions().getServing()).isFalse();
                        });
                Endpoints now = client.endpoints().inNamespace("default").withName("web").get();
                assertThat(now.getSubsets().get(0).getAddresses()).hasSize(2);
                assertThat(now.getSubsets().get(0).getNotReadyAddresses()).extracting(EndpointAddress::getIp)
                        .containsExactly(sick.getStatus().getPodIP());
            });
            Kubectl kubectl = server.kubectl();
            assertThat(kubectl.run("get", "endpoints", "web").ok().out())
                    .containsPattern("(?m)^web\\s+\\d+\\.\\d+\\.\\d+\\.\\d+:8080,\\d+\\.\\d+\\.\\d+\\.\\d+:8080\\s");
            assertThat(kubectl.run("describe", "svc", "web").ok().out()).containsPattern("Endpoints:\\s+\\d+\\.\\d+\\.\\d+\\.\\d+:8080,");

            // a pod being deleted stays in its slice while it shuts down (its preStop hook), terminating
            Pod leaving = pods.get(1);
            client.pods().inNamespace("default").withName(leaving.getMetadata().getName()).delete();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(endpoints(client, "web")).filteredOn(e -> e.getTargetRef().getName().equals(leaving.getMetadata().getName()))
                            .singleElement().satisfies(e -> {
                                assertThat(e.getConditions().getTerminating()).isTrue();
                                assertThat(e.getConditions().getReady()).isFalse();
                            }));

            // the Service goes, and so do its Endpoints and slices
            client.services().inNamespace("default").withName("web").delete();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                assertThat(client.endpoints().inNamespace("default").withName("web").get()).isNull();
                assertThat(slices(client, "web")).isEmpty();
            });
        }
    }

    @Test
    void selectorlessServicesKeepTheirOwnEndpointsAndPodsGetServiceVariables() {
        try (TestServer server = new TestServer(KubeCluster.builder().timeMode(KubeCluster.TimeMode.AUTO))) {
            KubernetesClient client = server.fabric8();
            client.services().inNamespace("default").resource(new ServiceBuilder().withNewMetadata().withName("external-db")
                    .endMetadata().withNewSpec().addNewPort().withName("pg").withPort(5432).endPort().endSpec().build()).create();
            client.endpoints().inNamespace("default").resource(new EndpointsBuilder().withNewMetadata().withName("external-db")
                    .endMetadata().addNewSubset().addNewAddress().withIp("192.0.2.10").endAddress().addNewPort().withName("pg")
                    .withPort(5432).endPort().endSubset().build()).create();
            Service api = client.services().inNamespace("default").resource(service("api-server", "api", 8080)).create();
            String ip = api.getSpec().getClusterIP();

            client.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName("client").endMetadata()
                    .withNewSpec().addNewContainer().withName("c").withImage("busybox:1.36").withCommand("sh", "-c",
                            "echo host=$API_SERVER_SERVICE_HOST port=$API_SERVER_SERVICE_PORT link=$API_SERVER_PORT "
                                    + "addr=$API_SERVER_PORT_80_TCP_ADDR db=$EXTERNAL_DB_SERVICE_PORT_PG k8s=$KUBERNETES_SERVICE_HOST; sleep 3600")
                    .endContainer().endSpec().build()).create();
            client.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName("unlinked").endMetadata()
                    .withNewSpec().withEnableServiceLinks(false).addNewContainer().withName("c").withImage("busybox:1.36")
                    .withCommand("sh", "-c", "echo host=$API_SERVER_SERVICE_HOST k8s=$KUBERNETES_SERVICE_HOST; sleep 3600")
                    .endContainer().endSpec().build()).create();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                assertThat(client.pods().inNamespace("default").withName("client").getLog())
                        .contains("host=" + ip + " port=80 link=tcp://" + ip + ":80 addr=" + ip + " db=5432 k8s=10.96.0.1");
                assertThat(client.pods().inNamespace("default").withName("unlinked").getLog()).contains("host= k8s=10.96.0.1");
            });
            // the controllers leave a selector-less Service's Endpoints alone; the mirroring controller copies them to a slice
            assertThat(client.endpoints().inNamespace("default").withName("external-db").get().getSubsets().get(0).getAddresses())
                    .extracting(EndpointAddress::getIp).containsExactly("192.0.2.10");
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(slices(client, "external-db")).singleElement().satisfies(s -> {
                assertThat(s.getMetadata().getLabels()).containsEntry("endpointslice.kubernetes.io/managed-by",
                        "endpointslicemirroring-controller.k8s.io").containsEntry("kubernetes.io/service-name", "external-db");
                assertThat(s.getMetadata().getOwnerReferences()).singleElement()
                        .satisfies(o -> assertThat(o.getKind() + "/" + o.getName()).isEqualTo("Endpoints/external-db"));
                assertThat(s.getEndpoints()).singleElement().satisfies(e -> {
                    assertThat(e.getAddresses()).containsExactly("192.0.2.10");
                    assertThat(e.getConditions().getReady()).isTrue();
                });
                assertThat(s.getPorts()).singleElement().satisfies(p -> assertThat(p.getName() + ":" + p.getPort()).isEqualTo("pg:5432"));
            }));
            // a Service selecting nothing has empty Endpoints and one empty slice
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertThat(client.endpoints().inNamespace("default").withName("api-server").get().getSubsets()).isEmpty();
                assertThat(slices(client, "api-server")).singleElement().satisfies(s -> assertThat(s.getEndpoints()).isEmpty());
            });
        }
    }

    @Test
    void mirroredEndpointsCarryTrafficAndSkipMirrorIsHonoured() {
        try (TestServer server = new TestServer(KubeCluster.builder().timeMode(KubeCluster.TimeMode.AUTO))) {
            KubernetesClient client = server.fabric8();
            client.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName("backend").endMetadata()
                    .withNewSpec().addNewContainer().withName("web").withImage("nginx:1.27").endContainer().endSpec().build()).create();
            client.pods().inNamespace("default").withName("backend").waitUntilReady(30, java.util.concurrent.TimeUnit.SECONDS);
            String podIp = client.pods().inNamespace("default").withName("backend").get().getStatus().getPodIP();
            client.services().inNamespace("default").resource(new ServiceBuilder().withNewMetadata().withName("manual")
                    .endMetadata().withNewSpec().addNewPort().withPort(8080).withNewTargetPort(80).endPort().endSpec().build()).create();
            client.endpoints().inNamespace("default").resource(new EndpointsBuilder().withNewMetadata().withName("manual")
                    .endMetadata().addNewSubset().addNewAddress().withIp(podIp).endAddress().addNewPort().withPort(80).endPort()
                    .endSubset().build()).create();
            client.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName("client").endMetadata()
                    .withNewSpec().addNewContainer().withName("c").withImage("busybox:1.36").withCommand("sleep", "3600")
                    .endContainer().endSpec().build()).create();
            client.pods().inNamespace("default").withName("client").waitUntilReady(30, java.util.concurrent.TimeUnit.SECONDS);
            var net = server.cluster().network().from("default", "client");
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(net.get("http://manual:8080/").body()).contains("Welcome to nginx!"));

            // skip-mirror: the slice goes, and with it the Service's traffic
            client.endpoints().inNamespace("default").withName("manual")
                    .edit(e -> new io.fabric8.kubernetes.api.model.EndpointsBuilder(e).editMetadata()
                            .addToLabels("endpointslice.kubernetes.io/skip-mirror", "true").endMetadata().build());
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(slices(client, "manual")).isEmpty());
            assertThat(net.canConnect("manual", 8080)).isFalse();
        }
    }
}
