package dev.kubetest.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kubetest.apiserver.support.Kubectl;
import dev.kubetest.apiserver.support.TestServer;
import dev.kubetest.core.KubeCluster;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** CoreDNS and kube-proxy as workloads in kube-system, and busybox nslookup against the cluster DNS. */
class ClusterDnsTest {

    private static final String APPS = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web}
            spec:
              replicas: 2
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec:
                  containers:
                  - {name: web, image: nginx:1.27, ports: [{name: http, containerPort: 80}]}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: web}
            spec:
              selector: {app: web}
              ports: [{name: http, port: 80, targetPort: http}]
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: web-headless}
            spec:
              clusterIP: None
              selector: {app: web}
              ports: [{name: http, port: 80, targetPort: 80}]
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: upstream}
            spec:
              type: ExternalName
              externalName: web.default.svc.cluster.local
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: client}
            spec: {containers: [{name: c, image: busybox:1.36, command: [sleep, "3600"]}]}
            """;

    @Test
    void aFreshClusterRunsCoreDnsAndKubeProxyInKubeSystem() throws Exception {
        Kubectl.assumePresent();
        try (TestServer server = new TestServer(KubeCluster.builder().timeMode(KubeCluster.TimeMode.AUTO))) {
            Kubectl kubectl = server.kubectl();
            KubernetesClient client = server.fabric8();
            client.apps().deployments().inNamespace("kube-system").withName("coredns").waitUntilReady(30, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(30)).until(() -> client.apps().daemonSets().inNamespace("kube-system")
                    .withName("kube-proxy").get().getStatus().getNumberReady() == 1);
            String pods = kubectl.run("get", "pods", "-A").ok().out();
            assertThat(pods).containsPattern("kube-system\\s+coredns-[a-z0-9]+-[a-z0-9]{5}\\s+1/1\\s+Running\\s+0\\s");
            assertThat(pods).containsPattern("kube-system\\s+kube-proxy-[a-z0-9]{5}\\s+1/1\\s+Running\\s+0\\s");
            assertThat(pods.lines().filter(l -> l.contains("coredns-"))).hasSize(2);
            assertThat(kubectl.run("get", "svc", "-n", "kube-system", "kube-dns").ok().out())
                    .containsPattern("kube-dns\\s+ClusterIP\\s+10\\.96\\.0\\.10\\s+<none>\\s+53/UDP,53/TCP,9153/TCP\\s");
            var proxy = client.pods().inNamespace("kube-system").withLabel("k8s-app", "kube-proxy").list().getItems().get(0);
            assertThat(proxy.getStatus().getPodIP()).as("a host-network pod has its node's address")
                    .isEqualTo(proxy.getStatus().getHostIP());
            assertThat(kubectl.run("logs", "-n", "kube-system", "deploy/coredns").ok().out()).contains("CoreDNS-1.11.3");
            assertThat(kubectl.run("get", "endpoints", "-n", "kube-system", "kube-dns").ok().out())
                    .containsPattern("kube-dns\\s+10\\.244\\.\\d+\\.\\d+:53,10\\.244\\.\\d+\\.\\d+:53");
        }
    }

    @Test
    void nslookupAnswersAsBusyboxPrintsAndFailsWhileCoreDnsIsDown() throws Exception {
        Kubectl.assumePresent();
        try (TestServer server = new TestServer(KubeCluster.builder().timeMode(KubeCluster.TimeMode.AUTO))) {
            Kubectl kubectl = server.kubectl();
            KubernetesClient client = server.fabric8();
            kubectl.runWithInput(APPS, "apply", "-f", "-").ok();
            client.apps().deployments().inNamespace("default").withName("web").waitUntilReady(30, TimeUnit.SECONDS);
            client.pods().inNamespace("default").withName("client").waitUntilReady(30, TimeUnit.SECONDS);
            client.apps().deployments().inNamespace("kube-system").withName("coredns").waitUntilReady(30, TimeUnit.SECONDS);
            String webIp = client.services().inNamespace("default").withName("web").get().getSpec().getClusterIP();

            // a short name goes through the search path; the first answer ends the search
            var shortName = kubectl.run("exec", "client", "--", "nslookup", "web");
            assertThat(shortName.exitCode()).isZero();
            assertThat(shortName.out()).isEqualTo("Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\n"
                    + "Name:\tweb.default.svc.cluster.local\nAddress: " + webIp + "\n\n"
                    + "*** Can't find web.svc.cluster.local: No answer\n*** Can't find web.cluster.local: No answer\n"
                    + "*** Can't find web.default.svc.cluster.local: No answer\n*** Can't find web.svc.cluster.local: No answer\n"
                    + "*** Can't find web.cluster.local: No answer\n\n");
            // a full name: A and AAAA (there is no IPv6)
            assertThat(kubectl.run("exec", "client", "--", "nslookup", "web.default.svc.cluster.local").ok().out())
                    .isEqualTo("Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\nName:\tweb.default.svc.cluster.local\nAddress: "
                            + webIp + "\n\n*** Can't find web.default.svc.cluster.local: No answer\n\n");
            // a dotted name is not searched by this busybox: the well-known NXDOMAIN
            var dotted = kubectl.run("exec", "client", "--", "nslookup", "kubernetes.default");
            assertThat(dotted.exitCode()).isEqualTo(1);
            assertThat(dotted.out()).contains("** server can't find kubernetes.default: NXDOMAIN");
            // headless: the ready pods; SRV for the named port; ExternalName as a CNAME; PTR for a cluster IP
            var podIps = client.pods().inNamespace("default").withLabel("app", "web").list().getItems().stream()
                    .map(p -> p.getStatus().getPodIP()).toList();
            String headless = kubectl.run("exec", "client", "--", "nslookup", "web-headless.default.svc.cluster.local").ok().out();
            podIps.forEach(ip -> assertThat(headless).contains("Name:\tweb-headless.default.svc.cluster.local\nAddress: " + ip + "\n"));
            assertThat(kubectl.run("exec", "client", "--", "nslookup", "-type=srv", "_http._tcp.web.default.svc.cluster.local").ok().out())
                    .contains("_http._tcp.web.default.svc.cluster.local\tservice = 0 100 80 web.default.svc.cluster.local\n");
            assertThat(kubectl.run("exec", "client", "--", "nslookup", "upstream").ok().out())
                    .contains("upstream.default.svc.cluster.local\tcanonical name = web.default.svc.cluster.local\n")
                    .contains("Name:\tweb.default.svc.cluster.local\nAddress: " + webIp + "\n");
            assertThat(kubectl.run("exec", "client", "--", "wget", "-qO-", "http://upstream/").ok().out())
                    .as("an ExternalName pointing at a Service reaches it").contains("Welcome to nginx!");
            String[] o = webIp.split("\\.");
            assertThat(kubectl.run("exec", "client", "--", "nslookup", webIp).ok().out())
                    .contains(o[3] + "." + o[2] + "." + o[1] + "." + o[0] + ".in-addr.arpa\tname = web.default.svc.cluster.local\n");

            // CoreDNS down: names stop resolving, addresses still work
            client.apps().deployments().inNamespace("kube-system").withName("coredns").scale(0);
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    client.endpoints().inNamespace("kube-system").withName("kube-dns").get().getSubsets().isEmpty());
            var down = kubectl.run("exec", "client", "--", "nslookup", "web");
            assertThat(down.exitCode()).isEqualTo(1);
            assertThat(down.out()).isEqualTo(";; connection timed out; no servers could be reached\n\n");
            var wget = kubectl.run("exec", "client", "--", "wget", "-qO-", "-T", "2", "http://web/");
            assertThat(wget.exitCode()).isEqualTo(1);
            assertThat(wget.err()).contains("wget: bad address 'web'");
            assertThat(kubectl.run("exec", "client", "--", "wget", "-qO-", "http://" + webIp + "/").ok().out()).contains("Welcome to nginx!");
            client.apps().deployments().inNamespace("kube-system").withName("coredns").scale(2);
            client.apps().deployments().inNamespace("kube-system").withName("coredns").waitUntilReady(30, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(30)).until(() -> kubectl.run("exec", "client", "--", "nslookup", "web").exitCode() == 0);
        }
    }

    @Test
    void theAddonsCanBeLeftOut() throws Exception {
        try (TestServer server = new TestServer(KubeCluster.builder().timeMode(KubeCluster.TimeMode.AUTO)
                .withoutController("coredns").withoutController("kube-proxy"))) {
            KubernetesClient client = server.fabric8();
            assertThat(client.pods().inNamespace("kube-system").list().getItems()).isEmpty();
            assertThat(client.services().inNamespace("kube-system").withName("kube-dns").get()).isNull();
            // the cluster DNS still answers names, without a kube-dns Service to gate it
            server.cluster().apply(APPS, "default");
            client.apps().deployments().inNamespace("default").withName("web").waitUntilReady(30, TimeUnit.SECONDS);
            client.pods().inNamespace("default").withName("client").waitUntilReady(30, TimeUnit.SECONDS);
            assertThat(server.cluster().network().from("default", "client").get("http://web/").body()).contains("Welcome to nginx!");
        }
    }
}
