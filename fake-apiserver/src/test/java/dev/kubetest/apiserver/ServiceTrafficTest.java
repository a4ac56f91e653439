package dev.kubetest.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kubetest.apiserver.support.TestServer;
import dev.kubetest.core.KubeCluster;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Traffic through Services inside the simulation: cluster DNS names, the cluster IP, node ports, readiness. */
class ServiceTrafficTest {

    record Result(int exit, String out) {}

    static Result exec(KubernetesClient client, String pod, String script) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (var w = client.pods().inNamespace("default").withName(pod).writingOutput(out).writingError(out)
                .exec("sh", "-c", script)) {
            int code = w.exitCode().get(20, TimeUnit.SECONDS);
            return new Result(code, out.toString());
        }
    }

    static List<Pod> backends(KubernetesClient client) {
        return client.pods().inNamespace("default").withLabel("app", "backend").list().getItems();
    }

    @Test
    void aFrontendReachesItsBackendOnlyThroughReadyEndpoints() throws Exception {
        try (TestServer server = new TestServer(KubeCluster.builder().timeMode(KubeCluster.TimeMode.AUTO))) {
            KubernetesClient client = server.fabric8();
            client.apps().deployments().inNamespace("default").resource(new DeploymentBuilder().withNewMetadata().withName("backend")
                    .endMetadata().withNewSpec().withReplicas(2).withNewSelector().addToMatchLabels("app", "backend").endSelector()
                    .withNewTemplate().withNewMetadata().addToLabels("app", "backend").endMetadata().withNewSpec().addNewContainer()
                    .withName("web").withImage("busybox:1.36").withCommand("sh", "-c",
                            "mkdir -p /www; echo hello from $(hostname) > /www/index.html; touch /tmp/ready; httpd -f -p 8080 -h /www")
                    .addNewPort().withName("http").withContainerPort(8080).endPort()
                    .withNewReadinessProbe().withNewExec().withCommand("cat", "/tmp/ready").endExec().withPeriodSeconds(2).endReadinessProbe()
                    .endContainer().endSpec().endTemplate().endSpec().build()).create();
            var svc = client.services().inNamespace("default").resource(new ServiceBuilder().withNewMetadata().withName("backend")
                    .endMetadata().withNewSpec().addToSelector("app", "backend").withType("NodePort").addNewPort().withPort(80)
                    .withTargetPort(new IntOrString("http")).endPort().endSpec().build()).create();
            client.services().inNamespace("default").resource(new ServiceBuilder().withNewMetadata().withName("backend-pods")
                    .endMetadata().withNewSpec().withClusterIP("None").addToSelector("app", "backend").addNewPort().withPort(8080)
                    .endPort().endSpec().build()).create();
            client.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName("frontend").endMetadata()
                    .withNewSpec().addNewContainer().withName("c").withImage("busybox:1.36").withCommand("sh", "-c", "sleep 3600")
                    .endContainer().endSpec().build()).create();
            client.pods().inNamespace("default").withName("frontend").waitUntilReady(30, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(30)).until(() -> ServiceEndpointsTest.endpoints(client, "backend").stream()
                    .filter(e -> e.getConditions().getReady()).count() == 2);

            // by short name, by full name, by cluster IP; both backends answer over a few requests
            Set<String> answered = new HashSet<>();
            for (int i = 0; i < 20; i++) {
                Result r = exec(client, "frontend", "wget -q -O - http://backend/");
                assertThat(r.exit()).as(r.out()).isZero();
                answered.add(r.out().trim());
            }
            assertThat(answered).hasSize(2).allMatch(a -> a.startsWith("hello from backend-"));
            assertThat(exec(client, "frontend", "wget -q -O - http://backend.default.svc.cluster.local/").out()).startsWith("hello from");
            String ip = svc.getSpec().getClusterIP();
            assertThat(exec(client, "frontend", "wget -q -O - http://" + ip + "/").out()).startsWith("hello from");
            // a port the Service does not have is refused; a name nobody has does not resolve
            assertThat(exec(client, "frontend", "wget -q -O - http://backend:81/").out()).contains("Connection refused");
            assertThat(exec(client, "frontend", "wget -q -O - http://nobody/").out()).contains("bad address 'nobody'");
            // a headless Service's name is its pods' addresses
            assertThat(exec(client, "frontend", "wget -q -O - http://backend-pods:8080/").out()).startsWith("hello from backend-");
            // a node port on the node's address
            String nodeIp = client.nodes().list().getItems().get(0).getStatus().getAddresses().stream()
                    .filter(a -> a.getType().equals("InternalIP")).findFirst().orElseThrow().getAddress();
            int nodePort = svc.getSpec().getPorts().get(0).getNodePort();
            assertThat(exec(client, "frontend", "wget -q -O - http://" + nodeIp + ":" + nodePort + "/").out()).startsWith("hello from");

            // the same from Java, as the frontend and from outside the cluster
            var network = server.cluster().network();
            assertThat(network.from("default", "frontend").get("http://backend/").body()).startsWith("hello from backend-");
            assertThat(network.from("default", "frontend").get("http://backend/").status()).isEqualTo(200);
            assertThat(network.from("default", "frontend").canConnect("backend", 80)).isTrue();
            assertThat(network.from("default", "frontend").canConnect("backend", 81)).isFalse();
            assertThat(network.fromOutside().get("http://" + nodeIp + ":" + nodePort + "/").body()).startsWith("hello from");
            assertThat(network.fromOutside().canConnect("backend", 80)).as("no cluster DNS outside").isFalse();
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> network.from("default", "frontend").get("http://backend:81/"))
                    .isInstanceOf(dev.kubetest.core.network.NetworkException.class).hasMessageContaining("Connection refused");

            // no ready backend: the Service refuses; a ready one again: it answers
            for (Pod p : backends(client)) {
                exec(client, p.getMetadata().getName(), "rm /tmp/ready");
            }
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(exec(client, "frontend",
                    "wget -q -O - http://backend/").out()).contains("can't connect to remote host (" + ip + "): Connection refused"));
            String revived = backends(client).get(0).getMetadata().getName();
            exec(client, revived, "touch /tmp/ready");
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(exec(client, "frontend", "wget -q -O - http://backend/").out()).isEqualTo("hello from " + revived + "\n"));
        }
    }

    @Test
    void podsGetTheKubeletsHostsFileAndResolvConf() throws Exception {
        try (TestServer server = new TestServer(KubeCluster.builder().timeMode(KubeCluster.TimeMode.AUTO))) {
            KubernetesClient client = server.fabric8();
            client.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName("db-0").endMetadata()
                    .withNewSpec().withHostname("db-0").withSubdomain("db")
                    .addNewHostAlias().withIp("192.0.2.7").withHostnames("legacy.example", "legacy").endHostAlias()
                    .withNewDnsConfig().addNewOption().withName("timeout").withValue("2").endOption().withSearches("corp.example")
                    .endDnsConfig()
                    .addNewContainer().withName("c").withImage("busybox:1.36").withCommand("sh", "-c", "sleep 3600").endContainer()
                    .endSpec().build()).create();
            Pod pod = client.pods().inNamespace("default").withName("db-0").waitUntilReady(30, TimeUnit.SECONDS);
            String ip = pod.getStatus().getPodIP();
            assertThat(exec(client, "db-0", "cat /etc/resolv.conf").out()).isEqualTo("""
                    search default.svc.cluster.local svc.cluster.local cluster.local corp.example
                    nameserver 10.96.0.10
                    options ndots:5 timeout:2
                    """);
            assertThat(exec(client, "db-0", "cat /etc/hosts").out()).isEqualTo("""
                    # Kubernetes-managed hosts file.
                    127.0.0.1	localhost
                    ::1	localhost ip6-localhost ip6-loopback
                    fe00::0	ip6-localnet
                    fe00::0	ip6-mcastprefix
                    fe00::1	ip6-allnodes
                    fe00::2	ip6-allrouters
                    %s	db-0.db.default.svc.cluster.local	db-0

                    # Entries added by HostAliases.
                    192.0.2.7	legacy.example	legacy
                    """.formatted(ip));
        }
    }

    @Test
    void loadBalancersGetAnAddressAndPortForwardReachesAService() throws Exception {
        dev.kubetest.apiserver.support.Kubectl.assumePresent();
        try (TestServer server = new TestServer(KubeCluster.builder().timeMode(KubeCluster.TimeMode.AUTO))) {
            KubernetesClient client = server.fabric8();
            client.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName("web").addToLabels("app", "web")
                    .endMetadata().withNewSpec().addNewContainer().withName("web").withImage("nginx:1.27").addNewPort()
                    .withContainerPort(80).endPort().endContainer().endSpec().build()).create();
            client.pods().inNamespace("default").withName("web").waitUntilReady(30, TimeUnit.SECONDS);
            client.services().inNamespace("default").resource(new ServiceBuilder().withNewMetadata().withName("web").endMetadata()
                    .withNewSpec().withType("LoadBalancer").addToSelector("app", "web").addNewPort().withPort(80).endPort().endSpec()
                    .build()).create();
            client.services().inNamespace("default").resource(new ServiceBuilder().withNewMetadata().withName("elsewhere").endMetadata()
                    .withNewSpec().withType("LoadBalancer").withLoadBalancerClass("example.com/other-lb").addToSelector("app", "web")
                    .addNewPort().withPort(80).endPort().endSpec().build()).create();
            String lbIp = await().atMost(Duration.ofSeconds(30)).until(() -> {
                var ingress = client.services().inNamespace("default").withName("web").get().getStatus().getLoadBalancer().getIngress();
                return ingress == null || ingress.isEmpty() ? null : ingress.get(0).getIp();
            }, java.util.Objects::nonNull);
            assertThat(lbIp).isEqualTo("172.18.255.200");
            var kubectl = server.kubectl();
            assertThat(kubectl.run("get", "svc").ok().out())
                    .containsPattern("(?m)^web\\s+LoadBalancer\\s+\\S+\\s+172\\.18\\.255\\.200\\s+80:\\d+/TCP")
                    .containsPattern("(?m)^elsewhere\\s+LoadBalancer\\s+\\S+\\s+<pending>\\s");
            assertThat(server.cluster().network().fromOutside().get("http://172.18.255.200/").body()).contains("Welcome to nginx!");
            assertThat(kubectl.run("get", "events", "--field-selector", "involvedObject.name=web").ok().out())
                    .contains("EnsuringLoadBalancer").contains("EnsuredLoadBalancer");

            // kubectl port-forward svc/web picks a pod behind the Service and forwards to its target port
            List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
            Process p = kubectl.start("port-forward", "svc/web", ":80");
            try {
                dev.kubetest.apiserver.support.Kubectl.collectLines(p, lines);
                java.util.regex.Pattern forwarding = java.util.regex.Pattern.compile("Forwarding from 127\\.0\\.0\\.1:(\\d+) -> 80");
                int port = await().atMost(Duration.ofSeconds(30)).until(() -> lines.stream().map(forwarding::matcher)
                        .filter(java.util.regex.Matcher::find).map(m -> Integer.parseInt(m.group(1))).findFirst(),
                        java.util.Optional::isPresent).get();
                var conn = (java.net.HttpURLConnection) java.net.URI.create("http://127.0.0.1:" + port + "/").toURL().openConnection();
                assertThat(new String(conn.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8))
                        .contains("Welcome to nginx!");
                // and curl, as a user checks it by hand
                String curl = curl();
                if (curl != null) {
                    Process c = new ProcessBuilder(curl, "-sS", "-i", "http://127.0.0.1:" + port + "/").redirectErrorStream(true).start();
                    String out = new String(c.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                    assertThat(c.waitFor()).as(out).isZero();
                    assertThat(out).startsWith("HTTP/1.1 200 OK").contains("Server: nginx").contains("Welcome to nginx!");
                }
            } finally {
                p.destroy();
            }

            // no longer a LoadBalancer: the address goes back to the pool
            client.services().inNamespace("default").withName("web").edit(x -> new ServiceBuilder(x).editSpec().withType("NodePort")
                    .endSpec().build());
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                var lb = client.services().inNamespace("default").withName("web").get().getStatus().getLoadBalancer();
                assertThat(lb.getIngress() == null || lb.getIngress().isEmpty()).isTrue();
            });
        }
    }

    /** curl's path; null where it is absent, unless -Dkubetest.require.curl=true (CI) makes that a failure. */
    private static String curl() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (java.nio.file.Files.isExecutable(java.nio.file.Path.of(dir, "curl"))) {
                return java.nio.file.Path.of(dir, "curl").toString();
            }
        }
        assertThat(Boolean.getBoolean("kubetest.require.curl")).as("kubetest.require.curl is set but curl is not on the PATH").isFalse();
        return null;
    }
}
