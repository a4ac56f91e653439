package dev.kubetest.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubetest.apiserver.support.Kubectl;
import dev.kubetest.apiserver.support.TestServer;
import dev.kubetest.core.KubeCluster;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The simulated pod network: wget and nc from one pod reach the servers of another by pod IP, and localhost. */
class PodNetworkTest {
    static TestServer server;
    static KubernetesClient client;
    static String webIp;

    @BeforeAll
    static void start() {
        server = new TestServer(KubeCluster.builder().timeMode(KubeCluster.TimeMode.AUTO));
        client = server.fabric8();
        client.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName("web").endMetadata()
                .withNewSpec().addNewContainer().withName("nginx").withImage("nginx:1.27").addNewPort().withContainerPort(80)
                .endPort().endContainer().addNewContainer().withName("probe").withImage("busybox")
                .withCommand("sh", "-c", "sleep infinity").endContainer().endSpec().build()).create();
        server.runShellPod("client", "sleep infinity");
        client.pods().inNamespace("default").withName("web").waitUntilReady(30, TimeUnit.SECONDS);
        webIp = client.pods().inNamespace("default").withName("web").get().getStatus().getPodIP();
        server.cluster().container("default", "web", "nginx").writeFile("/usr/share/nginx/html/hello.txt",
                "hello from web\n".getBytes(StandardCharsets.UTF_8));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static Kubectl.Result shell(String pod, String container, String script) {
        return server.kubectl().run("exec", pod, "-c", container, "--", "sh", "-c", script);
    }

    @Test
    void wgetFetchesFromAnotherPodByIp() {
        assertThat(shell("client", "shell", "wget -qO- http://" + webIp + "/hello.txt").ok().out()).isEqualTo("hello from web\n");
        Kubectl.Result saved = shell("client", "shell", "cd /tmp && wget http://" + webIp + "/ && grep -c nginx index.html").ok();
        assertThat(saved.err()).contains("Connecting to " + webIp + ":80 (" + webIp + ":80)", "saving to 'index.html'",
                "'index.html' saved");
        assertThat(saved.out().trim()).isEqualTo("2");
        Kubectl.Result missing = shell("client", "shell", "wget -q -O /tmp/x http://" + webIp + "/nope");
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.err()).contains("wget: server returned error: HTTP/1.1 404 Not Found");
    }

    @Test
    void refusedPortsAndUnknownNamesFailAsBusybox() {
        Kubectl.Result refused = shell("client", "shell", "wget -qO- http://" + webIp + ":8080/");
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.err()).contains("wget: can't connect to remote host (" + webIp + "): Connection refused");
        Kubectl.Result unknown = shell("client", "shell", "wget -qO- http://no-such-host/");
        assertThat(unknown.err()).contains("wget: bad address 'no-such-host'");
        assertThat(shell("client", "shell", "nc -z " + webIp + " 80 && echo open; nc -z " + webIp + " 81 || echo closed")
                .ok().out()).isEqualTo("open\nclosed\n");
    }

    @Test
    void ncSendsItsInputAndPrintsTheAnswer() {
        String out = shell("client", "shell", "printf 'GET /hello.txt HTTP/1.0\\r\\n\\r\\n' | nc " + webIp + " 80").ok().out();
        assertThat(out).startsWith("HTTP/1.1 200 OK\r\n").contains("Server: nginx").endsWith("\r\n\r\nhello from web\n");
    }

    @Test
    void containersOfOnePodShareLocalhost() {
        assertThat(shell("web", "probe", "wget -qO- localhost/hello.txt").ok().out()).isEqualTo("hello from web\n");
        assertThat(shell("client", "shell", "wget -qO- localhost/").exitCode()).isEqualTo(1);
    }

    @Test
    void busyboxHttpdServesADirectoryToProbesAndOtherPods() {
        client.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName("tiny-web").endMetadata()
                .withNewSpec().addNewContainer().withName("httpd").withImage("busybox:1.36")
                .withCommand("sh", "-c", "mkdir -p /www && echo 'served by busybox' > /www/index.html && httpd -f -p 8080 -h /www")
                .withNewReadinessProbe().withNewHttpGet().withPath("/").withNewPort(8080).endHttpGet().withPeriodSeconds(2)
                .endReadinessProbe().endContainer().endSpec().build()).create();
        client.pods().inNamespace("default").withName("tiny-web").waitUntilReady(30, TimeUnit.SECONDS);
        String ip = client.pods().inNamespace("default").withName("tiny-web").get().getStatus().getPodIP();
        assertThat(shell("client", "shell", "wget -qO- http://" + ip + ":8080/").ok().out()).isEqualTo("served by busybox\n");
        Kubectl.Result missing = shell("client", "shell", "wget -qO- http://" + ip + ":8080/nope.html");
        assertThat(missing.err()).contains("wget: server returned error: HTTP/1.1 404 Not Found");
        assertThat(shell("client", "shell", "wget -qO- http://" + ip + ":80/").err()).contains("Connection refused");
    }

    @Test
    void aShellLoopAroundNcListenServesOneReplyPerConnection() {
        client.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName("nc-web").endMetadata()
                .withNewSpec().addNewContainer().withName("nc").withImage("busybox")
                .withCommand("sh", "-c", "while true; do printf 'HTTP/1.1 200 OK\\r\\n\\r\\nhello from nc\\n' | nc -l -p 8080; done")
                .withNewReadinessProbe().withNewHttpGet().withPath("/ready").withNewPort(8080).endHttpGet().withPeriodSeconds(2)
                .endReadinessProbe().endContainer().endSpec().build()).create();
        client.pods().inNamespace("default").withName("nc-web").waitUntilReady(30, TimeUnit.SECONDS);
        String ip = client.pods().inNamespace("default").withName("nc-web").get().getStatus().getPodIP();
        // between two connections the loop starts a new nc: a request in that gap is refused, as with a real nc
        for (String path : new String[] {"/first", "/second"}) {
            org.awaitility.Awaitility.await().atMost(10, TimeUnit.SECONDS).untilAsserted(() ->
                    assertThat(shell("client", "shell", "wget -qO- http://" + ip + ":8080" + path).ok().out())
                            .isEqualTo("hello from nc\n"));
        }
        // nc prints what each peer sent: the probe's and wget's requests are in the container's log
        String logs = server.kubectl().run("logs", "nc-web").ok().out();
        assertThat(logs).contains("GET /ready HTTP/1.1", "GET /first HTTP/1.1", "GET /second HTTP/1.1");
        assertThat(shell("client", "shell", "wget -qO- http://" + ip + ":9090/").err()).contains("Connection refused");
    }
}
