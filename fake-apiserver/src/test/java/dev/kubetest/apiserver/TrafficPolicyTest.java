package dev.kubetest.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kubetest.apiserver.support.Kubectl;
import dev.kubetest.apiserver.support.TestServer;
import dev.kubetest.core.KubeCluster;
import dev.kubetest.core.network.NetworkException;
import dev.kubetest.core.network.PodNetwork;
import dev.kubetest.core.node.NodeConfig;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** externalTrafficPolicy Local: node ports reach only the node's own endpoints; health check node ports. */
class TrafficPolicyTest {

    private static final String APP = """
            apiVersion: v1
            kind: Pod
            metadata: {name: web, labels: {app: web}}
            spec:
              nodeName: node-1
              containers: [{name: nginx, image: nginx:1.27, ports: [{containerPort: 80}]}]
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: local}
            spec:
              type: NodePort
              externalTrafficPolicy: Local
              selector: {app: web}
              ports: [{port: 80, nodePort: 30080}]
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: cluster}
            spec:
              type: NodePort
              selector: {app: web}
              ports: [{port: 80, nodePort: 30081}]
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: lb}
            spec:
              type: LoadBalancer
              externalTrafficPolicy: Local
              selector: {app: web}
              ports: [{port: 80}]
            """;

    static String address(KubernetesClient client, String node) {
        Node n = client.nodes().withName(node).get();
        return n.getStatus().getAddresses().stream().filter(a -> a.getType().equals("InternalIP")).findFirst().orElseThrow().getAddress();
    }

    @Test
    void aLocalNodePortReachesOnlyItsNodesEndpoints() throws Exception {
        Kubectl.assumePresent();
        try (TestServer server = new TestServer(KubeCluster.builder().timeMode(KubeCluster.TimeMode.AUTO)
                .node(NodeConfig.named("node-1")).node(NodeConfig.named("node-2")))) {
            Kubectl kubectl = server.kubectl();
            KubernetesClient client = server.fabric8();
            kubectl.runWithInput(APP, "apply", "-f", "-").ok();
            client.pods().inNamespace("default").withName("web").waitUntilReady(30, TimeUnit.SECONDS);
            String node1 = address(client, "node-1");
            String node2 = address(client, "node-2");
            PodNetwork.Client outside = server.cluster().network().fromOutside();

            assertThat(outside.get("http://" + node1 + ":30080/").body()).contains("Welcome to nginx!");
            assertThatThrownBy(() -> outside.get("http://" + node2 + ":30080/")).as("no endpoint on node-2: kube-proxy drops it")
                    .isInstanceOfSatisfying(NetworkException.class, e -> assertThat(e.reason()).isEqualTo(NetworkException.Reason.TIMED_OUT));
            assertThat(outside.get("http://" + node2 + ":30081/").body()).as("Cluster: forwarded to node-1's pod").contains("Welcome to nginx!");

            // the LoadBalancer gets a health check node port; its address reaches the endpoint (the balancer checks nodes)
            Service lb = client.services().inNamespace("default").withName("lb").get();
            assertThat(lb.getSpec().getHealthCheckNodePort()).isBetween(30000, 32767);
            assertThat(kubectl.run("describe", "svc", "lb").ok().out())
                    .containsPattern("External Traffic Policy:\\s+Local").containsPattern("HealthCheck NodePort:\\s+" + lb.getSpec().getHealthCheckNodePort());
            // back to Cluster: the health check port goes, and is free again
            client.services().inNamespace("default").withName("lb").edit(s -> {
                s.getSpec().setExternalTrafficPolicy("Cluster");
                return s;
            });
            assertThat(client.services().inNamespace("default").withName("lb").get().getSpec().getHealthCheckNodePort()).isNull();

            // allocateLoadBalancerNodePorts false: no node port unless asked for, and the address still routes
            client.services().inNamespace("default").resource(new io.fabric8.kubernetes.api.model.ServiceBuilder()
                    .withNewMetadata().withName("direct").endMetadata().withNewSpec().withType("LoadBalancer")
                    .withAllocateLoadBalancerNodePorts(false).addToSelector("app", "web").addNewPort().withName("web").withPort(80).endPort()
                    .addNewPort().withName("alt").withPort(8080).withNewTargetPort(80).withNodePort(30090).endPort().endSpec().build()).create();
            Service direct = client.services().inNamespace("default").withName("direct").get();
            assertThat(direct.getSpec().getPorts().get(0).getNodePort()).isNull();
            assertThat(direct.getSpec().getPorts().get(1).getNodePort()).isEqualTo(30090);
            String directIp = org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() -> {
                var ingress = client.services().inNamespace("default").withName("direct").get().getStatus().getLoadBalancer().getIngress();
                return ingress == null || ingress.isEmpty() ? null : ingress.get(0).getIp();
            }, java.util.Objects::nonNull);
            assertThat(outside.get("http://" + directIp + "/").body()).contains("Welcome to nginx!");
            assertThat(kubectl.run("get", "svc", "direct").ok().out()).containsPattern("80/TCP,8080:30090/TCP");

            // a health check port on a Service that cannot have one is refused as upstream refuses it
            assertThatThrownBy(() -> client.services().inNamespace("default").resource(new io.fabric8.kubernetes.api.model.ServiceBuilder()
                    .withNewMetadata().withName("wrong").endMetadata().withNewSpec().withType("NodePort").withHealthCheckNodePort(31000)
                    .addNewPort().withPort(80).endPort().endSpec().build()).create())
                    .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                        assertThat(e.getCode()).isEqualTo(422);
                        assertThat(e.getMessage()).contains("spec.healthCheckNodePort")
                                .contains("may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'");
                    });
        }
    }
}
