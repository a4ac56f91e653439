package dev.kubetest.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubetest.apiserver.support.Kubectl;
import dev.kubetest.apiserver.support.TestServer;
import dev.kubetest.core.KubeCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rest of kubectl's matrix: get with --sort-by, -L, custom columns and several kinds at once; create -f;
 * delete --all; wait --for=delete; logs -f, -p and deploy/NAME.
 */
class KubectlMatrixTest {
    static TestServer server;
    static Kubectl k;

    @BeforeAll
    static void start() {
        server = new TestServer(KubeCluster.builder().timeMode(KubeCluster.TimeMode.AUTO));
        k = server.kubectl();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void getSortsLabelsColumnsAndSeveralKinds(@TempDir Path dir) throws Exception {
        k.run("create", "namespace", "matrix").ok();
        Path f = dir.resolve("objects.yaml");
        Files.writeString(f, """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: zeta, namespace: matrix, labels: {tier: back, rank: "1"}}
                data: {a: "1", b: "2", c: "3"}
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: alpha, namespace: matrix, labels: {tier: front}}
                data: {a: "1"}
                ---
                apiVersion: v1
                kind: Secret
                metadata: {name: token, namespace: matrix}
                stringData: {key: value}
                """);
        assertThat(k.run("create", "-f", f.toString()).ok().out())
                .isEqualTo("configmap/zeta created\nconfigmap/alpha created\nsecret/token created\n");
        Kubectl.Result again = k.run("create", "-f", f.toString());
        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.err()).contains("Error from server (AlreadyExists): error when creating \"" + f
                + "\": configmaps \"zeta\" already exists");

        List<String> byName = k.run("get", "cm", "-n", "matrix", "--sort-by=.metadata.name", "-o", "name").ok().out().lines().toList();
        assertThat(byName).containsSubsequence("configmap/alpha", "configmap/zeta");
        String labelled = k.run("get", "cm", "alpha", "zeta", "-n", "matrix", "-L", "tier", "-L", "rank").ok().out();
        assertThat(labelled.lines().toList().get(0)).matches("NAME\\s+DATA\\s+AGE\\s+TIER\\s+RANK");
        assertThat(labelled).containsPattern("alpha\\s+1\\s+\\S+\\s+front\\s*\n").containsPattern("zeta\\s+3\\s+\\S+\\s+back\\s+1");
        String columns = k.run("get", "cm", "-n", "matrix", "-l", "tier", "--sort-by=.metadata.name",
                "-o", "custom-columns=NAME:.metadata.name,TIER:.metadata.labels.tier,A:.data.a").ok().out();
        assertThat(columns.lines().toList()).containsExactly("NAME    TIER    A", "alpha   front   1", "zeta    back    1");
        String both = k.run("get", "configmaps,secrets", "-n", "matrix").ok().out();
        assertThat(both).contains("configmap/alpha", "configmap/zeta", "secret/token").containsPattern("secret/token\\s+Opaque\\s+1");

        assertThat(k.run("delete", "configmaps", "--all", "-n", "matrix").ok().out())
                .contains("configmap \"alpha\" deleted", "configmap \"zeta\" deleted");
        assertThat(k.run("get", "cm", "-n", "matrix", "-l", "tier").ok().err()).contains("No resources found in matrix namespace.");
    }

    @Test
    void waitForDeleteReturnsWhenTheObjectIsGone() throws Exception {
        k.run("create", "configmap", "held").ok();
        k.run("patch", "configmap", "held", "--type=merge", "-p", "{\"metadata\":{\"finalizers\":[\"example.com/hold\"]}}").ok();
        k.run("delete", "configmap", "held", "--wait=false").ok();
        Kubectl.Result timedOut = k.run("wait", "--for=delete", "configmap/held", "--timeout=2s");
        assertThat(timedOut.exitCode()).isEqualTo(1);
        assertThat(timedOut.err()).contains("timed out waiting for the condition on configmaps/held");
        CompletableFuture<Kubectl.Result> waiting = CompletableFuture.supplyAsync(() ->
                k.run("wait", "--for=delete", "configmap/held", "--timeout=60s"));
        k.run("patch", "configmap", "held", "--type=json", "-p", "[{\"op\":\"remove\",\"path\":\"/metadata/finalizers\"}]").ok();
        Kubectl.Result waited = waiting.get(60, TimeUnit.SECONDS);
        assertThat(waited.exitCode()).as(waited.err()).isZero();
        assertThat(k.run("get", "configmap", "held").exitCode()).isEqualTo(1);
    }

    @Test
    void logsFollowStreamsUntilTheContainerEndsAndPreviousShowsTheLastRun() throws Exception {
        k.run("run", "counter", "--image=busybox", "--restart=Never", "--",
                "sh", "-c", "for i in 1 2 3; do echo tick $i; sleep 2; done").ok();
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() ->
                k.run("get", "pod", "counter", "-o", "jsonpath={.status.phase}").out().equals("Running")
                        || k.run("get", "pod", "counter", "-o", "jsonpath={.status.phase}").out().equals("Succeeded"));
        Kubectl.Result followed = k.run("logs", "-f", "counter");
        assertThat(followed.exitCode()).isZero();
        assertThat(followed.out()).isEqualTo("tick 1\ntick 2\ntick 3\n");

        k.run("run", "restarts", "--image=busybox", "--restart=Always", "--",
                "sh", "-c", "echo run at $(date +%s); sleep 1; exit 1").ok();
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() ->
                !k.run("get", "pod", "restarts", "-o", "jsonpath={.status.containerStatuses[0].restartCount}").out().matches("0?"));
        Kubectl.Result previous = k.run("logs", "restarts", "-p");
        assertThat(previous.exitCode()).as(previous.err()).isZero();
        assertThat(previous.out()).startsWith("run at ");
    }

    @Test
    void logsOfADeploymentReadTheFirstPodItsSelectorMatches() {
        k.run("create", "deployment", "web", "--image=busybox", "--",
                "sh", "-c", "echo served by replica; sleep 3600").ok();
        assertThat(k.run("rollout", "status", "deployment/web", "--timeout=30s").ok().out()).contains("successfully rolled out");
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() ->
                k.run("logs", "deploy/web").out().equals("served by replica\n"));
    }
}
