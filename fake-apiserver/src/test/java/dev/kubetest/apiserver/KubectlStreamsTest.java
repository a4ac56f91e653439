package dev.kubetest.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubetest.apiserver.support.Kubectl;
import dev.kubetest.apiserver.support.TestServer;
import dev.kubetest.core.KubeCluster;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** kubectl cp both ways (tar over exec, binary-safe) and exec with stdin as a shell script. */
class KubectlStreamsTest {
    static TestServer server;
    static KubernetesClient client;

    @BeforeAll
    static void start() {
        server = new TestServer(KubeCluster.builder().timeMode(KubeCluster.TimeMode.AUTO));
        client = server.fabric8();
        server.runShellPod("box", "mkdir -p /srv/site/css; echo '<h1>home</h1>' > /srv/site/index.html;"
                + " echo 'p{}' > /srv/site/css/a.css; sleep infinity");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void cpCopiesAFileIntoThePodAndBackByteForByte(@TempDir Path dir) throws Exception {
        byte[] binary = new byte[70_000];
        new Random(7).nextBytes(binary);
        Path local = dir.resolve("blob.bin");
        Files.write(local, binary);
        Kubectl k = server.kubectl();
        k.run("cp", local.toString(), "box:/tmp/blob.bin").ok();
        assertThat(server.cluster().container("default", "box", "shell").readFile("/tmp/blob.bin")).hasValue(binary);
        assertThat(k.run("exec", "box", "--", "wc", "-c", "/tmp/blob.bin").ok().out().trim()).startsWith("70000");

        Path back = dir.resolve("back.bin");
        Kubectl.Result from = k.run("cp", "box:/tmp/blob.bin", back.toString()).ok();
        assertThat(from.out()).isEqualTo("tar: removing leading '/' from member names\n");
        assertThat(Files.readAllBytes(back)).isEqualTo(binary);
    }

    @Test
    void cpIntoAnExistingDirectoryKeepsTheFileName(@TempDir Path dir) throws Exception {
        Path local = dir.resolve("notes.txt");
        Files.writeString(local, "grüße\n");
        Kubectl k = server.kubectl();
        k.run("cp", local.toString(), "box:/tmp").ok();
        assertThat(k.run("exec", "box", "--", "cat", "/tmp/notes.txt").ok().out()).isEqualTo("grüße\n");
    }

    @Test
    void cpCopiesDirectoriesBothWays(@TempDir Path dir) throws Exception {
        Kubectl k = server.kubectl();
        Path site = dir.resolve("site");
        k.run("cp", "box:/srv/site", site.toString()).ok();
        assertThat(Files.readString(site.resolve("index.html"))).isEqualTo("<h1>home</h1>\n");
        assertThat(Files.readString(site.resolve("css/a.css"))).isEqualTo("p{}\n");

        Path conf = Files.createDirectories(dir.resolve("conf/nested"));
        Files.writeString(conf.resolve("app.yaml"), "replicas: 2\n");
        k.run("cp", dir.resolve("conf").toString(), "box:/etc/app").ok();
        assertThat(k.run("exec", "box", "--", "cat", "/etc/app/nested/app.yaml").ok().out()).isEqualTo("replicas: 2\n");
    }

    @Test
    void cpOfAMissingFileReportsTarsErrorAsUpstream(@TempDir Path dir) {
        // kubectl shows the remote tar's complaint on stdout and, as upstream, still exits 0
        Kubectl.Result r = server.kubectl().run("cp", "box:/no/such/file", dir.resolve("x").toString()).ok();
        // tar writes its two complaints separately, and under load kubectl has exited before the second reached
        // its output (seen once in CI): the first line is certain, the later ones may be missing
        assertThat(r.out()).startsWith("tar: removing leading '/' from member names\n");
        assertThat(r.out().lines()).isSubsetOf("tar: removing leading '/' from member names",
                "tar: /no/such/file: No such file or directory", "tar: error exit delayed from previous errors");
        assertThat(dir.resolve("x")).doesNotExist();
    }

    @Test
    void execWithStdinRunsAShellScriptLineByLine() {
        Kubectl.Result r = server.kubectl().runWithInput("x=6\ncd /srv/site\necho $((x * 7)) $(pwd)\nexit 3\necho never\n",
                "exec", "-i", "box", "--", "sh");
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.out()).isEqualTo("42 /srv/site\n");
    }

    @Test
    void execWithoutATerminalWarnsAndRunsPlain() {
        Kubectl.Result r = server.kubectl().runWithInput("echo plain\n", "exec", "-it", "box", "--", "sh");
        assertThat(r.exitCode()).isZero();
        assertThat(r.err()).contains("Unable to use a TTY - input is not a terminal or the right kind of file");
        assertThat(r.out()).isEqualTo("plain\n");
        Kubectl.Result noTty = server.kubectl().run("exec", "box", "--", "stty", "size");
        assertThat(noTty.exitCode()).isEqualTo(1);
        assertThat(noTty.err()).contains("stty: standard input: Not a tty");
    }

    @Test
    void tarRoundTripsInsideThePod() {
        Kubectl.Result r = server.kubectl().run("exec", "box", "--", "sh", "-c",
                "cd /srv && tar czf /tmp/site.tgz site && mkdir /tmp/out && tar xzf /tmp/site.tgz -C /tmp/out && tar tzf /tmp/site.tgz"
                        + " && cat /tmp/out/site/css/a.css");
        assertThat(r.ok().out()).isEqualTo("site/\nsite/css/\nsite/css/a.css\nsite/index.html\np{}\n");
        assertThat(new String(server.cluster().container("default", "box", "shell").readFile("/tmp/out/site/index.html")
                .orElseThrow(), StandardCharsets.UTF_8)).isEqualTo("<h1>home</h1>\n");
    }

