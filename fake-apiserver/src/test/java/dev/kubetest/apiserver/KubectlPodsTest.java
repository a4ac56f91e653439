package dev.kubetest.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubetest.apiserver.support.Kubectl;
import dev.kubetest.apiserver.support.TestServer;
import dev.kubetest.core.KubeCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** kubectl's pod commands against running pods: run, wait, describe, logs and its flags, delete --wait, top, cluster-info. */
class KubectlPodsTest {
    static TestServer server;
    static Kubectl k;

    @BeforeAll
    static void start() {
        Kubectl.assumePresent();
        server = new TestServer(KubeCluster.builder().timeMode(KubeCluster.TimeMode.AUTO));
        k = server.kubectl();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void runWaitDescribeAndLogs() {
        assertThat(k.run("run", "talker", "--image=busybox", "--", "sh", "-c",
                "for i in 1 2 3 4 5; do echo line $i; done; sleep infinity").ok().out()).contains("pod/talker created");
        assertThat(k.run("wait", "--for=condition=Ready", "pod/talker", "--timeout=30s").ok().out()).contains("pod/talker condition met");
        String describe = k.run("describe", "pod", "talker").ok().out();
        assertThat(describe).contains("Name:             talker", "Status:           Running", "Node:             kubetest-node-1/172.18.0.2",
                "Started container talker", "Successfully assigned default/talker to kubetest-node-1", "QoS Class:                   BestEffort");
        assertThat(k.run("logs", "talker").ok().out()).isEqualTo("line 1\nline 2\nline 3\nline 4\nline 5\n");
        assertThat(k.run("logs", "talker", "--tail=2").ok().out()).isEqualTo("line 4\nline 5\n");
        assertThat(k.run("logs", "talker", "-c", "talker", "--timestamps").ok().out().lines().findFirst().orElseThrow())
                .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z line 1");
        Kubectl.Result noPrevious = k.run("logs", "talker", "-p");
        assertThat(noPrevious.exitCode()).isNotZero();
        assertThat(noPrevious.err()).contains("previous terminated container \"talker\" in pod \"talker\" not found");
        assertThat(k.run("delete", "pod", "talker", "--wait=true").ok().out()).contains("pod \"talker\" deleted");
        assertThat(k.run("get", "pod", "talker").exitCode()).isNotZero();
    }

    @Test
    void topClusterInfoAndPendingLogs() {
        Kubectl.Result top = k.run("top", "pods");
        assertThat(top.exitCode()).isNotZero();
        assertThat(top.err()).contains("error: Metrics API not available");
        assertThat(k.run("cluster-info").ok().out()).contains("Kubernetes control plane is running at https://127.0.0.1:");
        k.run("run", "stuck", "--image=busybox", "--overrides",
                "{\"spec\":{\"nodeSelector\":{\"no\":\"such-node\"}}}", "--", "sleep", "1").ok();
        Kubectl.Result logs = k.run("logs", "stuck");
        assertThat(logs.exitCode()).isNotZero();
        assertThat(logs.err()).contains("pod stuck does not have a host assigned");
    }
}
