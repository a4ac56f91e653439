package dev.kubetest.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The first boot in fresh JVMs, with and without the class-data-sharing archive that {@code mvn package} writes
 * beside the standalone jar ({@code fake-apiserver/target/kubetest-server.jsa}), run interleaved so that both see
 * the same machine. Each round starts, per configuration, one JVM that runs {@link BootForExternalClient} (the first
 * request comes from this JVM's warm client, as kubectl's would), one that runs {@link BootAndLatencyBenchmark}
 * with {@code --boot-only} (client in the same JVM), both on the class path {@code kubetest-server.jar:<this
 * module>}, and standalone servers timed from the {@code java} command to their {@code KubeTest ready} line. Prints min / median / max per
 * configuration. Run from the project root after {@code mvn -DskipTests install}:
 * {@code mvn -q -pl benchmarks exec:exec -Dexec.args="-classpath %classpath dev.kubetest.benchmarks.FreshJvmBoots 5"}
 * (the argument: rounds).
 */
public final class FreshJvmBoots {
    private static final Pattern BOOT = Pattern.compile(
            "first cluster in a fresh JVM ([0-9.]+) ms, second cluster in the same JVM ([0-9.]+) ms");

    private FreshJvmBoots() {}

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        Path root = projectRoot();
        Path jar = root.resolve("fake-apiserver/target/kubetest-server.jar");
        Path archive = root.resolve("fake-apiserver/target/kubetest-server.jsa");
        if (!Files.exists(jar) || !Files.exists(archive)) {
            throw new IllegalStateException("run `mvn -DskipTests package` first: " + jar + " and " + archive);
        }
        String own = Path.of(FreshJvmBoots.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        String classPath = jar + java.io.File.pathSeparator + own;
        Map<String, List<Double>> figures = new LinkedHashMap<>();
        HttpClient client = BootAndLatencyBenchmark.client();
        for (String mode : List.of("http", "https")) {
            // not counted: the client's own first connections (and its TLS stack) warm up here
            List<String> cmd = java("C1", false, archive);
            cmd.addAll(List.of("-cp", classPath, BootForExternalClient.class.getName(), mode));
            external(cmd, client);
        }
        for (int round = 0; round < rounds; round++) {
            for (String mode : List.of("http", "https")) {
                for (String jit : List.of("C1", "default JIT")) {
                    for (boolean cds : List.of(false, true)) {
                        String name = (mode.equals("http") ? "plain HTTP" : "HTTPS") + ", " + jit + (cds ? ", archive" : "");
                        List<String> ext = java(jit, cds, archive);
                        ext.addAll(List.of("-cp", classPath, BootForExternalClient.class.getName(), mode));
                        double[] boots = external(ext, client);
                        figures.computeIfAbsent(name + ", client in another JVM | first", k -> new ArrayList<>()).add(boots[0]);
                        figures.computeIfAbsent(name + ", client in another JVM | second", k -> new ArrayList<>()).add(boots[1]);
                        List<String> cmd = java(jit, cds, archive);
                        cmd.addAll(List.of("-cp", classPath, BootAndLatencyBenchmark.class.getName(), mode, "--boot-only"));
                        Matcher m = BOOT.matcher(run(cmd));
                        if (!m.find()) {
                            throw new IllegalStateException("no boot figures from " + cmd);
                        }
                        figures.computeIfAbsent(name + " | first", k -> new ArrayList<>()).add(Double.parseDouble(m.group(1)));
                        figures.computeIfAbsent(name + " | second", k -> new ArrayList<>()).add(Double.parseDouble(m.group(2)));
                    }
                }
            }
            for (boolean http : List.of(true, false)) {
                for (boolean cds : List.of(false, true)) {
                    String name = "java -jar kubetest-server.jar" + (http ? " --http" : "") + (cds ? ", archive" : "");
                    figures.computeIfAbsent(name + " | JVM start to ready line", k -> new ArrayList<>())
                            .add(standalone(jar, archive, cds, http));
                }
            }
        }
        System.out.printf(Locale.ROOT, "%d rounds, %d cores%n", rounds, Runtime.getRuntime().availableProcessors());
        for (Map.Entry<String, List<Double>> e : figures.entrySet()) {
            List<Double> v = new ArrayList<>(e.getValue());
            Collections.sort(v);
            System.out.printf(Locale.ROOT, "%-70s min %6.1f  median %6.1f  max %6.1f ms%n",
                    e.getKey(), v.get(0), v.get((v.size() - 1) / 2), v.get(v.size() - 1));
        }
    }

    /**
     * Runs a {@link BootForExternalClient}: for each of its two clusters, the time from its {@code new} (wall
     * clock, printed by the child) to the answer of this process's GET /version, in milliseconds.
     */
    private static double[] external(List<String> cmd, HttpClient client) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            java.io.Writer in = new java.io.OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8);
            double[] boots = new double[2];
            int n = 0;
            String line;
            while (n < 2 && (line = out.readLine()) != null) {
                if (!line.startsWith("READY ")) {
                    continue;
                }
                String[] parts = line.split(" ");
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(parts[1] + "/version")).build(),
                        HttpResponse.BodyHandlers.ofString());
                java.time.Instant answered = java.time.Instant.now();
                if (r.statusCode() != 200) {
                    throw new IllegalStateException("/version answered " + r.statusCode());
                }
                long nanos = answered.getEpochSecond() * 1_000_000_000L + answered.getNano() - Long.parseLong(parts[2]);
                boots[n++] = nanos / 1e6;
                in.write("\n");
                in.flush();
            }
            if (n < 2 || p.waitFor() != 0) {
                throw new IllegalStateException(cmd + " ended early, exit " + p.waitFor());
            }
            return boots;
        } finally {
            p.destroyForcibly();
        }
    }

    private static List<String> java(String jit, boolean cds, Path archive) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        if (jit.equals("C1")) {
            cmd.add("-XX:TieredStopAtLevel=1");
        }
        if (cds) {
            // -Xshare:on: a run that could not map the archive fails instead of being counted as one that did
            cmd.addAll(List.of("-Xshare:on", "-XX:SharedArchiveFile=" + archive));
        }
        return cmd;
    }

    private static String run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException(cmd + " exited with " + p.exitValue() + ":\n" + out);
        }
        return out;
    }

    /** Milliseconds from starting {@code java -jar kubetest-server.jar} to its ready line. */
    private static double standalone(Path jar, Path archive, boolean cds, boolean http) throws Exception {
        Path dir = Files.createTempDirectory("kubetest-boot");
        List<String> cmd = java("default JIT", cds, archive);
        cmd.addAll(List.of("-jar", jar.toString(), "--kubeconfig", dir.resolve("kubeconfig").toString()));
        if (http) {
            cmd.add("--http");
        }
        long start = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("KubeTest ready")) {
                    return (System.nanoTime() - start) / 1e6;
                }
            }
            throw new IllegalStateException("the server ended without a ready line: " + cmd);
        } finally {
            p.destroy();
            p.waitFor(20, TimeUnit.SECONDS);
            p.destroyForcibly();
            Files.deleteIfExists(dir.resolve("kubeconfig"));
            Files.deleteIfExists(dir);
        }
    }

    private static Path projectRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("fake-apiserver/pom.xml"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("run from inside the KubeTest project");
        }
        return dir;
    }
}
