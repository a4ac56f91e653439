package dev.kubetest.apiserver;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The training run behind the standalone server's class-data-sharing archive. The build runs it once after
 * packaging, as {@code java -XX:ArchiveClassesAtExit=kubetest-server.jsa -cp kubetest-server.jar
 * dev.kubetest.apiserver.ClassDataTraining}: it does what the main job does (boot, apply manifests, serve HTTPS and
 * plain HTTP) and answers the requests clients start with, so that the archive holds the classes a first boot
 * loads, already parsed and verified. A JVM started with {@code -XX:SharedArchiveFile=kubetest-server.jsa} then
 * maps them instead of loading them from the jar (see BENCHMARKS.md). Test JVMs, whose class path starts with
 * directories the JDK does not archive, train it with the jar on the boot class path and an empty class path
 * instead (the README's recipe). It changes nothing outside a temporary directory, which it deletes.
 */
public final class ClassDataTraining {
    private static final String MANIFEST = "class-data-training.yaml";

    private ClassDataTraining() {}

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("kubetest-training");
        try {
            Path manifest = dir.resolve(MANIFEST);
            try (InputStream in = ClassDataTraining.class.getResourceAsStream(MANIFEST)) {
                Files.copy(in, manifest);
            }
            for (boolean http : new boolean[] {false, true}) {
                List<String> flags = new ArrayList<>(List.of("--kubeconfig", dir.resolve("kubeconfig").toString()));
                if (http) {
                    flags.add("--http");
                }
                flags.add(manifest.toString());
                try (Main.Running running = Main.start(Main.parse(flags.toArray(String[]::new)))) {
                    requests(running.server());
                }
            }
        } finally {
            try (var files = Files.list(dir)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    Files.deleteIfExists(f);
                }
            }
            Files.deleteIfExists(dir);
        }
        System.exit(0);
    }

    /**
     * The requests kubectl and the Java clients begin with: version, discovery, reads, a table, a create. Sent with
     * {@code java.net.HttpURLConnection}: the training also runs with KubeTest on the boot class path, whose
     * classes see only the modules of the boot loader ({@code java.net.http} is not one).
     */
    private static void requests(ApiServer server) throws Exception {
        javax.net.ssl.SSLSocketFactory tls = server.isTls() ? trusting(server).getSocketFactory() : null;
        String base = server.url();
        String json = "application/json";
        String table = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json";
        for (String[] r : new String[][] {
                {"GET", "/version", json}, {"GET", "/api", json}, {"GET", "/apis", json}, {"GET", "/api/v1", json},
                {"GET", "/api/v1/namespaces/training/pods", json}, {"GET", "/api/v1/namespaces/training/pods", table},
                {"GET", "/api/v1/namespaces/training/configmaps/settings", json},
                {"POST", "/api/v1/namespaces/training/configmaps", json},
                {"GET", "/api/v1/namespaces/training/configmaps?labelSelector=app%3Dtraining&limit=1", json},
                {"GET", "/api/v1/nodes", table}}) {
            HttpURLConnection c = (HttpURLConnection) URI.create(base + r[1]).toURL().openConnection();
            if (c instanceof HttpsURLConnection https) {
                https.setSSLSocketFactory(tls);
            }
            c.setRequestMethod(r[0]);
            c.setRequestProperty("Accept", r[2]);
            if (r[0].equals("POST")) {
                c.setDoOutput(true);
                c.setRequestProperty("Content-Type", json);
                try (OutputStream out = c.getOutputStream()) {
                    out.write(("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"generateName\":"
                            + "\"trained-\"},\"data\":{\"k\":\"v\"}}").getBytes(StandardCharsets.UTF_8));
                }
            }
            int status = c.getResponseCode();
            if (status >= 300) {
                throw new IOException(r[0] + " " + r[1] + " answered " + status);
            }
            try (InputStream in = c.getInputStream()) {
                in.readAllBytes();
            }
        }
    }

    /** A client context that trusts the cluster's CA, as a kubeconfig makes clients do. */
    private static SSLContext trusting(ApiServer server) throws Exception {
        SSLContext ssl = SSLContext.getInstance("TLS");
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        trust.setCertificateEntry("kubetest-ca", server.certificateAuthority().caCertificate());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        ssl.init(null, tmf.getTrustManagers(), null);
        return ssl;
    }
}
