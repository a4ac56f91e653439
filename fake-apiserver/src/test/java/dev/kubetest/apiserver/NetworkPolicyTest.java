package dev.kubetest.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.kubetest.apiserver.support.Kubectl;
import dev.kubetest.apiserver.support.TestServer;
import dev.kubetest.core.KubeCluster;
import dev.kubetest.core.network.NetworkException;
import dev.kubetest.core.network.PodNetwork;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** NetworkPolicies enforced on the simulated network, applied with kubectl and checked from pods' shells and the Java API. */
class NetworkPolicyTest {

    private static final String PODS = """
            apiVersion: v1
            kind: Namespace
            metadata: {name: shop}
            ---
            apiVersion: v1
            kind: Namespace
            metadata: {name: ops, labels: {team: ops}}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: db, namespace: shop, labels: {app: db}}
            spec:
              containers:
              - name: db
                image: busybox:1.36
                command: [sh, -c, "mkdir -p /www; echo rows > /www/index.html; httpd -p 5432 -h /www; httpd -f -p 8080 -h /www"]
                ports: [{name: sql, containerPort: 5432}, {name: admin, containerPort: 8080}]
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: db, namespace: shop}
            spec:
              selector: {app: db}
              ports: [{name: sql, port: 5432}]
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: api, namespace: shop, labels: {role: api}}
            spec:
              containers: [{name: c, image: busybox:1.36, command: [sleep, "3600"]}]
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: web, namespace: shop, labels: {role: web}}
            spec:
              containers: [{name: c, image: busybox:1.36, command: [sleep, "3600"]}]
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: probe, namespace: ops, labels: {role: probe}}
            spec:
              containers: [{name: c, image: busybox:1.36, command: [sleep, "3600"]}]
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: other, namespace: ops, labels: {role: other}}
            spec:
              containers: [{name: c, image: busybox:1.36, command: [sleep, "3600"]}]
            """;

    private static final String DB_POLICY = """
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: db-from-api, namespace: shop}
            spec:
              podSelector: {matchLabels: {app: db}}
              ingress:
              - from:
                - podSelector: {matchLabels: {role: api}}
                - namespaceSelector: {matchLabels: {team: ops}}
                  podSelector: {matchLabels: {role: probe}}
                ports: [{port: sql}]
            """;

    @Test
    void aDatabaseIsReachableOnlyFromApiPodsAndDeniedConnectionsTimeOut() throws Exception {
        Kubectl.assumePresent();
        try (TestServer server = new TestServer(KubeCluster.builder().timeMode(KubeCluster.TimeMode.AUTO))) {
            Kubectl kubectl = server.kubectl();
            kubectl.runWithInput(PODS, "apply", "-f", "-").ok();
            KubernetesClient client = server.fabric8();
            for (String[] p : new String[][] {{"shop", "db"}, {"shop", "api"}, {"shop", "web"}, {"ops", "probe"}, {"ops", "other"}}) {
                client.pods().inNamespace(p[0]).withName(p[1]).waitUntilReady(30, TimeUnit.SECONDS);
            }
            PodNetwork net = server.cluster().network();
            await().atMost(Duration.ofSeconds(30)).until(() -> net.from("shop", "web").canConnect("db", 5432));

            // without a policy every pod reaches the database
            assertThat(net.from("shop", "web").get("http://db:5432/").body()).isEqualTo("rows\n");

            assertThat(kubectl.runWithInput(DB_POLICY, "apply", "-f", "-").ok().out())
                    .contains("networkpolicy.networking.k8s.io/db-from-api created");
            assertThat(kubectl.run("get", "netpol", "-n", "shop").ok().out()).containsPattern("NAME\\s+POD-SELECTOR\\s+AGE\\s+db-from-api\\s+app=db\\s");

            // allowed: api pods of the namespace, through the Service and by pod IP, and probe pods of namespaces labelled team=ops
            assertThat(net.from("shop", "api").get("http://db:5432/").body()).isEqualTo("rows\n");
            assertThat(net.from("shop", "api").get("http://db.shop.svc.cluster.local:5432/").status()).isEqualTo(200);
            assertThat(net.from("ops", "probe").canConnect("db.shop", 5432)).isTrue();
            // denied: other pods, other namespaces' pods without the label, and a port the rule does not name
            assertThat(net.from("shop", "web").canConnect("db", 5432)).isFalse();
            assertThat(net.from("ops", "other").canConnect("db.shop", 5432)).isFalse();
            String dbIp = client.pods().inNamespace("shop").withName("db").get().getStatus().getPodIP();
            assertThat(net.from("shop", "api").canConnect(dbIp, 8080)).isFalse();
            assertThatThrownBy(() -> net.from("shop", "web").get("http://db:5432/"))
                    .isInstanceOf(NetworkException.class).hasMessageContaining("Connection timed out")
                    .extracting(e -> ((NetworkException) e).reason()).isEqualTo(NetworkException.Reason.TIMED_OUT);

            // in the pods' shells: the allowed one answers, the denied one times out after wget's -T on the cluster clock
            assertThat(kubectl.run("exec", "-n", "shop", "api", "--", "wget", "-qO-", "http://db:5432/").ok().out()).isEqualTo("rows\n");
            Kubectl.Result denied = kubectl.run("exec", "-n", "shop", "web", "--", "wget", "-T", "2", "-qO-", "http://db:5432/");
            assertThat(denied.exitCode()).isEqualTo(1);
            assertThat(denied.err()).contains("wget: download timed out");
            Kubectl.Result nc = kubectl.run("exec", "-n", "shop", "web", "--", "nc", "-z", "-w", "1", dbIp, "5432");
            assertThat(nc.exitCode()).isEqualTo(1);
            assertThat(nc.err()).contains("nc: timed out");
            // the database's own outbound connections are not restricted (the policy only has Ingress)
            assertThat(net.from("shop", "db").canConnect("localhost", 8080)).isTrue();

            // once the policy goes, everyone reaches the database again
            kubectl.run("delete", "netpol", "-n", "shop", "db-from-api").ok();
            assertThat(net.from("shop", "web").canConnect("db", 5432)).isTrue();
        }
    }

