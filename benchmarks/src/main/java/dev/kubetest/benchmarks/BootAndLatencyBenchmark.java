package dev.kubetest.benchmarks;

import dev.kubetest.apiserver.ApiServer;
import dev.kubetest.core.KubeCluster;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLContext;

/**
 * Prints the figures of BENCHMARKS.md: time from {@code new} to the first answered request (first cluster in a
 * fresh JVM, then a second one in the same JVM), and median request latencies on loopback. Run it in a fresh JVM:
 * {@code mvn -q -pl benchmarks -am package -DskipTests && mvn -q -pl benchmarks exec:exec}. Arguments: {@code http}
 * for plain HTTP (HTTPS otherwise), {@code --boot-only} to stop after the boot figures ({@link FreshJvmBoots} runs
 * it that way in many fresh JVMs), {@code --no-addons} for clusters without CoreDNS and kube-proxy.
 */
public final class BootAndLatencyBenchmark {
    private BootAndLatencyBenchmark() {}

    public static void main(String[] args) throws Exception {
        java.util.List<String> arguments = java.util.List.of(args);
        boolean tls = !arguments.contains("http");
        boolean bootOnly = arguments.contains("--boot-only");
        noAddons = arguments.contains("--no-addons");
        String scheme = tls ? "HTTPS" : "plain HTTP";
        // The client is built before the clock starts: its own start-up is not the server's. Its warm-up also loads
        // and warms JDK networking code that the server then finds ready (~40 ms of a first boot, measured in
        // session 4); FreshJvmBoots' figures with the client in another JVM have no such help.
        HttpClient http = client();
        warmClient(http);
        long t0 = System.nanoTime();
        Booted first = boot(tls, http);
        double firstMs = (System.nanoTime() - t0) / 1e6;
        long t1 = System.nanoTime();
        Booted second = boot(tls, http);
        double secondMs = (System.nanoTime() - t1) / 1e6;
        System.out.printf(Locale.ROOT, "boot to first answered request, %s: first cluster in a fresh JVM %.1f ms, second cluster in the same JVM %.1f ms%n",
                scheme, firstMs, secondMs);
        second.close();
        // a test suite boots many clusters: the steady state, clusters 3 to 32 (each closed before the next)
        List<Double> later = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            long t = System.nanoTime();
            Booted b = boot(tls, http);
            later.add((System.nanoTime() - t) / 1e6);
            b.close();
        }
        java.util.Collections.sort(later);
        System.out.printf(Locale.ROOT, "boot to first answered request, %s: clusters 3-32 in the same JVM, median %.1f ms, p90 %.1f ms%n",
                scheme, later.get(later.size() / 2), later.get((int) (later.size() * 0.9)));

        if (bootOnly) {
            first.close();
            return;
        }
        String base = first.server.url() + "/api/v1/namespaces/default/configmaps";
        int warmup = 2000;
        int n = 5000;
        for (int i = 0; i < warmup; i++) {
            post(first, base, "warm-" + i);
            get(first, base + "/warm-" + i);
        }
        List<Long> create = new ArrayList<>();
        List<Long> get = new ArrayList<>();
        List<Long> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long s = System.nanoTime();
            post(first, base, "cm-" + i);
            create.add(System.nanoTime() - s);
            s = System.nanoTime();
            get(first, base + "/cm-" + i);
            get.add(System.nanoTime() - s);
        }
        String ns = first.server.url() + "/api/v1/namespaces/kube-public/configmaps";
        for (int i = 0; i < 100; i++) {
            post(first, ns, "small-" + i);
        }
        for (int i = 0; i < 2000; i++) {
            long s = System.nanoTime();
            get(first, ns);
            list.add(System.nanoTime() - s);
        }
        System.out.printf(Locale.ROOT, "median latency, %s keep-alive, one client thread: create %.3f ms, get %.3f ms, list of 100 ConfigMaps %.3f ms (p99: create %.3f, get %.3f, list %.3f)%n",
                scheme, median(create), median(get), median(list), pct(create, 0.99), pct(get, 0.99), pct(list, 0.99));
        first.close();
    }

    private record Booted(KubeCluster cluster, ApiServer server, HttpClient http) {
        void close() {
            server.close();
            cluster.close();
        }
    }

    /** An HTTP/1.1 client that trusts any server certificate (the benchmarks' servers have fresh CAs). */
    static HttpClient client() throws Exception {
        javax.net.ssl.TrustManager trustAll = new javax.net.ssl.X509TrustManager() {
            public void checkClientTrusted(java.security.cert.X509Certificate[] c, String a) { }
            public void checkServerTrusted(java.security.cert.X509Certificate[] c, String a) { }
            public java.security.cert.X509Certificate[] getAcceptedIssuers() {
                return new java.security.cert.X509Certificate[0];
            }
        };
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, new javax.net.ssl.TrustManager[] {trustAll}, null);
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(ssl)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** A few real round trips to a JDK HTTP server on loopback: the client's request and response paths load here. */
    private static void warmClient(HttpClient http) throws Exception {
        com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = "{\"major\":\"1\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            for (int i = 0; i < 3; i++) {
                http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/version"))
                        .build(), HttpResponse.BodyHandlers.ofString());
            }
        } finally {
            server.stop(0);
        }
    }

    /** {@code --no-addons}: clusters without CoreDNS and kube-proxy, to measure what they cost a boot. */
    private static boolean noAddons;

    private static Booted boot(boolean tls, HttpClient http) throws Exception {
        KubeCluster.Builder builder = KubeCluster.builder();
        if (noAddons) {
            builder.withoutController("coredns").withoutController("kube-proxy");
        }
        KubeCluster cluster = builder.build();
        ApiServer.Builder b = ApiServer.builder(cluster);
        if (!tls) {
            b.plainHttp();
        }
        ApiServer server = b.start();
        Booted booted = new Booted(cluster, server, http);
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/version")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("version answered " + r.statusCode());
        }
        return booted;
    }

    private static void post(Booted b, String url, String name) throws Exception {
        HttpResponse<String> r = b.http.send(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"metadata\":{\"name\":\"" + name + "\"},\"data\":{\"k\":\"v\"}}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 201) {
            throw new IllegalStateException("create answered " + r.statusCode() + ": " + r.body());
        }
    }

    private static void get(Booted b, String url) throws Exception {
        HttpResponse<byte[]> r = b.http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("get answered " + r.statusCode());
        }
    }

    private static double median(List<Long> nanos) {
        return pct(nanos, 0.5);
    }

    private static double pct(List<Long> nanos, double p) {
        List<Long> sorted = new ArrayList<>(nanos);
        Collections.sort(sorted);
        return sorted.get((int) Math.min(sorted.size() - 1, Math.floor(p * sorted.size()))) / 1e6;
    }
}
