package dev.kubetest.apiserver;

import static dev.kubetest.apiserver.support.ChildProcesses.outputOf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kubetest.apiserver.support.Kubectl;
import dev.kubetest.apiserver.support.TestServer;
import dev.kubetest.core.KubeCluster;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.ExecWatch;
import io.kubernetes.client.Exec;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** pods/exec over WebSocket: kubectl (v5), fabric8 (v4) and client-java, with output, stdin and exit codes. */
class ExecTest {
    static TestServer server;
    static KubernetesClient client;

    @BeforeAll
    static void start() {
        server = new TestServer(KubeCluster.builder().timeMode(KubeCluster.TimeMode.AUTO));
        client = server.fabric8();
        server.runShellPod("box", "echo data > /tmp/file; sleep infinity");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void kubectlExecPrintsOutputPassesStdinAndExitCodes() {
        Kubectl k = server.kubectl();
        Kubectl.Result r = k.run("exec", "box", "--", "sh", "-c", "cat /tmp/file; echo oops >&2").ok();
        assertThat(r.out()).isEqualTo("data\n");
        assertThat(r.err()).contains("oops");
        Kubectl.Result failed = k.run("exec", "box", "--", "sh", "-c", "exit 3");
        assertThat(failed.exitCode()).isEqualTo(3);
        assertThat(failed.err()).contains("command terminated with exit code 3");
        Kubectl.Result stdin = k.runWithInput("line one\nline two\n", "exec", "-i", "box", "--", "wc", "-l").ok();
        assertThat(stdin.out().trim()).isEqualTo("2");
        Kubectl.Result missing = k.run("exec", "box", "--", "nosuch");
        assertThat(missing.exitCode()).isEqualTo(127);
        assertThat(missing.err()).contains("sh: nosuch: not found");
    }

    @Test
    void containerCommandsCanUseTheCommonApplets() {
        Kubectl k = server.kubectl();
        Kubectl.Result r = k.run("exec", "box", "--", "sh", "-c",
                "printf 'b 2\\na 1\\nc 3\\n' > /tmp/in; sort /tmp/in | awk '{s += $2; print $1} END {print s}' "
                        + "| sed -e 's/6/six/' | tr 'a-z' 'A-Z' | xargs echo; basename $(find /tmp -name in); "
                        + "sleep 300 & kill $!; wait $!; echo $?; timeout 1 sleep 5; echo $?");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("A B C SIX\nin\n143\n124\n");
    }

    @Test
    void fabric8ExecReadsOutputAndTheExitCode() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ExecWatch watch = client.pods().inNamespace("default").withName("box").writingOutput(out)
                .exec("sh", "-c", "echo from-fabric8; exit 4")) {
            assertThat(watch.exitCode().get(20, TimeUnit.SECONDS)).isEqualTo(4);
        }
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("from-fabric8\n");
        String read = new String(client.pods().inNamespace("default").withName("box").file("/tmp/file").read().readAllBytes(),
                StandardCharsets.UTF_8);
        assertThat(read).isEqualTo("data\n");
    }

    @Test
    void clientJavaExecRunsAProcess() throws Exception {
        Exec exec = new Exec(server.clientJava());
        Process p = exec.exec("default", "box", new String[] {"sh", "-c", "echo from-client-java"}, "shell", false, false);
        String out = outputOf(p, 20);
        assertThat(out).isEqualTo("from-client-java\n");
        assertThat(p.exitValue()).isZero();
    }

    @Test
    void aProcessWithStdinOpenRunsAtOnceAndReportsItsExit() throws Exception {
        // an archive of one file, as a client uploading files sends it, and stdin left open afterwards
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        try (var out = new org.apache.commons.compress.archivers.tar.TarArchiveOutputStream(tar)) {
            byte[] content = "uploaded\n".getBytes(StandardCharsets.UTF_8);
            var entry = new org.apache.commons.compress.archivers.tar.TarArchiveEntry("up/file.txt");
            entry.setSize(content.length);
            out.putArchiveEntry(entry);
            out.write(content);
            out.closeArchiveEntry();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ExecWatch watch = client.pods().inNamespace("default").withName("box").redirectingInput().writingOutput(out)
                .exec("sh", "-c", "echo started; tar -x -f - -C /tmp; e=$?; cat /tmp/up/file.txt; exit $((e + 5))")) {
            // the process runs before any input: its first line arrives while stdin is empty and open
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                    .until(() -> out.toString(StandardCharsets.UTF_8).contains("started"));
            watch.getInput().write(tar.toByteArray());
            watch.getInput().flush();
            assertThat(watch.exitCode().get(20, TimeUnit.SECONDS)).as("exits with stdin still open").isEqualTo(5);
        }
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("started\nuploaded\n");
    }

    @Test
    void theUpgradeNamesTheNegotiatedSubprotocol() throws Exception {
        javax.net.ssl.SSLContext tls = javax.net.ssl.SSLContext.getInstance("TLS");
        tls.init(null, new javax.net.ssl.TrustManager[] {new javax.net.ssl.X509TrustManager() {
            public void checkClientTrusted(java.security.cert.X509Certificate[] c, String a) { }

            public void checkServerTrusted(java.security.cert.X509Certificate[] c, String a) { }

            public java.security.cert.X509Certificate[] getAcceptedIssuers() {
                return new java.security.cert.X509Certificate[0];
            }
        }}, null);
        for (String protocol : java.util.List.of("v5.channel.k8s.io", "v4.channel.k8s.io")) {
            try (java.net.Socket s = tls.getSocketFactory().createSocket("127.0.0.1", server.server().port())) {
                s.setSoTimeout(10_000);
                s.getOutputStream().write(("GET /api/v1/namespaces/default/pods/box/exec?command=true&stdout=true HTTP/1.1\r\n"
                        + "Host: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                        + "Sec-WebSocket-Protocol: " + protocol + ", channel.k8s.io\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(s.getInputStream(),
                        StandardCharsets.ISO_8859_1));
                assertThat(in.readLine()).startsWith("HTTP/1.1 101");
                java.util.List<String> headers = new java.util.ArrayList<>();
                for (String h = in.readLine(); h != null && !h.isEmpty(); h = in.readLine()) {
                    headers.add(h.toLowerCase(java.util.Locale.ROOT));
                }
                assertThat(headers).contains("sec-websocket-protocol: " + protocol);
            }
        }
    }
}
