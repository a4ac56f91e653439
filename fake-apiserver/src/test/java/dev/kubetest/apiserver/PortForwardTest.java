package dev.kubetest.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubetest.apiserver.support.TestServer;
import dev.kubetest.core.KubeCluster;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.LocalPortForward;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** pods/portforward over WebSocket (fabric8, client-java): HTTP to a simulated nginx through the tunnel. */
class PortForwardTest {

    private static HttpURLConnection get(int localPort, String path) throws Exception {
        HttpURLConnection c = (HttpURLConnection) new URL("http://127.0.0.1:" + localPort + path).openConnection();
        c.setConnectTimeout(10_000);
        c.setReadTimeout(10_000);
        return c;
    }

    private static void nginx(KubernetesClient client) {
        client.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName("web").endMetadata()
                .withNewSpec().addNewContainer().withName("nginx").withImage("nginx:1.27").addNewPort().withContainerPort(80)
                .endPort().endContainer().endSpec().build()).create();
        client.pods().inNamespace("default").withName("web").waitUntilReady(30, TimeUnit.SECONDS);
    }

    @Test
    void clientJavaPortForwardCarriesRawBytes() throws Exception {
        try (TestServer server = new TestServer(KubeCluster.builder().timeMode(KubeCluster.TimeMode.AUTO))) {
            nginx(server.fabric8());
            io.kubernetes.client.PortForward.PortForwardResult result = new io.kubernetes.client.PortForward(server.clientJava())
                    .forward("default", "web", java.util.List.of(80));
            result.getOutboundStream(80).write("GET / HTTP/1.1\r\nHost: web\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            result.getOutboundStream(80).flush();
            java.io.InputStream in = result.getInputStream(80);
            StringBuilder got = new StringBuilder();
            byte[] buf = new byte[4096];
            while (!got.toString().contains("</html>")) {
                int n = in.read(buf);
                if (n < 0) {
                    break;
                }
                got.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
            }
            assertThat(got.toString()).startsWith("HTTP/1.1 200 OK\r\n").contains("Welcome to nginx!");
        }
    }

    @Test
    void fabric8PortForwardReachesTheContainersServer() throws Exception {
        try (TestServer server = new TestServer(KubeCluster.builder().timeMode(KubeCluster.TimeMode.AUTO))) {
            KubernetesClient client = server.fabric8();
            nginx(client);
            server.cluster().container("default", "web", "nginx").writeFile("/usr/share/nginx/html/hello.txt",
                    "hello through the tunnel\n".getBytes(StandardCharsets.UTF_8));
            try (LocalPortForward forward = client.pods().inNamespace("default").withName("web").portForward(80)) {
                HttpURLConnection index = get(forward.getLocalPort(), "/");
                assertThat(index.getResponseCode()).isEqualTo(200);
                assertThat(new String(index.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).contains("Welcome to nginx!");
                HttpURLConnection hello = get(forward.getLocalPort(), "/hello.txt");
                assertThat(new String(hello.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("hello through the tunnel\n");
                assertThat(get(forward.getLocalPort(), "/missing").getResponseCode()).isEqualTo(404);
            }
        }
    }
}
