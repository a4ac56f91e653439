package dev.kubetest.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubetest.apiserver.support.Kubectl;
import dev.kubetest.apiserver.support.TestServer;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Endpoints;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The {@code kubernetes} Service a real API server keeps, and Services changing type. */
class ClusterServicesTest {
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

    @Test
    void theKubernetesServicePointsAtTheApiServer() throws Exception {
        Service svc = client.services().inNamespace("default").withName("kubernetes").get();
        assertThat(svc.getMetadata().getLabels()).containsEntry("component", "apiserver").containsEntry("provider", "kubernetes");
        assertThat(svc.getSpec().getClusterIP()).isEqualTo("10.96.0.1");
        assertThat(svc.getSpec().getPorts()).singleElement().satisfies(p -> {
            assertThat(p.getName()).isEqualTo("https");
            assertThat(p.getPort()).isEqualTo(443);
            assertThat(p.getTargetPort().getIntVal()).isEqualTo(server.server().port());
        });
        EndpointSlice slice = client.discovery().v1().endpointSlices().inNamespace("default").withName("kubernetes").get();
        assertThat(slice.getMetadata().getLabels()).containsEntry("kubernetes.io/service-name", "kubernetes");
        assertThat(slice.getAddressType()).isEqualTo("IPv4");
        assertThat(slice.getEndpoints()).singleElement().satisfies(e -> {
            assertThat(e.getAddresses()).containsExactly("127.0.0.1");
            assertThat(e.getConditions().getReady()).isTrue();
        });
        assertThat(slice.getPorts()).singleElement().satisfies(p -> assertThat(p.getPort()).isEqualTo(server.server().port()));
        V1Endpoints endpoints = new CoreV1Api(server.clientJava()).readNamespacedEndpoints("kubernetes", "default").execute();
        assertThat(endpoints.getSubsets()).singleElement().satisfies(s -> {
            assertThat(s.getAddresses()).singleElement().satisfies(a -> assertThat(a.getIp()).isEqualTo("127.0.0.1"));
            assertThat(s.getPorts()).singleElement().satisfies(p -> assertThat(p.getPort()).isEqualTo(server.server().port()));
        });
        Kubectl.assumePresent();
        Kubectl.Result all = server.kubectl().run("get", "all", "-A").ok();
        assertThat(all.out()).containsPattern("default\\s+service/kubernetes\\s+ClusterIP\\s+10\\.96\\.0\\.1\\s+<none>\\s+443/TCP");
    }

    @Test
    void aServiceTurnedExternalNameLosesItsClusterIpAndGetsOneBack() {
        Service created = client.services().inNamespace("default").resource(new ServiceBuilder().withNewMetadata()
                .withName("turns").endMetadata().withNewSpec().withType("NodePort").addNewPort().withPort(80).endPort()
                .endSpec().build()).create();
        String ip = created.getSpec().getClusterIP();
        int nodePort = created.getSpec().getPorts().get(0).getNodePort();
        Service external = client.services().inNamespace("default").withName("turns").edit(s -> new ServiceBuilder(s)
                .editSpec().withType("ExternalName").withExternalName("db.example.com").endSpec().build());
        assertThat(external.getSpec().getClusterIP()).isNull();
        assertThat(external.getSpec().getClusterIPs()).isNullOrEmpty();
        assertThat(external.getSpec().getIpFamilies()).isNullOrEmpty();
        assertThat(external.getSpec().getPorts().get(0).getNodePort()).isNull();
        // the released node port can be asked for again
        Service reuse = client.services().inNamespace("default").resource(new ServiceBuilder().withNewMetadata()
                .withName("reuses").endMetadata().withNewSpec().withType("NodePort").addNewPort().withPort(80)
                .withNodePort(nodePort).endPort().endSpec().build()).create();
        assertThat(reuse.getSpec().getPorts().get(0).getNodePort()).isEqualTo(nodePort);
        Service back = client.services().inNamespace("default").withName("turns").edit(s -> new ServiceBuilder(s)
                .editSpec().withType("ClusterIP").withExternalName(null).endSpec().build());
        assertThat(back.getSpec().getClusterIP()).isNotNull().isNotEqualTo("None");
        assertThat(back.getSpec().getClusterIPs()).containsExactly(back.getSpec().getClusterIP());
        assertThat(ip).isNotNull();
    }
}
