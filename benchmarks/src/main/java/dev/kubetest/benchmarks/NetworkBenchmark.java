package dev.kubetest.benchmarks;

import dev.kubetest.core.KubeCluster;
import dev.kubetest.core.network.LocalPortForward;
import dev.kubetest.core.network.PodNetwork;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The network issue's figures (issue #25): HTTP requests per second from a pod to a Service inside the simulation
 * (through the Java API, DNS name and cluster IP; and through a Gateway's HTTPRoute), and from a real HTTP client
 * through a local port-forward ({@code cluster.portForward}) and through {@code kubectl port-forward} when kubectl
 * is on the PATH. Each figure: a warm-up, then five rounds of a fixed number of sequential requests; the median
 * round is printed.
 */
public final class NetworkBenchmark {
    private NetworkBenchmark() {}

    private static final String APP = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web}
            spec:
              replicas: 3
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec:
                  containers: [{name: nginx, image: nginx:1.27, ports: [{name: http, containerPort: 80}]}]
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: web}
            spec:
              selector: {app: web}
              ports: [{port: 80, targetPort: http}]
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: client}
            spec: {containers: [{name: c, image: busybox:1.36, command: [sleep, "36000"]}]}
            """;

    public static void main(String[] args) throws Exception {
        try (KubeCluster cluster = KubeCluster.builder().timeMode(KubeCluster.TimeMode.AUTO).build()) {
            cluster.apply(APP, "default");
            waitReady(cluster);
            PodNetwork.Client client = cluster.network().from("default", "client");
            String ip = cluster.api().get(cluster.registry().find("", "v1", "services").orElseThrow(), "default", "web")
                    .path("spec").path("clusterIP").asText();
            report("pod -> Service by name (http://web/)", 2_000, () -> check(client.get("http://web/").body()));
            report("pod -> Service by cluster IP", 2_000, () -> check(client.get("http://" + ip + "/").body()));
            report("outside -> pod address", 2_000, () -> check(cluster.network().fromOutside()
                    .get("http://" + cluster.api().lists().list(cluster.registry().find("", "v1", "pods").orElseThrow(), "default",
                            dev.kubetest.core.meta.ListOptions.labels("app=web")).items().get(0).path("status").path("podIP").asText() + "/")
                    .body()));
            gateway(cluster);
            HttpClient http = HttpClient.newHttpClient();
            try (LocalPortForward forward = cluster.portForward("default", "svc/web", 80)) {
                URI uri = forward.uri("/");
                report("java.net.http -> cluster.portForward (keep-alive)", 2_000, () -> check(http.send(HttpRequest.newBuilder(uri).build(),
                        HttpResponse.BodyHandlers.ofString()).body()));
            }
            kubectlPortForward(cluster, http);
        }
    }

    private static void gateway(KubeCluster cluster) throws Exception {
        cluster.installGatewayApi();
        cluster.apply("""
                apiVersion: gateway.networking.k8s.io/v1
                kind: GatewayClass
                metadata: {name: kubetest}
                spec: {controllerName: kubetest.dev/gateway-controller}
                ---
                apiVersion: gateway.networking.k8s.io/v1
                kind: Gateway
                metadata: {name: gw}
                spec: {gatewayClassName: kubetest, listeners: [{name: http, protocol: HTTP, port: 80}]}
                ---
                apiVersion: gateway.networking.k8s.io/v1
                kind: HTTPRoute
                metadata: {name: web}
                spec:
                  parentRefs: [{name: gw}]
                  hostnames: [web.example.com]
                  rules: [{backendRefs: [{name: web, port: 80}]}]
                """, "default");
        PodNetwork.Client outside = cluster.network().fromOutside();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                if (outside.get("http://web.example.com/").status() == 200) {
                    break;
                }
            } catch (RuntimeException e) {
                // not yet programmed
            }
            if (System.nanoTime() > until) {
                throw new IllegalStateException("the Gateway was not programmed");
            }
            Thread.onSpinWait();
        }
        report("outside -> Gateway HTTPRoute -> Service", 2_000, () -> check(outside.get("http://web.example.com/").body()));
    }

    private static void kubectlPortForward(KubeCluster cluster, HttpClient http) throws Exception {
        String kubectl = null;
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (java.nio.file.Files.isExecutable(java.nio.file.Path.of(dir, "kubectl"))) {
                kubectl = java.nio.file.Path.of(dir, "kubectl").toString();
            }
        }
        if (kubectl == null) {
            System.out.println("kubectl port-forward: skipped, no kubectl on the PATH");
            return;
        }
        try (var server = dev.kubetest.apiserver.ApiServer.builder(cluster).start()) {
            java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("kubetest-bench-");
            java.nio.file.Path config = dir.resolve("kubeconfig");
            java.nio.file.Files.writeString(config, server.kubeconfig());
            int port;
            try (var s = new java.net.ServerSocket(0)) {
                port = s.getLocalPort();
            }
            ProcessBuilder pb = new ProcessBuilder(kubectl, "--kubeconfig", config.toString(), "port-forward", "svc/web", port + ":80");
            pb.environment().put("KUBECACHEDIR", dir.resolve("cache").toString());
            pb.redirectErrorStream(true);
            Process p = pb.start();
            try {
                var out = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream()));
                String line = out.readLine();
                if (line == null || !line.startsWith("Forwarding from")) {
                    System.out.println("kubectl port-forward: did not start: " + line);
                    return;
                }
                URI uri = URI.create("http://127.0.0.1:" + port + "/");
                report("java.net.http -> kubectl port-forward svc/web (SPDY through the API server)", 500,
                        () -> check(http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()).body()));
            } finally {
                p.destroy();
                p.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private interface Request {
        void run() throws Exception;
    }

    private static void check(String body) {
        if (!body.contains("Welcome to nginx!")) {
            throw new IllegalStateException("unexpected answer: " + body);
        }
    }

    /** Prints the median of five rounds of {@code n} sequential requests, after a warm-up round. */
    private static void report(String what, int n, Request request) throws Exception {
        for (int i = 0; i < n; i++) {
            request.run();
        }
        List<Double> rates = new ArrayList<>();
        for (int round = 0; round < 5; round++) {
            long start = System.nanoTime();
            for (int i = 0; i < n; i++) {
                request.run();
            }
            rates.add(n / ((System.nanoTime() - start) / 1e9));
        }
        rates.sort(Double::compare);
        System.out.printf(Locale.ROOT, "%-80s %,9.0f req/s (rounds %,.0f-%,.0f)%n", what, rates.get(2), rates.get(0), rates.get(4));
    }

    private static boolean ready(com.fasterxml.jackson.databind.JsonNode pod) {
        for (var c : pod.path("status").path("conditions")) {
            if ("Ready".equals(c.path("type").asText()) && "True".equals(c.path("status").asText())) {
                return true;
            }
        }
        return false;
    }

    /** Waits on a watch until the four pods are ready. */
    private static void waitReady(KubeCluster cluster) throws Exception {
        var pods = cluster.registry().find("", "v1", "pods").orElseThrow();
        java.util.Set<String> ready = java.util.concurrent.ConcurrentHashMap.newKeySet();
        java.util.concurrent.CountDownLatch all = new java.util.concurrent.CountDownLatch(1);
        try (AutoCloseable watch = cluster.api().lists().watch(pods, "default", dev.kubetest.core.meta.ListOptions.all(), (type, p) -> {
            String name = p.path("metadata").path("name").asText();
            if (ready(p)) {
                ready.add(name);
            } else {
                ready.remove(name);
            }
            if (ready.size() == 4) {
                all.countDown();
            }
        })) {
            for (var p : cluster.api().lists().list(pods, "default", dev.kubetest.core.meta.ListOptions.all()).items()) {
                if (ready(p)) {
                    ready.add(p.path("metadata").path("name").asText());
                }
            }
            if (ready.size() < 4 && !all.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the pods did not become ready");
            }
        }
    }
}
