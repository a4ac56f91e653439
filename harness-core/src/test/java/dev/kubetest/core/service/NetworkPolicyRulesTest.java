package dev.kubetest.core.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.kubetest.core.network.NetworkPolicyRules;
import dev.kubetest.core.network.NetworkPolicyRules.Peer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The NetworkPolicy decision as a pure function: isolation, rule unions, peers, ports and IP blocks. */
class NetworkPolicyRulesTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private static JsonNode yaml(String text) {
        try {
            return YAML.readTree(text);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Peer pod(String ns, String ip, String labels) {
        return new Peer(ip, yaml("metadata: {namespace: " + ns + ", labels: {" + labels + "}}\n"
                + "spec: {containers: [{name: c, ports: [{name: http, containerPort: 8080}]}]}"));
    }

    private static boolean allowed(Peer from, Peer to, int port, String... policies) {
        List<JsonNode> all = java.util.Arrays.stream(policies).map(NetworkPolicyRulesTest::yaml).toList();
        return NetworkPolicyRules.allowed(from, to, port, all, ns -> Map.of("kubernetes.io/metadata.name", ns));
    }

    private final Peer api = pod("shop", "10.244.0.5", "role: api");
    private final Peer web = pod("shop", "10.244.0.6", "role: web");
    private final Peer db = pod("shop", "10.244.0.7", "app: db");
    private final Peer elsewhere = pod("ops", "10.244.0.8", "role: api");

    @Test
    void podsAreOpenUntilAPolicySelectsThem() {
        assertThat(allowed(web, db, 5432)).isTrue();
        assertThat(allowed(web, db, 5432, "metadata: {namespace: ops}\nspec: {podSelector: {}, ingress: []}")).isTrue();
        assertThat(allowed(web, db, 5432, "metadata: {namespace: shop}\nspec: {podSelector: {}}")).as("default deny ingress").isFalse();
        assertThat(allowed(web, db, 5432, "metadata: {namespace: shop}\nspec: {podSelector: {}, ingress: [{}]}")).as("allow all").isTrue();
        assertThat(allowed(web, db, 5432, "metadata: {namespace: shop}\nspec: {podSelector: {}, policyTypes: [Egress]}"))
                .as("default deny egress").isFalse();
    }

    @Test
    void peersPortsAndTheUnionOfPolicies() {
        String fromApi = "metadata: {namespace: shop}\nspec: {podSelector: {matchLabels: {app: db}}, ingress: [{from: [{podSelector: {matchLabels: {role: api}}}], ports: [{port: 5432}]}]}";
        assertThat(allowed(api, db, 5432, fromApi)).isTrue();
        assertThat(allowed(api, db, 5433, fromApi)).isFalse();
        assertThat(allowed(web, db, 5432, fromApi)).isFalse();
        assertThat(allowed(elsewhere, db, 5432, fromApi)).as("podSelector alone means the policy's namespace").isFalse();
        String fromOps = "metadata: {namespace: shop}\nspec: {podSelector: {}, ingress: [{from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: ops}}, podSelector: {matchLabels: {role: api}}}]}]}";
        assertThat(allowed(elsewhere, db, 1, fromOps)).isTrue();
        assertThat(allowed(elsewhere, db, 1, fromApi, fromOps)).as("union").isTrue();
        assertThat(allowed(api, db, 1, fromOps)).isFalse();
        String range = "metadata: {namespace: shop}\nspec: {podSelector: {}, ingress: [{ports: [{port: 8000, endPort: 8100}, {port: http}, {protocol: UDP, port: 53}]}]}";
        assertThat(allowed(web, db, 8050, range)).isTrue();
        assertThat(allowed(web, db, 8101, range)).isFalse();
        assertThat(allowed(web, db, 8080, range)).isTrue();
        assertThat(allowed(web, db, 53, range)).as("only TCP is simulated").isFalse();
    }

    @Test
    void ipBlocksWithExceptions() {
        String block = "metadata: {namespace: shop}\nspec: {podSelector: {}, ingress: [{from: [{ipBlock: {cidr: 172.18.0.0/16, except: [172.18.1.0/24]}}]}]}";
        assertThat(allowed(Peer.address("172.18.0.1"), db, 80, block)).isTrue();
        assertThat(allowed(Peer.address("172.18.1.9"), db, 80, block)).isFalse();
        assertThat(allowed(Peer.address("10.0.0.1"), db, 80, block)).isFalse();
        assertThat(allowed(api, db, 80, block)).isFalse();
    }
}
