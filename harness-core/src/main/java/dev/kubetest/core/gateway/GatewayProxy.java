package dev.kubetest.core.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kubetest.core.api.KubeApi;
import dev.kubetest.core.network.HttpProxy;
import dev.kubetest.core.network.HttpRequest;
import dev.kubetest.core.runtime.ClusterNetwork;
import dev.kubetest.core.selector.LabelSelector;
import dev.kubetest.core.service.ServiceRouter;
import dev.kubetest.core.tls.TlsCredentials;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * The data path of this implementation's Gateways: HTTP to a Gateway's address on a listener's port goes to the
 * listener with the most specific matching hostname, then through the attached HTTPRoutes (the most specific
 * route hostname, then {@link HttpRouteMatching}), their filters (RequestRedirect, RequestHeaderModifier,
 * ResponseHeaderModifier, URLRewrite, RequestMirror) and a backend chosen at random by weight. No matching route is
 * a 404, a backend that does not resolve (or all weights 0) a 500, a Service without a ready endpoint a 503.
 */
public final class GatewayProxy implements HttpProxy {
    private final KubeApi api;
    private final GatewayApi gateways;
    private final ServiceRouter router;
    private final Random random = new Random();
    private final dev.kubetest.core.network.TlsSecrets secrets;

    public GatewayProxy(KubeApi api, ServiceRouter router) {
        this.api = api;
        this.gateways = new GatewayApi(api);
        this.router = router;
        this.secrets = new dev.kubetest.core.network.TlsSecrets(api);
    }

    @Override
    public boolean listens(String ip, int port) {
        return gateways.type("gateways").isPresent() && gateways.ourGateways().stream()
                .anyMatch(gw -> ip.equals(GatewayController.address(gw)) && onPort(gw, port).findAny().isPresent());
    }

