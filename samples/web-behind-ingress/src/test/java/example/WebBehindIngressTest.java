package example;

import static dev.kubetest.assertions.KubeAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kubetest.core.KubeCluster;
import dev.kubetest.core.network.LocalPortForward;
import dev.kubetest.core.network.PodNetwork;
import dev.kubetest.junit.KubeTest;
import dev.kubetest.junit.TestNamespace;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * A web app behind a Service and an Ingress: another pod reaches it by its DNS name, a client outside the cluster
 * through the Ingress's host, and the test's own HTTP client through a real localhost port (as kubectl
 * port-forward gives one). No Docker, no ingress controller to install.
 */
@KubeTest(time = KubeTest.Time.AUTO)
class WebBehindIngressTest {

    @Test
    void thePageIsReachedByNameThroughTheIngressAndFromALocalPort(KubeCluster cluster, @TestNamespace String namespace)
            throws Exception {
        cluster.apply(Path.of("src/test/resources/web.yaml"), namespace);
        assertThat(cluster.deployment(namespace, "web")).eventually().isRolledOut();
        assertThat(cluster.pod(namespace, "client")).eventually().isReady();

        PodNetwork net = cluster.network();
        // inside: the Service's name through the pod's DNS search path
        assertThat(net.from(namespace, "client").get("http://web/").body()).contains("Hello from the shop");
        // outside: the Ingress host resolves to the ingress controller, which routes to a ready pod
        PodNetwork.Response viaIngress = net.fromOutside().get("http://shop.example.com/");
        assertThat(viaIngress.status()).isEqualTo(200);
        assertThat(viaIngress.body()).contains("Hello from the shop");
        assertThat(net.fromOutside().get("http://shop.example.com/missing.html").status()).isEqualTo(404);

        // a real socket: the test's own HTTP client (or a browser) on 127.0.0.1
        try (LocalPortForward web = cluster.portForward(namespace, "svc/web", 80)) {
            HttpResponse<String> page = HttpClient.newHttpClient()
                    .send(HttpRequest.newBuilder(web.uri("/")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("Hello from the shop");
        }
    }
}
