package dev.kubetest.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubetest.apiserver.support.Kubectl;
import dev.kubetest.apiserver.support.TestServer;
import dev.kubetest.core.KubeCluster;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.LocalPortForward;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * pods/portforward: HTTP to a simulated nginx through the tunnel, with kubectl (SPDY in WebSocket, and raw SPDY
 * as older kubectls speak it), fabric8 and client-java (the WebSocket channel protocol).
 */
class PortForwardTest {

    /** Starts {@code kubectl port-forward} and returns the local port it prints, with the process. */
    private static int forward(Process kubectl, List<String> lines) {
        Kubectl.collectLines(kubectl, lines);
        Pattern forwarding = Pattern.compile("Forwarding from 127\\.0\\.0\\.1:(\\d+) -> 80");
        return Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> lines.stream().map(forwarding::matcher)
                .filter(Matcher::find).map(m -> Integer.parseInt(m.group(1))).findFirst(), java.util.Optional::isPresent).get();
    }

    private static void kubectlReachesNginx(Kubectl kubectl) throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        Process p = kubectl.start("port-forward", "pod/web", ":80");
        try {
            int port = forward(p, lines);
            HttpURLConnection index = get(port, "/");
            assertThat(index.getResponseCode()).isEqualTo(200);
            assertThat(index.getHeaderField("Server")).isEqualTo("nginx");
            assertThat(new String(index.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).contains("Welcome to nginx!");
            HttpURLConnection hello = get(port, "/hello.txt");
            assertThat(new String(hello.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("hello through kubectl\n");
            assertThat(get(port, "/missing").getResponseCode()).isEqualTo(404);
            Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(lines).contains("Handling connection for " + port));
            assertThat(p.isAlive()).as("kubectl keeps forwarding: %s", lines).isTrue();
        } finally {
            p.destroy();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void kubectlPortForwardTunnelsSpdyInWebSocket() throws Exception {
        try (TestServer server = new TestServer(KubeCluster.builder().timeMode(KubeCluster.TimeMode.AUTO))) {
            nginx(server.fabric8());
            server.cluster().container("default", "web", "nginx").writeFile("/usr/share/nginx/html/hello.txt",
                    "hello through kubectl\n".getBytes(StandardCharsets.UTF_8));
            kubectlReachesNginx(server.kubectl());
        }
    }

    @Test
    void kubectlPortForwardOverRawSpdy() throws Exception {
        try (TestServer server = new TestServer(KubeCluster.builder().timeMode(KubeCluster.TimeMode.AUTO))) {
            nginx(server.fabric8());
            server.cluster().container("default", "web", "nginx").writeFile("/usr/share/nginx/html/hello.txt",
                    "hello through kubectl\n".getBytes(StandardCharsets.UTF_8));
            kubectlReachesNginx(server.kubectl().withEnv("KUBECTL_PORT_FORWARD_WEBSOCKETS", "false"));
        }
    }

    @Test
    void kubectlPortForwardToAClosedPortReportsTheError() throws Exception {
        try (TestServer server = new TestServer(KubeCluster.builder().timeMode(KubeCluster.TimeMode.AUTO))) {
            nginx(server.fabric8());
            List<String> lines = new CopyOnWriteArrayList<>();
            Process p = server.kubectl().start("port-forward", "pod/web", ":8081");
            try {
                Kubectl.collectLines(p, lines);
                Pattern forwarding = Pattern.compile("Forwarding from 127\\.0\\.0\\.1:(\\d+) -> 8081");
                int port = Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> lines.stream().map(forwarding::matcher)
                        .filter(Matcher::find).map(m -> Integer.parseInt(m.group(1))).findFirst(), java.util.Optional::isPresent).get();
                try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
                    socket.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                    socket.setSoTimeout(10_000);
                    assertThat(socket.getInputStream().read()).isEqualTo(-1);
                }
                Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(String.join("\n", lines))
                        .contains("error forwarding port 8081 to pod").contains("connection refused"));
            } finally {
                p.destroy();
                p.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void kubectlPortForwardRefusesAPendingPod() {
        try (TestServer server = new TestServer(KubeCluster.builder().timeMode(KubeCluster.TimeMode.AUTO))) {
            server.fabric8().pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName("big").endMetadata()
                    .withNewSpec().addNewContainer().withName("app").withImage("nginx").withNewResources()
                    .addToRequests("cpu", new io.fabric8.kubernetes.api.model.Quantity("64")).endResources().endContainer()
                    .endSpec().build()).create();
            Kubectl.Result r = server.kubectl().run("port-forward", "pod/big", ":80");
            assertThat(r.exitCode()).isEqualTo(1);
            assertThat(r.err()).contains("error: unable to forward port because pod is not running. Current status=Pending");
        }
    }

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