    @Override
    public Optional<TlsCredentials> certificate(String ip, int port, String serverName) {
        if (gateways.type("gateways").isEmpty()) {
            return Optional.empty();
        }
        for (JsonNode gw : gateways.ourGateways()) {
            if (!ip.equals(GatewayController.address(gw))) {
                continue;
            }
            JsonNode listener = listenerFor(gw, port, serverName);
            if (listener == null || !"HTTPS".equals(listener.path("protocol").asText())
                    || "Passthrough".equals(listener.path("tls").path("mode").asText())) {
                return Optional.empty();
            }
            JsonNode ref = listener.path("tls").path("certificateRefs").path(0);
            String ns = ref.path("namespace").asText(gw.path("metadata").path("namespace").asText());
            try {
                return "Secret".equals(ref.path("kind").asText("Secret")) ? Optional.of(secrets.read(ns, ref.path("name").asText()))
                        : Optional.empty();
            } catch (TlsCredentials.Invalid e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    @Override
    public Optional<byte[]> serve(Connection connection, HttpRequest request, ClusterNetwork.Upstream upstream) {
        if (gateways.type("gateways").isEmpty()) {
            return Optional.empty();
        }
        int port = connection.port();
        for (JsonNode gw : gateways.ourGateways()) {
            if (!connection.ip().equals(GatewayController.address(gw))) {
                continue;
            }
            if (onPort(gw, port).findAny().isEmpty()) {
                return Optional.empty();
            }
            JsonNode listener = listenerFor(gw, port, request.host());
            if (listener == null) {
                return Optional.of(HttpRequest.response(404, "Not Found", Map.of(), ""));
            }
            if ("HTTPS".equals(listener.path("protocol").asText()) && !connection.tls()) {
                // a TLS listener resets a connection that does not start with a handshake
                return Optional.of(new byte[0]);
            }
            return Optional.of(route(gw, listener, connection.fromIp(), port, request, upstream));
        }
        return Optional.empty();
    }

    private static java.util.stream.Stream<JsonNode> onPort(JsonNode gw, int port) {
        return java.util.stream.StreamSupport.stream(gw.path("spec").path("listeners").spliterator(), false)
                .filter(l -> l.path("port").asInt() == port);
    }

    /** The listener on {@code port} with the most specific hostname matching {@code host}; null when none matches. */
    private static JsonNode listenerFor(JsonNode gw, int port, String host) {
        JsonNode listener = null;
        int best = 0;
        for (JsonNode l : (Iterable<JsonNode>) onPort(gw, port)::iterator) {
            String h = l.path("hostname").asText("");
            int score = h.isEmpty() ? 1 : RouteAttachment.hostScore(h, host) + 1;
            if (score > best && (h.isEmpty() || score > 1)) {
                best = score;
                listener = l;
            }
        }
        return listener;
    }

    private byte[] route(JsonNode gw, JsonNode listener, String fromIp, int port, HttpRequest request, ClusterNetwork.Upstream upstream) {
        List<JsonNode> routes = new ArrayList<>();
        int bestHost = -1;
        for (JsonNode route : attached(gw, listener)) {
            JsonNode hosts = route.path("spec").path("hostnames");
            int score = 0;
            if (hosts.isArray() && !hosts.isEmpty()) {
                for (JsonNode h : hosts) {
                    score = Math.max(score, RouteAttachment.hostScore(h.asText(), request.host()));
                }
                if (score == 0) {
                    continue;
                }
            }
            if (score > bestHost) {
                routes.clear();
                bestHost = score;
            }
            if (score == bestHost) {
                routes.add(route);
            }
        }
        var choice = HttpRouteMatching.choose(routes, request);
        if (choice.isEmpty()) {
            return HttpRequest.response(404, "Not Found", Map.of("Content-Type", "text/plain"), "route not found\n");
        }
        JsonNode rule = choice.get().rule();
        String scheme = "HTTPS".equals(listener.path("protocol").asText()) ? "https" : "http";
        HttpRequest forwarded = request;
        List<JsonNode> responseFilters = new ArrayList<>();
        for (JsonNode f : rule.path("filters")) {
            switch (f.path("type").asText()) {
                case "RequestRedirect" -> {
                    return HttpFilters.redirect(f.path("requestRedirect"), request, choice.get().match(), scheme, port);
                }
                case "RequestHeaderModifier" -> forwarded = HttpFilters.modifyHeaders(forwarded, f.path("requestHeaderModifier"));
                case "URLRewrite" -> forwarded = HttpFilters.rewrite(forwarded, f.path("urlRewrite"), choice.get().match());
                case "ResponseHeaderModifier" -> responseFilters.add(f.path("responseHeaderModifier"));
                case "RequestMirror" -> mirror(choice.get().route(), f.path("requestMirror").path("backendRef"), fromIp, forwarded, upstream);
                default -> { }
            }
        }
        JsonNode backend = pickBackend(rule.path("backendRefs"));
        String routeNs = choice.get().route().path("metadata").path("namespace").asText();
        if (backend == null || BackendRefs.problem(api, gateways, "HTTPRoute", routeNs, backend) != null) {
            return HttpRequest.response(500, "Internal Server Error", Map.of("Content-Type", "text/plain"), "");
        }
        for (JsonNode f : backend.path("filters")) {
            if ("RequestHeaderModifier".equals(f.path("type").asText())) {
                forwarded = HttpFilters.modifyHeaders(forwarded, f.path("requestHeaderModifier"));
            }
        }
        var endpoint = router.endpoint(backend.path("namespace").asText(routeNs), backend.path("name").asText(),
                backend.path("port").asText(), fromIp);
        if (endpoint.isEmpty()) {
            return HttpRequest.response(503, "Service Unavailable", Map.of("Content-Type", "text/plain"), "no healthy upstream");
        }
        Optional<byte[]> answer = upstream.send(endpoint.get().ip(), endpoint.get().port(), forwarded.bytes());
        if (answer.isEmpty()) {
            return HttpRequest.response(503, "Service Unavailable", Map.of("Content-Type", "text/plain"),
                    "upstream connect error or disconnect/reset before headers. reset reason: connection failure");
        }
        byte[] out = answer.get();
        for (JsonNode f : responseFilters) {
            out = HttpFilters.modifyResponseHeaders(out, f);
        }
        return out;
    }

    private void mirror(JsonNode route, JsonNode ref, String fromIp, HttpRequest request, ClusterNetwork.Upstream upstream) {
        String ns = route.path("metadata").path("namespace").asText();
        if (BackendRefs.problem(api, gateways, "HTTPRoute", ns, ref) == null) {
            router.endpoint(ref.path("namespace").asText(ns), ref.path("name").asText(), ref.path("port").asText(), fromIp)
                    .ifPresent(t -> upstream.send(t.ip(), t.port(), request.bytes()));
        }
    }

    /** A backend reference chosen at random in proportion to the weights (default 1); null when all are 0 or none. */
    private JsonNode pickBackend(JsonNode refs) {
        int total = 0;
        for (JsonNode r : refs) {
            total += r.path("weight").asInt(1);
        }
        if (total <= 0) {
            return null;
        }
        int n = random.nextInt(total);
        for (JsonNode r : refs) {
            n -= r.path("weight").asInt(1);
            if (n < 0) {
                return r;
            }
        }
        return null;
    }

    /** The HTTPRoutes attached (accepted) to {@code listener} of {@code gw}. */
    private List<JsonNode> attached(JsonNode gw, JsonNode listener) {
        List<JsonNode> out = new ArrayList<>();
        String name = listener.path("name").asText();
        for (JsonNode route : gateways.list("httproutes")) {
            for (JsonNode ref : route.path("spec").path("parentRefs")) {
                if (gateways.parentGateway(route, ref).filter(g -> GatewayController.sameObject(g, gw)).isPresent()
                        && RouteAttachment.attach(gw, route, "HTTPRoute", ref, namespaceLabels(route.path("metadata").path("namespace").asText()))
                        .listeners().contains(name)) {
                    out.add(route);
                    break;
                }
            }
        }
        return out;
    }

    private Map<String, String> namespaceLabels(String ns) {
        return api.find(api.registry().find("", "v1", "namespaces").orElseThrow(), null, ns).map(LabelSelector::labelsOf).orElse(Map.of());
    }

    @Override
    public List<String> addressesOf(String host) {
        if (gateways.type("gateways").isEmpty()) {
            return List.of();
        }
        for (JsonNode gw : gateways.ourGateways()) {
            String address = GatewayController.address(gw);
            if (address == null) {
                continue;
            }
            for (JsonNode l : gw.path("spec").path("listeners")) {
                if (host.equalsIgnoreCase(l.path("hostname").asText())) {
                    return List.of(address);
                }
                for (JsonNode route : attached(gw, l)) {
                    for (JsonNode h : route.path("spec").path("hostnames")) {
                        if (host.equalsIgnoreCase(h.asText())) {
                            return List.of(address);
                        }
                    }
                }
            }
        }
        return List.of();
    }
}
