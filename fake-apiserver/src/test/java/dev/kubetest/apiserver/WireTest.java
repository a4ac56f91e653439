package dev.kubetest.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import dev.kubetest.core.KubeCluster;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The HTTP layer as clients meet it: what a 404 carries, HTTP/1.0 clients, long URLs, bodies over the limit, half-open
 * TLS connections, reads at a revision the store has not reached, and the request log.
 */
class WireTest {
    static KubeCluster cluster;
    static ApiServer plain;
    static KubernetesClient client;
    static final List<String> requestLog = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() {
        cluster = KubeCluster.start();
        plain = ApiServer.builder(cluster).plainHttp().logRequests(requestLog::add).start();
        client = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(plain.kubeconfig())).build();
    }

    @AfterAll
    static void stop() {
        if (client != null) {
            client.close();
        }
        if (plain != null) {
            plain.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    /** Sends raw bytes on a fresh connection and reads until the server closes it (or 10 s pass). */
    private static String exchange(String request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", plain.port())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            try {
                for (int n; (n = s.getInputStream().read(buf)) > 0; ) {
                    out.write(buf, 0, n);
                }
            } catch (SocketTimeoutException e) {
                // what arrived so far
            }
            return out.toString(StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    void notFoundAlwaysCarriesDetails() throws IOException {
        String res = exchange("GET /apis/nothing.example.com/v1/things HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertThat(res).startsWith("HTTP/1.1 404");
        assertThat(res).contains("\"reason\":\"NotFound\"").contains("\"details\":{}");
    }

    @Test
    void anHttp10WatchIsNotChunkedAndSaysHttp10() throws IOException {
        client.configMaps().inNamespace("default").resource(new ConfigMapBuilder().withNewMetadata().withName("old-client")
                .endMetadata().build()).create();
        String res = exchange("GET /api/v1/namespaces/default/configmaps?watch=1&timeoutSeconds=1&fieldSelector="
                + "metadata.name%3Dold-client HTTP/1.0\r\n\r\n");
        assertThat(res).startsWith("HTTP/1.0 200 OK");
        String head = res.substring(0, res.indexOf("\r\n\r\n"));
        assertThat(head.toLowerCase()).doesNotContain("transfer-encoding");
        String body = res.substring(res.indexOf("\r\n\r\n") + 4);
        assertThat(body).startsWith("{\"type\":\"ADDED\"").contains("\"name\":\"old-client\"");
        assertThat(exchange("GET /version HTTP/1.0\r\n\r\n")).startsWith("HTTP/1.0 200");
    }

    @Test
    void urlsFarLongerThan4KbAreServed() {
        client.configMaps().inNamespace("default").resource(new ConfigMapBuilder().withNewMetadata().withName("long-url")
                .addToLabels("app", "long").endMetadata().build()).create();
        StringBuilder values = new StringBuilder("long");
        for (int i = 0; i < 1500; i++) {
            values.append(",value-").append(i);
        }
        String selector = "app in (" + values + ")";
        assertThat(selector.length()).isGreaterThan(15_000);
        assertThat(client.configMaps().inNamespace("default").withLabelSelector(selector).list().getItems())
                .extracting(c -> c.getMetadata().getName()).containsExactly("long-url");
    }

    @Test
    void a100MbBodyIsRefusedBeforeItIsRead() throws IOException {
        var before = client.configMaps().inNamespace("default").list().getItems().stream().map(c -> c.getMetadata().getUid()).toList();
        String res = exchange("POST /api/v1/namespaces/default/configmaps HTTP/1.1\r\nHost: x\r\n"
                + "Content-Type: application/json\r\nContent-Length: 100000000\r\nConnection: close\r\n\r\n{\"data\":{\"a\":\"");
        assertThat(res).startsWith("HTTP/1.1 413");
        assertThat(res).contains("\"message\":\"Request entity too large: limit is 3145728\"")
                .contains("\"reason\":\"RequestEntityTooLarge\"");
        // a chunked body grows past the limit while it is sent: refused, and the rest discarded
        try (Socket s = new Socket("127.0.0.1", plain.port())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(("POST /api/v1/namespaces/default/configmaps HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            byte[] chunk = new byte[1024 * 1024];
            java.util.Arrays.fill(chunk, (byte) 'x');
            for (int i = 0; i < 4; i++) {
                out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                out.write(chunk);
                out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
            }
            out.flush();
            byte[] head = new byte[12];
            InputStream in = s.getInputStream();
            int n = in.readNBytes(head, 0, 12);
            assertThat(new String(head, 0, n, StandardCharsets.ISO_8859_1)).isEqualTo("HTTP/1.1 413");
        }
        // nothing was written (the kube-system workloads keep writing their status meanwhile, so not the revision)
        assertThat(client.configMaps().inNamespace("default").list().getItems().stream().map(c -> c.getMetadata().getUid()).toList())
                .isEqualTo(before);
        assertThat(client.getKubernetesVersion().getMinor()).isEqualTo("32");
    }

    @Test
    void aTlsClientThatStopsHalfwayThroughTheHandshakeIsDisconnected() throws IOException {
        try (ApiServer tls = ApiServer.builder(cluster).handshakeTimeout(Duration.ofMillis(500)).start();
             Socket s = new Socket("127.0.0.1", tls.port())) {
            s.setSoTimeout(20_000);
            s.getOutputStream().write(new byte[] {0x16, 0x03, 0x01, 0x02, 0x00, 0x01}); // half a ClientHello
            s.getOutputStream().flush();
            int read;
            try {
                read = s.getInputStream().read();
                while (read >= 0) {
                    read = s.getInputStream().read();
                }
            } catch (java.net.SocketException e) {
                read = -1; // reset: closed as well
            }
            assertThat(read).as("the server closes the connection").isEqualTo(-1);
        }
    }

    @Test
    void aListAtARevisionTheStoreHasNotReachedIs504() {
        long current = cluster.api().store().currentRevision();
        // fabric8 retries a 5xx ten times by default: this client sees the first answer
        KubernetesClient noRetries = new KubernetesClientBuilder().withConfig(new io.fabric8.kubernetes.client.ConfigBuilder(
                Config.fromKubeconfig(plain.kubeconfig())).withRequestRetryBackoffLimit(0).build()).build();
        KubernetesClientException e = catchThrowableOfType(() -> noRetries.configMaps().inNamespace("default")
                .list(new ListOptionsBuilder().withResourceVersion(Long.toString(current + 1000)).build()),
                KubernetesClientException.class);
        assertThat(e).isNotNull();
        assertThat(e.getCode()).isEqualTo(504);
        assertThat(e.getStatus().getReason()).isEqualTo("Timeout");
        assertThat(e.getStatus().getMessage()).startsWith("Timeout: Too large resource version: " + (current + 1000)
                + ", current: ");
        assertThat(e.getStatus().getDetails().getRetryAfterSeconds()).isEqualTo(1);
        assertThat(e.getStatus().getDetails().getCauses()).singleElement()
                .satisfies(c -> assertThat(c.getReason()).isEqualTo("ResourceVersionTooLarge"));
        noRetries.close();
        // a revision reached while the list waits is served
        long next = cluster.api().store().currentRevision() + 1;
        Thread writer = new Thread(() -> {
            await().pollDelay(Duration.ofMillis(200)).until(() -> true);
            client.configMaps().inNamespace("default").resource(new ConfigMapBuilder().withNewMetadata()
                    .withGenerateName("later-").endMetadata().build()).create();
        });
        writer.start();
        assertThat(client.configMaps().inNamespace("default")
                .list(new ListOptionsBuilder().withResourceVersion(Long.toString(next)).build()).getMetadata()
                .getResourceVersion()).isNotNull();
    }

    @Test
    void theRequestLogHasALinePerRequest() {
        requestLog.clear();
        client.configMaps().inNamespace("default").withName("absent-for-the-log").get();
        await().atMost(Duration.ofSeconds(5)).until(() -> requestLog.stream().anyMatch(l -> l.contains("absent-for-the-log")));
        String line = requestLog.stream().filter(l -> l.contains("absent-for-the-log")).findFirst().orElseThrow();
        assertThat(line).matches("\"HTTP\" verb=\"GET\" URI=\"/api/v1/namespaces/default/configmaps/absent-for-the-log\" "
                + "latency=\"[0-9.]+ms\" userAgent=\"fabric8-kubernetes-client/[^\"]+\" srcIP=\"127\\.0\\.0\\.1:[0-9]+\" resp=404");
    }
}
