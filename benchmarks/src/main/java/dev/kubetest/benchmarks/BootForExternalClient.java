package dev.kubetest.benchmarks;

import dev.kubetest.apiserver.ApiServer;
import dev.kubetest.core.KubeCluster;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * The server side of {@link FreshJvmBoots}' external-client figures: boots a cluster and its server (HTTPS, or
 * plain HTTP with the argument {@code http}) and prints {@code READY <url> <wall-clock nanos before new>}, then
 * waits for a line on standard input and does the same for a second cluster (the first still open). The first answered request comes
 * from the warm client of another process, as kubectl's would, so the figure holds no client start-up: not the
 * client's TLS stack either, which a client in the same JVM would start cold beside the server's.
 */
public final class BootForExternalClient {
    private BootForExternalClient() {}

    public static void main(String[] args) throws Exception {
        boolean tls = !java.util.List.of(args).contains("http");
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        java.util.List<AutoCloseable> open = new java.util.ArrayList<>();
        for (int i = 0; i < 2; i++) {
            // wall-clock time: the other JVM stops the clock, and System.nanoTime() is not comparable across JVMs
            Instant before = Instant.now();
            KubeCluster cluster = KubeCluster.builder().build();
            ApiServer.Builder b = ApiServer.builder(cluster);
            if (!tls) {
                b.plainHttp();
            }
            ApiServer server = b.start();
            System.out.println("READY " + server.url() + " " + (before.getEpochSecond() * 1_000_000_000L + before.getNano()));
            System.out.flush();
            in.readLine();
            open.add(cluster);
            open.add(server);
        }
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }
}