    @Test
    void defaultDenyEgressWithAnAllowListAndIpBlocksForTrafficFromOutside() throws Exception {
        Kubectl.assumePresent();
        try (TestServer server = new TestServer(KubeCluster.builder().timeMode(KubeCluster.TimeMode.AUTO))) {
            Kubectl kubectl = server.kubectl();
            kubectl.runWithInput(PODS, "apply", "-f", "-").ok();
            KubernetesClient client = server.fabric8();
            for (String[] p : new String[][] {{"shop", "db"}, {"shop", "api"}, {"ops", "probe"}}) {
                client.pods().inNamespace(p[0]).withName(p[1]).waitUntilReady(30, TimeUnit.SECONDS);
            }
            PodNetwork net = server.cluster().network();
            await().atMost(Duration.ofSeconds(30)).until(() -> net.from("shop", "api").canConnect("db", 5432));
            kubectl.runWithInput("""
                    apiVersion: networking.k8s.io/v1
                    kind: NetworkPolicy
                    metadata: {name: default-deny-egress, namespace: shop}
                    spec:
                      podSelector: {}
                      policyTypes: [Egress]
                    ---
                    apiVersion: networking.k8s.io/v1
                    kind: NetworkPolicy
                    metadata: {name: api-to-db-range, namespace: shop}
                    spec:
                      podSelector: {matchLabels: {role: api}}
                      egress:
                      - to: [{podSelector: {matchLabels: {app: db}}}]
                        ports: [{protocol: TCP, port: 8000, endPort: 8100}]
                    """, "apply", "-f", "-").ok();
            assertThat(client.network().networkPolicies().inNamespace("shop").withName("default-deny-egress").get()
                    .getSpec().getPolicyTypes()).containsExactly("Egress");
            // egress denied by default; the api pod may open 8000-8100 to the database only
            assertThat(net.from("shop", "api").canConnect("db", 5432)).isFalse();
            String dbIp = client.pods().inNamespace("shop").withName("db").get().getStatus().getPodIP();
            assertThat(net.from("shop", "api").get("http://" + dbIp + ":8080/").body()).isEqualTo("rows\n");
            assertThat(net.from("shop", "db").canConnect("localhost", 8080)).as("within a pod").isTrue();
            assertThat(net.from("shop", "db").canConnect(
                    client.pods().inNamespace("ops").withName("probe").get().getStatus().getPodIP(), 80)).isFalse();
            // ingress to the ops namespace is untouched: probe reaches db's admin port (db has no ingress policy)
            assertThat(net.from("ops", "probe").canConnect(dbIp, 8080)).isTrue();

            // an ipBlock decides for traffic from outside the cluster (it comes from kind's gateway, 172.18.0.1)
            client.services().inNamespace("shop").withName("db").edit(s -> {
                s.getSpec().setType("NodePort");
                return s;
            });
            int nodePort = client.services().inNamespace("shop").withName("db").get().getSpec().getPorts().get(0).getNodePort();
            String nodeIp = client.nodes().list().getItems().get(0).getStatus().getAddresses().get(0).getAddress();
            assertThat(net.fromOutside().get("http://" + nodeIp + ":" + nodePort + "/").body()).isEqualTo("rows\n");
            kubectl.runWithInput("""
                    apiVersion: networking.k8s.io/v1
                    kind: NetworkPolicy
                    metadata: {name: db-from-lan, namespace: shop}
                    spec:
                      podSelector: {matchLabels: {app: db}}
                      ingress:
                      - from: [{ipBlock: {cidr: 172.18.0.0/16, except: [172.18.0.0/24]}}]
                    """, "apply", "-f", "-").ok();
            assertThat(net.fromOutside().canConnect(nodeIp, nodePort)).isFalse();
            kubectl.runWithInput("""
                    apiVersion: networking.k8s.io/v1
                    kind: NetworkPolicy
                    metadata: {name: db-from-lan, namespace: shop}
                    spec:
                      podSelector: {matchLabels: {app: db}}
                      ingress:
                      - from: [{ipBlock: {cidr: 172.18.0.0/16, except: [172.18.5.0/24]}}]
                    """, "apply", "-f", "-").ok();
            assertThat(net.fromOutside().canConnect(nodeIp, nodePort)).isTrue();
            // the db pod is now isolated for ingress: pods (not in the block) no longer reach it
            assertThat(net.from("ops", "probe").canConnect(dbIp, 8080)).isFalse();
        }
    }
}
