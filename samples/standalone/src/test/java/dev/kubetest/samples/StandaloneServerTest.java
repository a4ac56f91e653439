package dev.kubetest.samples;

import static dev.kubetest.samples.ChildProcesses.outputOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's main job: {@code java -jar fake-apiserver/target/kubetest-server.jar samples/manifests/hello.yaml}
 * boots, applies the sample, prints its ready line, serves clients, and stops cleanly on SIGTERM.
 */
class StandaloneServerTest {
    private static final Path JAR = Path.of("..", "..", "fake-apiserver", "target", "kubetest-server.jar");

    private static final Path ARCHIVE = Path.of("..", "..", "fake-apiserver", "target", "kubetest-server.jsa");

    private static Process launch(Path dir, String... args) throws Exception {
        return launch(java.util.List.of(), args);
    }

    private static Process launch(java.util.List<String> jvmOptions, String... args) throws Exception {
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of(javaBin));
        cmd.addAll(jvmOptions);
        cmd.addAll(java.util.List.of("-jar", JAR.toString()));
        cmd.addAll(java.util.List.of(args));
        return new ProcessBuilder(cmd).directory(Path.of("").toAbsolutePath().toFile()).redirectErrorStream(true).start();
    }

    /** The first line that starts with {@code KubeTest ready}, or null when the process ends without one. */
    private static String readyLine(Process p) throws java.io.IOException {
        return readyLine(new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)));
    }

    private static String readyLine(BufferedReader out) throws java.io.IOException {
        String line;
        while ((line = out.readLine()) != null) {
            if (line.startsWith("KubeTest ready")) {
                return line;
            }
        }
        return null;
    }

    @Test
    void bootsAppliesTheSampleAndStopsOnSigterm(@TempDir Path dir) throws Exception {
        assertThat(JAR).as("run `mvn package` first: the shaded jar").exists();
        Path kubeconfig = dir.resolve("kubeconfig");
        Process p = launch(dir, "--kubeconfig", kubeconfig.toString(), "--nodes", "2", "--time", "auto", "../manifests/hello.yaml");
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String ready = readyLine(out);
            assertThat(ready).isNotNull().startsWith("KubeTest ready at https://127.0.0.1:")
                    .contains(kubeconfig.toAbsolutePath().toString());
            try (KubernetesClient client = new KubernetesClientBuilder()
                    .withConfig(Config.fromKubeconfig(Files.readString(kubeconfig))).build()) {
                assertThat(client.configMaps().inNamespace("hello").withName("hello-config").get().getData())
                        .containsEntry("greeting", "Hello from KubeTest");
                assertThat(client.nodes().list().getItems()).hasSize(2);
                // what the README says the sample shows: two nginx pods serving the ConfigMap's page, ready; the greeter's log
                client.apps().deployments().inNamespace("hello").withName("web").waitUntilCondition(d ->
                        d != null && d.getStatus() != null && Integer.valueOf(2).equals(d.getStatus().getAvailableReplicas()),
                        30, TimeUnit.SECONDS);
                java.util.List<io.fabric8.kubernetes.api.model.Pod> web = client.pods().inNamespace("hello")
                        .withLabel("tier", "web").list().getItems();
                assertThat(web).hasSize(2);
                assertThat(client.pods().inNamespace("hello").withName(web.get(0).getMetadata().getName()).inContainer("nginx")
                        .file("/usr/share/nginx/html/index.html").read())
                        .asString(StandardCharsets.UTF_8).contains("<h1>Hello from KubeTest</h1>");
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                        client.pods().inNamespace("hello").withName("greeter").getLog()).contains("Hello from KubeTest at "));
            }
            p.toHandle().destroy(); // SIGTERM; Process.destroy would also close our end of its output
            assertThat(p.waitFor(20, TimeUnit.SECONDS)).as("exits after SIGTERM").isTrue();
            assertThat(p.exitValue()).isIn(0, 143);
            assertThat(out.readLine()).isEqualTo("KubeTest stopped (kubeconfig " + kubeconfig.toAbsolutePath() + " removed)");
            assertThat(kubeconfig).as("no kubeconfig pointing at a dead port is left").doesNotExist();
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void keepsTheKubeconfigWhenAskedAndLogsRequests(@TempDir Path dir) throws Exception {
        Path kubeconfig = dir.resolve("kubeconfig");
        Process p = launch(dir, "--kubeconfig", kubeconfig.toString(), "--keep-kubeconfig", "--log-requests", "--http");
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            assertThat(readyLine(out)).startsWith("KubeTest ready at http://127.0.0.1:");
            try (KubernetesClient client = new KubernetesClientBuilder()
                    .withConfig(Config.fromKubeconfig(Files.readString(kubeconfig))).build()) {
                assertThat(client.namespaces().withName("no-such-namespace").get()).isNull();
            }
            String logged;
            do {
                logged = out.readLine();
            } while (logged != null && !logged.contains("no-such-namespace"));
            assertThat(logged).startsWith("\"HTTP\" verb=\"GET\" URI=\"/api/v1/namespaces/no-such-namespace\"")
                    .contains("userAgent=\"fabric8-kubernetes-client/").endsWith("resp=404");
            p.toHandle().destroy();
            assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
            String last = null;
            for (String line; (line = out.readLine()) != null; ) {
                last = line;
            }
            assertThat(last).isEqualTo("KubeTest stopped (kubeconfig kept: " + kubeconfig.toAbsolutePath() + ")");
            assertThat(kubeconfig).exists();
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void helpPrintsTheUsageAndAPortInUseIsOneLine(@TempDir Path dir) throws Exception {
        Process help = launch(dir, "--help");
        String helpOut = outputOf(help, 20);
        assertThat(help.exitValue()).isZero();
        assertThat(helpOut).startsWith("usage: kubetest-server ").contains("--log-requests").contains("--keep-kubeconfig");

        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            Process busy = launch(dir, "--port", Integer.toString(taken.getLocalPort()), "--kubeconfig",
                    dir.resolve("k").toString());
            String busyOut = outputOf(busy, 20).trim();
            assertThat(busy.exitValue()).isNotZero();
            assertThat(busyOut).isEqualTo("kubetest-server: cannot listen on 127.0.0.1:" + taken.getLocalPort()
                    + ": address already in use");
        }
    }

    /**
     * {@code mvn package} leaves a class-data-sharing archive beside the jar (ClassDataTraining); the README's
     * command maps it. {@code -Xshare:on} makes the JVM refuse to start when the archive does not fit the jar, the
     * class-load log says where the boot's classes came from, and fabric8 reads the applied sample over HTTPS.
     */
    @Test
    void bootsFromTheClassDataArchiveThePackageBuilt(@TempDir Path dir) throws Exception {
        assertThat(JAR).as("run `mvn package` first: the shaded jar").exists();
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(ARCHIVE),
                "no class-data archive: the build ran with -Dkubetest.cds.skip=true");
        Path classes = dir.resolve("classes.log");
        Path kubeconfig = dir.resolve("kubeconfig");
        Process p = launch(java.util.List.of("-Xshare:on", "-XX:SharedArchiveFile=" + ARCHIVE,
                        "-Xlog:class+load=info:file=" + classes),
                "--kubeconfig", kubeconfig.toString(), "../manifests/hello.yaml");
        try {
            assertThat(readyLine(p)).isNotNull().contains("https://127.0.0.1:");
            try (KubernetesClient client = new KubernetesClientBuilder()
                    .withConfig(Config.fromKubeconfig(Files.readString(kubeconfig))).build()) {
                assertThat(client.configMaps().inNamespace("hello").withName("hello-config").get().getData())
                        .containsEntry("greeting", "Hello from KubeTest");
            }
            java.util.List<String> log = Files.readAllLines(classes);
            for (String cls : java.util.List.of("dev.kubetest.core.KubeCluster", "dev.kubetest.apiserver.ApiServer",
                    "io.netty.channel.nio.NioEventLoop", "com.fasterxml.jackson.core.JsonFactory")) {
                assertThat(log).as(cls).anyMatch(l -> l.contains(" " + cls + " source: shared objects file"));
            }
            long fromJar = log.stream().filter(l -> l.contains("source: file:") && l.contains("kubetest-server.jar")).count();
            long shared = log.stream().filter(l -> l.contains("source: shared objects file (top)")).count();
            assertThat(shared).as("classes mapped from the archive").isGreaterThan(1000);
            assertThat(fromJar).as("classes still read from the jar").isLessThan(shared / 10);
            p.destroy();
            assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void badFlagsAndUnreadableManifestsExitWithOneLine(@TempDir Path dir) throws Exception {
        Process badFlag = launch(dir, "--bogus");
        String flagOut = outputOf(badFlag, 20).trim();
        assertThat(badFlag.exitValue()).isNotZero();
        assertThat(flagOut).isEqualTo("kubetest-server: unknown flag --bogus");

        Process badTime = launch(dir, "--time", "sometimes");
        String timeOut = outputOf(badTime, 20).trim();
        assertThat(badTime.exitValue()).isNotZero();
        assertThat(timeOut).isEqualTo("kubetest-server: --time must be real, real:SPEED, auto or manual, got \"sometimes\"");

        Process missing = launch(dir, "--kubeconfig", dir.resolve("k").toString(), "no/such/file.yaml");
        String missingOut = outputOf(missing, 20).trim();
        assertThat(missing.exitValue()).isNotZero();
        assertThat(missingOut).isEqualTo("kubetest-server: cannot read manifest no/such/file.yaml: no such file or directory");

        Path broken = Files.writeString(dir.resolve("broken.yaml"), "kind: [unclosed\n");
        Process bad = launch(dir, "--kubeconfig", dir.resolve("k").toString(), broken.toString());
        String badOut = outputOf(bad, 20).trim();
        assertThat(bad.exitValue()).isNotZero();
        assertThat(badOut).startsWith("kubetest-server: cannot read manifest " + broken).doesNotContain("\n");
    }
}
