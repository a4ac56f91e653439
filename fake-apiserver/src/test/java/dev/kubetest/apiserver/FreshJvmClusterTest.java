package dev.kubetest.apiserver;

import static dev.kubetest.apiserver.support.ChildProcesses.outputOf;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** What happens once per JVM (the CA, the server threads), each case in a fresh JVM running {@link FreshJvmCluster}. */
class FreshJvmClusterTest {
    /** The first cluster of a JVM, over plain HTTP: its kube-root-ca.crt holds its CA all the same. */
    @Test
    void aPlainHttpFirstClusterPublishesItsCa() throws Exception {
        run("http");
    }

    /** A JVM whose only cluster and HTTPS server have closed can exit soon after: no thread of theirs is left that prevents it. */
    @Test
    void closingTheLastServerLeavesNoThreadThatKeepsTheJvmAlive() throws Exception {
        run("close");
    }

    private static void run(String mode) throws Exception {
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                FreshJvmCluster.class.getName(), mode);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = outputOf(p, 90);
        assertThat(out).as("%s:%n%s", cmd, out).contains("OK " + mode);
        assertThat(p.exitValue()).as(out).isZero();
    }
}
