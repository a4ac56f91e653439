package dev.kubetest.core.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubetest.core.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServiceFunctionsTest {

    static ObjectNode service(String json) {
        return (ObjectNode) Json.parse(json);
    }

    static ObjectNode pod(String name, String ip, boolean ready, int httpPort, boolean terminating) {
        ObjectNode p = (ObjectNode) Json.parse("""
                {"metadata":{"name":"%s","namespace":"shop","uid":"u-%s"},
                 "spec":{"nodeName":"n1","hostname":"%s","subdomain":"web",
                         "containers":[{"name":"c","ports":[{"name":"http","containerPort":%d}]}]},
                 "status":{"phase":"Running","podIP":"%s","conditions":[{"type":"Ready","status":"%s"}]}}
                """.formatted(name, name, name, httpPort, ip, ready ? "True" : "False"));
        if (terminating) {
            ((ObjectNode) p.get("metadata")).put("deletionTimestamp", "2026-12-04T10:00:00Z");
        }
        return p;
    }

    static final ObjectNode WEB = service("""
            {"metadata":{"name":"web","namespace":"shop"},
             "spec":{"clusterIP":"None","selector":{"app":"web"},
                     "ports":[{"name":"http","port":80,"targetPort":"http"},{"name":"metrics","port":9090}]}}
            """);

    @Test
    void slicesHoldAtMostAHundredEndpointsPerPortSet() {
        List<JsonNode> pods = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            pods.add(pod(String.format("web-%03d", i), "10.244.1." + i, true, 8080, false));
        }
        List<ObjectNode> slices = ServiceEndpoints.slices(WEB, ServiceEndpoints.endpoints(WEB, pods));
        assertThat(slices).extracting(s -> s.path("endpoints").size()).containsExactly(100, 100, 50);
        assertThat(slices.get(0).path("ports").toString())
                .isEqualTo("[{\"name\":\"http\",\"port\":8080,\"protocol\":\"TCP\"},{\"name\":\"metrics\",\"port\":9090,\"protocol\":\"TCP\"}]");
        // the pods' hostnames, as their subdomain is the Service
        assertThat(slices.get(0).path("endpoints").get(0).path("hostname").asText()).isEqualTo("web-000");
    }

    @Test
    void podsResolvingANamedPortDifferentlyLandInDifferentGroups() {
        List<JsonNode> pods = List.of(pod("a", "10.0.0.1", true, 8080, false), pod("b", "10.0.0.2", true, 8081, false),
                pod("c", "10.0.0.3", true, 8080, false));
        List<ObjectNode> slices = ServiceEndpoints.slices(WEB, ServiceEndpoints.endpoints(WEB, pods));
        assertThat(slices).hasSize(2);
        assertThat(slices.get(0).path("endpoints").size()).isEqualTo(2);
        assertThat(slices.get(1).path("ports").get(0).path("port").asInt()).isEqualTo(8081);
    }

    @Test
    void conditionsAndTheLegacySubsets() {
        List<JsonNode> pods = List.of(pod("ready", "10.0.0.1", true, 8080, false), pod("unready", "10.0.0.2", false, 8080, false),
                pod("leaving", "10.0.0.3", true, 8080, true));
        var endpoints = ServiceEndpoints.endpoints(WEB, pods);
        assertThat(endpoints).extracting(e -> e.pod().path("metadata").path("name").asText() + ":" + e.ready() + "/" + e.serving()
                + "/" + e.terminating()).containsExactly("leaving:false/true/true", "ready:true/true/false", "unready:false/false/false");
        var subsets = ServiceEndpoints.subsets(WEB, endpoints);
        assertThat(subsets).hasSize(1);
        assertThat(subsets.get(0).path("addresses")).hasSize(1);
        assertThat(subsets.get(0).path("notReadyAddresses")).hasSize(1);

        ObjectNode publishing = WEB.deepCopy();
        ((ObjectNode) publishing.get("spec")).put("publishNotReadyAddresses", true);
        var all = ServiceEndpoints.endpoints(publishing, pods);
        assertThat(all).allMatch(ServiceEndpoints.Endpoint::ready);
        assertThat(ServiceEndpoints.subsets(publishing, all).get(0).path("addresses")).hasSize(3);

        // finished pods and pods without an IP are no endpoints
        ObjectNode done = pod("done", "10.0.0.4", false, 8080, false);
        ((ObjectNode) done.get("status")).put("phase", "Succeeded");
        ObjectNode pending = pod("pending", "", false, 8080, false);
        assertThat(ServiceEndpoints.endpoints(WEB, List.of(done, pending))).isEmpty();
        assertThat(ServiceEndpoints.slices(WEB, List.of())).singleElement()
                .satisfies(s -> assertThat(s.path("endpoints").isEmpty()).isTrue());
    }

    @Test
    void serviceVariablesAsUpstreamWritesThem() {
        ObjectNode kubernetes = service("""
                {"metadata":{"name":"kubernetes","namespace":"default"},
                 "spec":{"clusterIP":"10.96.0.1","ports":[{"name":"https","port":443,"protocol":"TCP"}]}}""");
        ObjectNode redis = service("""
                {"metadata":{"name":"redis-primary","namespace":"shop"},
                 "spec":{"clusterIP":"10.96.3.4","ports":[{"name":"redis","port":6379},{"name":"admin","port":16379,"protocol":"UDP"}]}}""");
        ObjectNode headless = service("""
                {"metadata":{"name":"db","namespace":"shop"},"spec":{"clusterIP":"None","ports":[{"port":5432}]}}""");
        ObjectNode elsewhere = service("""
                {"metadata":{"name":"other","namespace":"team-b"},"spec":{"clusterIP":"10.96.9.9","ports":[{"port":80}]}}""");
        Map<String, String> env = ServiceLinks.env(List.of(kubernetes, redis, headless, elsewhere), "shop", true);
        assertThat(env).containsEntry("KUBERNETES_SERVICE_HOST", "10.96.0.1").containsEntry("KUBERNETES_SERVICE_PORT", "443")
                .containsEntry("KUBERNETES_SERVICE_PORT_HTTPS", "443").containsEntry("KUBERNETES_PORT", "tcp://10.96.0.1:443")
                .containsEntry("KUBERNETES_PORT_443_TCP", "tcp://10.96.0.1:443")
                .containsEntry("REDIS_PRIMARY_SERVICE_HOST", "10.96.3.4").containsEntry("REDIS_PRIMARY_SERVICE_PORT", "6379")
                .containsEntry("REDIS_PRIMARY_SERVICE_PORT_ADMIN", "16379")
                .containsEntry("REDIS_PRIMARY_PORT_16379_UDP", "udp://10.96.3.4:16379")
                .containsEntry("REDIS_PRIMARY_PORT_6379_TCP_PROTO", "tcp").containsEntry("REDIS_PRIMARY_PORT_6379_TCP_PORT", "6379")
                .containsEntry("REDIS_PRIMARY_PORT_6379_TCP_ADDR", "10.96.3.4");
        assertThat(env.keySet()).noneMatch(k -> k.startsWith("DB_") || k.startsWith("OTHER_"));
        assertThat(ServiceLinks.env(List.of(kubernetes, redis), "shop", false).keySet()).allMatch(k -> k.startsWith("KUBERNETES_"));
    }
}
