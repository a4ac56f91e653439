package dev.kubetest.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kubetest.apiserver.support.Kubectl;
import dev.kubetest.apiserver.support.TestServer;
import dev.kubetest.core.KubeCluster;
import dev.kubetest.core.gateway.GatewayApi;
import dev.kubetest.core.network.PodNetwork;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The built-in Gateway API implementation: its conditions, and HTTPRoute matching, filters and weights on the data path. */
class GatewayApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The conformance suite's echo server as a Deployment of two replicas behind a Service on port 8080. */
    static String echo(String name, String namespace) {
        return """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: APP, namespace: NS}
                spec:
                  replicas: 2
                  selector: {matchLabels: {app: APP}}
                  template:
                    metadata: {labels: {app: APP}}
                    spec:
                      containers:
                      - name: echo
                        image: gcr.io/k8s-staging-gateway-api/echo-basic:v20240412-v1.0.0-394-g40c666fd
                        env:
                        - {name: POD_NAME, valueFrom: {fieldRef: {fieldPath: metadata.name}}}
                        - {name: NAMESPACE, valueFrom: {fieldRef: {fieldPath: metadata.namespace}}}
                        - {name: SERVICE_NAME, value: APP}
                        readinessProbe: {httpGet: {path: /, port: 3000}, periodSeconds: 1}
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: APP, namespace: NS}
                spec:
                  selector: {app: APP}
                  ports: [{port: 8080, targetPort: 3000}]
                """.replace("APP", name).replace("NS", namespace);
    }

    private static final String GATEWAY = """
            apiVersion: gateway.networking.k8s.io/v1
            kind: GatewayClass
            metadata: {name: kubetest}
            spec: {controllerName: kubetest.dev/gateway-controller}
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata: {name: gw, namespace: default}
            spec:
              gatewayClassName: kubetest
              listeners:
              - {name: http, protocol: HTTP, port: 80}
            """;

    private static final String ROUTES = """
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata: {name: split, namespace: default}
            spec:
              parentRefs: [{name: gw}]
              hostnames: [split.example.com]
              rules:
              - backendRefs:
                - {name: v1, port: 8080, weight: 80}
                - {name: v2, port: 8080, weight: 20}
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata: {name: matching, namespace: default}
            spec:
              parentRefs: [{name: gw}]
              hostnames: [match.example.com]
              rules:
              - matches:
                - path: {type: PathPrefix, value: /v2}
                - headers: [{name: version, value: two}]
                backendRefs: [{name: v2, port: 8080}]
              - matches:
                - path: {type: Exact, value: /q}
                  queryParams: [{name: canary, value: "true"}]
                backendRefs: [{name: v2, port: 8080}]
              - matches: [{path: {type: PathPrefix, value: /old}}]
                filters: [{type: RequestRedirect, requestRedirect: {scheme: https, statusCode: 301}}]
              - matches: [{path: {type: PathPrefix, value: /}}]
                filters:
                - type: RequestHeaderModifier
                  requestHeaderModifier:
                    set: [{name: X-Env, value: test}]
                    add: [{name: X-Added, value: "yes"}]
                    remove: [X-Remove-Me]
                backendRefs: [{name: v1, port: 8080}]
            """;

    static final ResourceDefinitionContext GATEWAYS = ctx("Gateway", "gateways", true);
    static final ResourceDefinitionContext GATEWAY_CLASSES = ctx("GatewayClass", "gatewayclasses", false);
    static final ResourceDefinitionContext HTTP_ROUTES = ctx("HTTPRoute", "httproutes", true);

    static ResourceDefinitionContext ctx(String kind, String plural, boolean namespaced) {
        return new ResourceDefinitionContext.Builder().withGroup(GatewayApi.GROUP).withVersion("v1").withKind(kind)
                .withPlural(plural).withNamespaced(namespaced).build();
    }

    static JsonNode status(KubernetesClient client, ResourceDefinitionContext ctx, String ns, String name) {
        var r = ns == null ? client.genericKubernetesResources(ctx).withName(name).get()
                : client.genericKubernetesResources(ctx).inNamespace(ns).withName(name).get();
        return r == null ? JSON.createObjectNode() : JSON.valueToTree(r.getAdditionalProperties().getOrDefault("status", Map.of()));
    }

    static String condition(JsonNode conditions, String type) {
        for (JsonNode c : conditions) {
            if (type.equals(c.path("type").asText())) {
                return c.path("status").asText() + "/" + c.path("reason").asText();
            }
        }
        return "";
    }

    static JsonNode json(PodNetwork.Response r) throws Exception {
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    @Test
    void anHttpRouteSplitsTrafficByWeightAndMatchesHeadersPathsAndQueries() throws Exception {
        Kubectl.assumePresent();
        try (TestServer server = new TestServer(KubeCluster.builder().timeMode(KubeCluster.TimeMode.AUTO))) {
            Kubectl kubectl = server.kubectl();
            KubernetesClient client = server.fabric8();
            // the shipped standard-channel CRDs, applied with kubectl as a user applies upstream's standard-install.yaml
            assertThat(kubectl.runWithInput(GatewayApi.standardInstall(), "apply", "-f", "-").ok().out())
                    .contains("customresourcedefinition.apiextensions.k8s.io/httproutes.gateway.networking.k8s.io created");
            await().atMost(Duration.ofSeconds(30)).until(() -> kubectl.run("get", "httproutes").exitCode() == 0);
            kubectl.runWithInput(echo("v1", "default") + "---\n" + echo("v2", "default") + "---\n" + GATEWAY + "---\n" + ROUTES,
                    "apply", "-f", "-").ok();
            client.apps().deployments().inNamespace("default").withName("v1").waitUntilReady(30, TimeUnit.SECONDS);
            client.apps().deployments().inNamespace("default").withName("v2").waitUntilReady(30, TimeUnit.SECONDS);

            // the controller accepts the class, programs the Gateway and accepts both routes
            await().atMost(Duration.ofSeconds(30)).until(() -> condition(status(client, GATEWAY_CLASSES, null, "kubetest").path("conditions"),
                    "Accepted").equals("True/Accepted"));
            await().atMost(Duration.ofSeconds(30)).until(() -> status(client, GATEWAYS, "default", "gw")
                    .path("listeners").path(0).path("attachedRoutes").asInt() == 2);
            JsonNode gw = status(client, GATEWAYS, "default", "gw");
            String address = gw.path("addresses").path(0).path("value").asText();
            assertThat(address).isEqualTo("172.18.255.101");
            assertThat(gw.path("addresses").path(0).path("type").asText()).isEqualTo("IPAddress");
            assertThat(condition(gw.path("conditions"), "Accepted")).isEqualTo("True/Accepted");
            assertThat(condition(gw.path("conditions"), "Programmed")).isEqualTo("True/Programmed");
            JsonNode listener = gw.path("listeners").path(0);
            assertThat(listener.path("supportedKinds").toString()).contains("HTTPRoute").contains("GRPCRoute");
            assertThat(condition(listener.path("conditions"), "Accepted")).isEqualTo("True/Accepted");
            assertThat(condition(listener.path("conditions"), "ResolvedRefs")).isEqualTo("True/ResolvedRefs");
            assertThat(condition(listener.path("conditions"), "Programmed")).isEqualTo("True/Programmed");
            JsonNode parents = status(client, HTTP_ROUTES, "default", "split").path("parents");
            assertThat(parents).hasSize(1);
            assertThat(parents.path(0).path("controllerName").asText()).isEqualTo(GatewayApi.CONTROLLER);
            assertThat(condition(parents.path(0).path("conditions"), "Accepted")).isEqualTo("True/Accepted");
            assertThat(condition(parents.path(0).path("conditions"), "ResolvedRefs")).isEqualTo("True/ResolvedRefs");
            assertThat(kubectl.run("get", "gateway").ok().out()).containsPattern("gw\\s+kubetest\\s+172\\.18\\.255\\.101\\s+True\\s");
            assertThat(kubectl.run("get", "gatewayclass").ok().out())
                    .containsPattern("kubetest\\s+kubetest\\.dev/gateway-controller\\s+True\\s");
            assertThat(kubectl.run("get", "httproute").ok().out()).containsPattern("split\\s+\\[\"split\\.example\\.com\"\\]\\s");

            PodNetwork net = server.cluster().network();
            // 80/20 over 1,000 requests (binomial: 800 +- 12.6; the bounds are five standard deviations)
            int v1 = 0;
            for (int i = 0; i < 1000; i++) {
                JsonNode answer = json(net.fromOutside().get("http://split.example.com/"));
                if (answer.path("pod").asText().startsWith("v1-")) {
                    v1++;
                } else {
                    assertThat(answer.path("pod").asText()).as(answer.toString()).startsWith("v2-");
                }
            }
            assertThat(v1).isBetween(737, 863);

            // path prefix, header and query matches; the catch-all rule with its header modifier
            assertThat(json(net.fromOutside().get("http://match.example.com/v2/x")).path("service").asText()).isEqualTo("v2");
            assertThat(json(net.fromOutside().get("http://match.example.com/v2x")).path("service").asText())
                    .as("a PathPrefix matches whole segments").isEqualTo("v1");
            assertThat(json(net.fromOutside().get("http://match.example.com/", Map.of("version", "two"))).path("service").asText()).isEqualTo("v2");
            assertThat(json(net.fromOutside().get("http://match.example.com/q?canary=true")).path("service").asText()).isEqualTo("v2");
            assertThat(json(net.fromOutside().get("http://match.example.com/q")).path("service").asText()).isEqualTo("v1");
            JsonNode echoed = json(net.fromOutside().get("http://match.example.com/page?x=1", Map.of("X-Remove-Me", "1", "X-Env", "prod")));
            assertThat(echoed.path("path").asText()).isEqualTo("/page?x=1");
            assertThat(echoed.path("host").asText()).isEqualTo("match.example.com");
            assertThat(echoed.path("namespace").asText()).isEqualTo("default");
            assertThat(echoed.path("headers").path("X-Env").toString()).isEqualTo("[\"test\"]");
            assertThat(echoed.path("headers").path("X-Added").toString()).isEqualTo("[\"yes\"]");
            assertThat(echoed.path("headers").has("X-Remove-Me")).isFalse();
            var redirect = net.fromOutside().get("http://match.example.com/old/page?a=b");
            assertThat(redirect.status()).isEqualTo(301);
            assertThat(redirect.header("Location")).contains("https://match.example.com/old/page?a=b");
            assertThat(net.fromOutside().get("http://" + address + "/", Map.of("Host", "nobody.example.com")).status())
                    .as("no route for the host").isEqualTo(404);

            // from a pod with busybox wget, by the Gateway's address and a Host header
            kubectl.runWithInput("""
                    apiVersion: v1
                    kind: Pod
                    metadata: {name: client}
                    spec: {containers: [{name: c, image: busybox:1.36, command: [sleep, "3600"]}]}
                    """, "apply", "-f", "-").ok();
            client.pods().inNamespace("default").withName("client").waitUntilReady(30, TimeUnit.SECONDS);
            assertThat(kubectl.run("exec", "client", "--", "wget", "-qO-", "--header", "Host: match.example.com",
                    "http://" + address + "/v2/").ok().out()).contains("\"service\" : \"v2\"");

            // a backend without ready endpoints: 503
            client.apps().deployments().inNamespace("default").withName("v2").scale(0);
            await().atMost(Duration.ofSeconds(30)).until(() -> net.fromOutside().get("http://match.example.com/v2/").status() == 503);
        }
    }

    @Test
    void conditionsReportUnresolvedBackendsCrossNamespaceReferencesAndDetachedRoutes() throws Exception {
        Kubectl.assumePresent();
        try (TestServer server = new TestServer(KubeCluster.builder().timeMode(KubeCluster.TimeMode.AUTO))) {
            Kubectl kubectl = server.kubectl();
            KubernetesClient client = server.fabric8();
            // the one-line install from Java
            assertThat(server.cluster().installGatewayApi()).extracting(o -> o.path("metadata").path("name").asText())
                    .contains("gateways.gateway.networking.k8s.io", "httproutes.gateway.networking.k8s.io",
                            "referencegrants.gateway.networking.k8s.io");
            // it returns once the kinds are served: an instance can be created at once
            server.cluster().apply("""
                    apiVersion: gateway.networking.k8s.io/v1
                    kind: GatewayClass
                    metadata: {name: at-once}
                    spec: {controllerName: example.com/none}
                    """, null);
            kubectl.run("create", "namespace", "backends").ok();
            kubectl.run("create", "namespace", "apps").ok();
            kubectl.runWithInput(echo("remote", "backends") + "---\n" + GATEWAY + """
                    ---
                    apiVersion: gateway.networking.k8s.io/v1
                    kind: GatewayClass
                    metadata: {name: someone-else}
                    spec: {controllerName: example.com/other-controller}
                    ---
                    apiVersion: gateway.networking.k8s.io/v1
                    kind: HTTPRoute
                    metadata: {name: missing, namespace: default}
                    spec:
                      parentRefs: [{name: gw}]
                      hostnames: [missing.example.com]
                      rules: [{backendRefs: [{name: nothing-here, port: 80}]}]
                    ---
                    apiVersion: gateway.networking.k8s.io/v1
                    kind: HTTPRoute
                    metadata: {name: cross, namespace: default}
                    spec:
                      parentRefs: [{name: gw}]
                      hostnames: [cross.example.com]
                      rules: [{backendRefs: [{name: remote, namespace: backends, port: 8080}]}]
                    ---
                    apiVersion: gateway.networking.k8s.io/v1
                    kind: GRPCRoute
                    metadata: {name: grpc, namespace: default}
                    spec:
                      parentRefs: [{name: gw}]
                      hostnames: [grpc.example.com]
                      rules: [{matches: [{method: {service: echo.Echo}}], backendRefs: [{name: grpc-backend, port: 9000}]}]
                    ---
                    apiVersion: gateway.networking.k8s.io/v1
                    kind: HTTPRoute
                    metadata: {name: wrong-section, namespace: default}
                    spec:
                      parentRefs: [{name: gw, sectionName: https}]
                      rules: [{backendRefs: [{name: nothing-here, port: 80}]}]
                    ---
                    apiVersion: gateway.networking.k8s.io/v1
                    kind: HTTPRoute
                    metadata: {name: other-namespace, namespace: apps}
                    spec:
                      parentRefs: [{name: gw, namespace: default}]
                      rules: [{backendRefs: [{name: nothing-here, port: 80}]}]
                    """, "apply", "-f", "-").ok();
            client.apps().deployments().inNamespace("backends").withName("remote").waitUntilReady(30, TimeUnit.SECONDS);

            await().atMost(Duration.ofSeconds(30)).until(() -> condition(status(client, HTTP_ROUTES, "default", "cross")
                    .path("parents").path(0).path("conditions"), "ResolvedRefs").equals("False/RefNotPermitted"));
            assertThat(condition(status(client, HTTP_ROUTES, "default", "missing").path("parents").path(0).path("conditions"), "ResolvedRefs"))
                    .isEqualTo("False/BackendNotFound");
            assertThat(condition(status(client, HTTP_ROUTES, "default", "missing").path("parents").path(0).path("conditions"), "Accepted"))
                    .as("a route with unresolved backends is still accepted").isEqualTo("True/Accepted");
            assertThat(condition(status(client, HTTP_ROUTES, "default", "wrong-section").path("parents").path(0).path("conditions"), "Accepted"))
                    .isEqualTo("False/NoMatchingParent");
            assertThat(condition(status(client, HTTP_ROUTES, "apps", "other-namespace").path("parents").path(0).path("conditions"), "Accepted"))
                    .as("listeners allow routes from their own namespace by default").isEqualTo("False/NotAllowedByListeners");
            assertThat(condition(status(client, GATEWAY_CLASSES, null, "someone-else").path("conditions"), "Accepted"))
                    .as("another implementation's class keeps the CRD's default status").isEqualTo("Unknown/Pending");
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                assertThat(status(client, GATEWAYS, "default", "gw").path("listeners").path(0).path("attachedRoutes").asInt())
                        .as("missing, cross and grpc attach; the others do not").isEqualTo(3);
                // a GRPCRoute gets its status as an HTTPRoute does
                JsonNode grpc = status(client, ctx("GRPCRoute", "grpcroutes", true), "default", "grpc").path("parents").path(0);
                assertThat(grpc.path("controllerName").asText()).isEqualTo(GatewayApi.CONTROLLER);
                assertThat(condition(grpc.path("conditions"), "Accepted")).isEqualTo("True/Accepted");
                assertThat(condition(grpc.path("conditions"), "ResolvedRefs")).isEqualTo("False/BackendNotFound");
            });

            PodNetwork net = server.cluster().network();
            assertThat(net.fromOutside().get("http://missing.example.com/").status()).isEqualTo(500);
            assertThat(net.fromOutside().get("http://cross.example.com/").status()).isEqualTo(500);

            // a ReferenceGrant in the backend's namespace lets the route use it
            kubectl.runWithInput("""
                    apiVersion: gateway.networking.k8s.io/v1beta1
                    kind: ReferenceGrant
                    metadata: {name: from-default, namespace: backends}
                    spec:
                      from: [{group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: default}]
                      to: [{group: "", kind: Service}]
                    """, "apply", "-f", "-").ok();
            await().atMost(Duration.ofSeconds(30)).until(() -> condition(status(client, HTTP_ROUTES, "default", "cross")
                    .path("parents").path(0).path("conditions"), "ResolvedRefs").equals("True/ResolvedRefs"));
            JsonNode answer = json(net.fromOutside().get("http://cross.example.com/"));
            assertThat(answer.path("namespace").asText()).isEqualTo("backends");
            assertThat(answer.path("pod").asText()).startsWith("remote-");

            // the status follows the route's generation
            var route = client.genericKubernetesResources(HTTP_ROUTES).inNamespace("default").withName("missing").get();
            long generation = route.getMetadata().getGeneration();
            assertThat(status(client, HTTP_ROUTES, "default", "missing").path("parents").path(0).path("conditions").path(0)
                    .path("observedGeneration").asLong()).isEqualTo(generation);
        }
    }
}