    @Test
    void execWithATerminalEchoesShowsPromptsAndEndsWithTheExitCode() throws Exception {
        try (Kubectl.Terminal t = server.kubectl().startInTerminal("exec", "-it", "box", "--", "sh")) {
            t.expect("/ # ").type("cd /srv/site; echo $((6 * 7))\r").expect("42\r\n/srv/site # ");
            assertThat(t.shown()).contains("cd /srv/site; echo $((6 * 7))\r\n");
            t.type("if true\r").expect("> ").type("then echo inside; fi\r").expect("inside\r\n");
            t.type("nosuch\r").expect("sh: nosuch: not found");
            t.type("stty size\r").expect("40 120\r\n");
            t.type("exit 4\r");
            assertThat(t.exitCode()).isEqualTo(4);
        }
    }

    @Test
    void runDashIPipesInputIntoANewPodsShellAndRemovesThePod() {
        Kubectl.Result r = server.kubectl().runWithInput("echo from-run $HOSTNAME\nexit 0\n",
                "run", "runner", "-i", "--rm", "--restart=Never", "--image=busybox", "--", "sh");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("from-run runner").contains("pod \"runner\" deleted");
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() ->
                client.pods().inNamespace("default").withName("runner").get() == null);
    }

    @Test
    void runDashItGivesAnInteractiveShell() throws Exception {
        try (Kubectl.Terminal t = server.kubectl().startInTerminal("run", "tty-box", "-it", "--rm", "--restart=Never",
                "--image=busybox")) {
            t.expect("If you don't see a command prompt, try pressing enter.").type("\r").expect("/ # ");
            t.type("echo typed > /tmp/t; cat /tmp/t\r").expect("typed\r\n");
            t.type("exit\r");
            t.expect("pod \"tty-box\" deleted");
            assertThat(t.exitCode()).isZero();
        }
    }

    @Test
    void attachWithStdinTypesIntoTheMainProcess() {
        client.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName("listener").endMetadata()
                .withNewSpec().withRestartPolicy("Never").addNewContainer().withName("sh").withImage("busybox")
                .withStdin(true).withStdinOnce(true).endContainer().endSpec().build()).create();
        client.pods().inNamespace("default").withName("listener").waitUntilReady(30, TimeUnit.SECONDS);
        Kubectl.Result r = server.kubectl().runWithInput("echo attached-input\nexit 5\n", "attach", "-i", "listener");
        assertThat(r.out()).contains("attached-input");
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() ->
                "Failed".equals(client.pods().inNamespace("default").withName("listener").get().getStatus().getPhase()));
        assertThat(client.pods().inNamespace("default").withName("listener").get().getStatus().getContainerStatuses().get(0)
                .getState().getTerminated().getExitCode()).isEqualTo(5);
    }

    @Test
    void execAndCpOverSpdyAsOlderKubectlsSpeakThem(@TempDir Path dir) throws Exception {
        Kubectl spdy = server.kubectl().withEnv("KUBECTL_REMOTE_COMMAND_WEBSOCKETS", "false");
        Kubectl.Result r = spdy.run("exec", "box", "--", "sh", "-c", "echo out; echo err >&2; exit 3");
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.out()).isEqualTo("out\n");
        assertThat(r.err()).contains("err\n").contains("command terminated with exit code 3");
        assertThat(spdy.runWithInput("a\nb\nc\n", "exec", "-i", "box", "--", "wc", "-l").ok().out().trim()).isEqualTo("3");

        byte[] binary = new byte[20_000];
        new Random(11).nextBytes(binary);
        Files.write(dir.resolve("in.bin"), binary);
        spdy.run("cp", dir.resolve("in.bin").toString(), "box:/tmp/spdy.bin").ok();
        spdy.run("cp", "box:/tmp/spdy.bin", dir.resolve("out.bin").toString()).ok();
        assertThat(Files.readAllBytes(dir.resolve("out.bin"))).isEqualTo(binary);
    }

    @Test
    void execWithATerminalOverSpdy() throws Exception {
        try (Kubectl.Terminal t = server.kubectl().withEnv("KUBECTL_REMOTE_COMMAND_WEBSOCKETS", "false")
                .startInTerminal("exec", "-it", "box", "--", "sh")) {
            t.expect("/ # ").type("echo $((2 + 3))\r").expect("5\r\n");
            t.type("exit 2\r");
            assertThat(t.exitCode()).isEqualTo(2);
        }
    }

    @Test
    void kubectl128SpeaksSpdyForExecAndCp(@TempDir Path dir) throws Exception {
        try (dev.kubetest.apiserver.ApiServer older = dev.kubetest.apiserver.ApiServer.builder(server.cluster()).version("1.28.15").start()) {
            Kubectl k128 = new Kubectl(older.writeKubeconfig(dir.resolve("kubeconfig")), dir.resolve("cache"));
            assertThat(k128.run("version").ok().out()).as("the dispatcher runs kubectl 1.28").contains("Client Version: v1.28.");
            assertThat(k128.runWithInput("echo $((40 + 2))\n", "exec", "-i", "box", "--", "sh").ok().out()).isEqualTo("42\n");
            Files.writeString(dir.resolve("f.txt"), "via 1.28\n");
            k128.run("cp", dir.resolve("f.txt").toString(), "box:/tmp/f128.txt").ok();
            assertThat(k128.run("exec", "box", "--", "cat", "/tmp/f128.txt").ok().out()).isEqualTo("via 1.28\n");
        }
    }
}
