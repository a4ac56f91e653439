package dev.kubetest.apiserver;

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
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(out).isEqualTo("from-client-java\n");
        assertThat(p.exitValue()).isZero();
    }
}
