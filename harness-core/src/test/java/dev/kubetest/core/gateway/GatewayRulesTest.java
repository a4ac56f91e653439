package dev.kubetest.core.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.kubetest.core.network.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The pure rules of the Gateway API: route attachment, hostname intersection, match precedence and filters. */
class GatewayRulesTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    static JsonNode yaml(String text) {
        try {
            return YAML.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    static HttpRequest get(String target, String... headers) {
        StringBuilder b = new StringBuilder("GET " + target + " HTTP/1.1\r\nHost: example.com\r\n");
        for (String h : headers) {
            b.append(h).append("\r\n");
        }
        return HttpRequest.parse(b.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1)).orElseThrow();
    }

    private static final JsonNode GATEWAY = yaml("""
            metadata: {name: gw, namespace: infra}
            spec:
              listeners:
              - {name: web, protocol: HTTP, port: 80, hostname: "*.example.com"}
              - name: shared
                protocol: HTTP
                port: 8080
                allowedRoutes: {namespaces: {from: Selector, selector: {matchLabels: {shared: "yes"}}}}
              - {name: tcp, protocol: TCP, port: 9000}
            """);

    @Test
    void routesAttachByListenerNamespaceAndHostname() {
        JsonNode route = yaml("""
                metadata: {name: r, namespace: apps}
                spec: {hostnames: [shop.example.com]}
                """);
        assertThat(RouteAttachment.attach(GATEWAY, route, "HTTPRoute", yaml("{name: gw, namespace: infra}"), Map.of("shared", "yes")).listeners())
                .containsExactly("shared");
        assertThat(RouteAttachment.attach(GATEWAY, route, "HTTPRoute", yaml("{name: gw, namespace: infra}"), Map.of()).reason())
                .isEqualTo("NotAllowedByListeners");
        assertThat(RouteAttachment.attach(GATEWAY, route, "HTTPRoute", yaml("{name: gw, sectionName: nope}"), Map.of()).reason())
                .isEqualTo("NoMatchingParent");
        JsonNode local = yaml("""
                metadata: {name: r, namespace: infra}
                spec: {hostnames: [other.org]}
                """);
        assertThat(RouteAttachment.attach(GATEWAY, local, "HTTPRoute", yaml("{name: gw, sectionName: web}"), Map.of()).reason())
                .isEqualTo("NoMatchingListenerHostname");
        assertThat(RouteAttachment.supportedKinds(GATEWAY.path("spec").path("listeners").path(2))).isEmpty();
    }

    @Test
    void hostnamesIntersectAndTheMostSpecificWins() {
        assertThat(RouteAttachment.intersect("*.example.com", "a.example.com")).isTrue();
        assertThat(RouteAttachment.intersect("*.example.com", "*.b.example.com")).isTrue();
        assertThat(RouteAttachment.intersect("a.example.com", "b.example.com")).isFalse();
        assertThat(RouteAttachment.hostScore("a.example.com", "a.example.com"))
                .isGreaterThan(RouteAttachment.hostScore("*.example.com", "a.example.com"));
        assertThat(RouteAttachment.hostScore("*.example.com", "example.com")).isZero();
    }

    @Test
    void matchPrecedenceIsExactThenLongestPrefixThenHeadersThenQueries() {
        JsonNode route = yaml("""
                metadata: {name: r, namespace: default, creationTimestamp: "2026-01-01T00:00:00Z"}
                spec:
                  rules:
                  - {matches: [{path: {type: PathPrefix, value: /}}], backendRefs: [{name: root}]}
                  - {matches: [{path: {type: PathPrefix, value: /api}}], backendRefs: [{name: api}]}
                  - {matches: [{path: {type: PathPrefix, value: /api}, headers: [{name: x-canary, value: "1"}]}], backendRefs: [{name: canary}]}
                  - {matches: [{path: {type: Exact, value: /api/health}}], backendRefs: [{name: health}]}
                  - {matches: [{path: {type: PathPrefix, value: /api}, queryParams: [{name: v, type: RegularExpression, value: "2.*"}]}], backendRefs: [{name: v2}]}
                """);
        java.util.function.Function<HttpRequest, String> backend = r -> HttpRouteMatching.choose(List.of(route), r)
                .map(c -> c.rule().path("backendRefs").path(0).path("name").asText()).orElse("none");
        assertThat(backend.apply(get("/"))).isEqualTo("root");
        assertThat(backend.apply(get("/apis"))).as("prefixes match whole segments").isEqualTo("root");
        assertThat(backend.apply(get("/api/x"))).isEqualTo("api");
        assertThat(backend.apply(get("/api/health", "x-canary: 1"))).isEqualTo("health");
        assertThat(backend.apply(get("/api/x", "X-Canary: 1"))).as("header names are case-insensitive").isEqualTo("canary");
        assertThat(backend.apply(get("/api/x?v=2.1"))).isEqualTo("v2");
        assertThat(backend.apply(get("/api/x?v=2.1", "x-canary: 1"))).as("headers before query parameters").isEqualTo("canary");
    }

    @Test
    void filtersRedirectRewriteAndModifyHeaders() {
        JsonNode prefixMatch = yaml("{path: {type: PathPrefix, value: /old}}");
        String redirect = new String(HttpFilters.redirect(yaml("{scheme: https}"), get("/old/a?x=1"), prefixMatch, "http", 80),
                StandardCharsets.ISO_8859_1);
        assertThat(redirect).startsWith("HTTP/1.1 302 Found").contains("Location: https://example.com/old/a?x=1");
        String moved = new String(HttpFilters.redirect(yaml("{path: {type: ReplacePrefixMatch, replacePrefixMatch: /new}, statusCode: 301, port: 8443}"),
                get("/old/a"), prefixMatch, "http", 80), StandardCharsets.ISO_8859_1);
        assertThat(moved).startsWith("HTTP/1.1 301").contains("Location: http://example.com:8443/new/a");
        HttpRequest rewritten = HttpFilters.rewrite(get("/old/a/b"), yaml("{hostname: internal, path: {type: ReplacePrefixMatch, replacePrefixMatch: /}}"),
                prefixMatch);
        assertThat(rewritten.path()).isEqualTo("/a/b");
        assertThat(rewritten.host()).isEqualTo("internal");
        HttpRequest modified = HttpFilters.modifyHeaders(get("/", "X-A: 1", "X-Gone: 1"),
                yaml("{set: [{name: x-a, value: \"2\"}], add: [{name: X-B, value: \"3\"}], remove: [x-gone]}"));
        assertThat(modified.header("X-A")).isEqualTo("2");
        assertThat(modified.header("X-B")).isEqualTo("3");
        assertThat(modified.header("X-Gone")).isNull();
    }
}
