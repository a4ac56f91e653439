package dev.kubetest.core.ingress;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kubetest.core.api.KubeApi;
import dev.kubetest.core.meta.ListOptions;
import dev.kubetest.core.meta.ResourceType;
import dev.kubetest.core.network.HttpProxy;
import dev.kubetest.core.network.HttpRequest;
import dev.kubetest.core.network.TlsSecrets;
import dev.kubetest.core.runtime.ClusterNetwork;
import dev.kubetest.core.service.ServiceRouter;
import dev.kubetest.core.tls.ServerIdentity;
import dev.kubetest.core.tls.TlsCredentials;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The data path of the {@code kubetest} ingress controller, as ingress-nginx behaves: HTTP on port 80 and HTTPS
 * on port 443 of its address go through the rules of the Ingresses of its class ({@link IngressRules}) to a ready
 * endpoint of the chosen Service, with the X-Forwarded headers ingress-nginx adds; no matching rule is nginx's
 * 404, a Service without a ready endpoint (or a resource backend) nginx's 503. On 443 it terminates TLS with the
 * Secret of the {@code tls} section naming the SNI host (when its pair is valid and the certificate names the
 * host), else with its fake certificate; plain HTTP there is nginx's 400. Plain HTTP to a host with TLS is
 * redirected (308) to HTTPS unless {@code nginx.ingress.kubernetes.io/ssl-redirect: "false"}, and HTTPS answers
 * carry HSTS. From outside, the hosts of those rules resolve to the address.
 */
public final class IngressProxy implements HttpProxy {
    static final String SSL_REDIRECT = "nginx.ingress.kubernetes.io/ssl-redirect";
    static final String FORCE_SSL_REDIRECT = "nginx.ingress.kubernetes.io/force-ssl-redirect";
    private final KubeApi api;
    private final ServiceRouter router;
    private final ResourceType ingresses;
    private final TlsSecrets secrets;

    public IngressProxy(KubeApi api, ServiceRouter router) {
        this.api = api;
        this.router = router;
        this.ingresses = api.registry().find("networking.k8s.io", "v1", "ingresses").orElseThrow();
        this.secrets = new TlsSecrets(api);
    }

    /** The Ingresses this controller serves. */
    List<? extends JsonNode> ours() {
        return api.lists().list(ingresses, null, ListOptions.all()).items().stream().filter(IngressController::ours).toList();
    }

    @Override
    public boolean listens(String ip, int port) {
        return IngressController.ADDRESS.equals(ip) && (port == 80 || port == 443);
    }

    @Override
    public Optional<TlsCredentials> certificate(String ip, int port, String serverName) {
        if (!listens(ip, port) || port != 443) {
            return Optional.empty();
        }
        if (!serverName.isEmpty()) {
            for (JsonNode ing : ours()) {
                String ns = ing.path("metadata").path("namespace").asText();
                for (JsonNode tls : ing.path("spec").path("tls")) {
                    if (!covers(tls, serverName) || tls.path("secretName").asText("").isEmpty()) {
                        continue;
                    }
                    try {
                        TlsCredentials pair = secrets.read(ns, tls.path("secretName").asText());
                        if (ServerIdentity.names(pair.certificate(), serverName)) {
                            return Optional.of(pair);
                        }
                    } catch (TlsCredentials.Invalid e) {
                        // ingress-nginx logs it and serves its default certificate
                    }
                }
            }
        }
        return Optional.of(secrets.fakeCertificate());
    }

    @Override
    public Optional<byte[]> serve(Connection connection, HttpRequest request, ClusterNetwork.Upstream upstream) {
        if (!listens(connection.ip(), connection.port())) {
            return Optional.empty();
        }
        if (connection.port() == 443 && !connection.tls()) {
            return Optional.of(plainOnHttpsPort());
        }
        Optional<IngressRules.Match> match = IngressRules.match(ours(), request.host(), request.path());
        if (match.isEmpty()) {
            return Optional.of(HttpRequest.nginxError(404, "Not Found"));
        }
        JsonNode ingress = match.get().ingress();
        if (!connection.tls() && redirectsToHttps(ingress, request.host())) {
            String target = "https://" + request.host() + request.path() + (request.query().isEmpty() ? "" : "?" + request.query());
            return Optional.of(HttpRequest.response(308, "Permanent Redirect", Map.of("Location", target, "Content-Type", "text/html"),
                    "<html>\r\n<head><title>308 Permanent Redirect</title></head>\r\n<body>\r\n<center><h1>308 Permanent Redirect</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"));
        }
        byte[] answer = forward(connection, request, match.get(), upstream);
        return Optional.of(connection.tls() ? HttpRequest.withResponseHeader(answer, "Strict-Transport-Security",
                "max-age=31536000; includeSubDomains") : answer);
    }

    private byte[] forward(Connection connection, HttpRequest request, IngressRules.Match match, ClusterNetwork.Upstream upstream) {
        JsonNode service = match.backend().path("service");
        if (service.isMissingNode()) {
            return HttpRequest.nginxError(503, "Service Temporarily Unavailable");
        }
        JsonNode portRef = service.path("port");
        String svcPort = portRef.hasNonNull("number") && portRef.path("number").asInt() != 0
                ? portRef.path("number").asText() : portRef.path("name").asText();
        String fromIp = connection.fromIp();
        var endpoint = router.endpoint(match.ingress().path("metadata").path("namespace").asText(),
                service.path("name").asText(), svcPort, fromIp);
        if (endpoint.isEmpty()) {
            return HttpRequest.nginxError(503, "Service Temporarily Unavailable");
        }
        List<Map.Entry<String, String>> headers = new ArrayList<>(request.headers());
        headers.add(Map.entry("X-Request-ID", java.util.UUID.randomUUID().toString().replace("-", "")));
        headers.add(Map.entry("X-Real-IP", fromIp));
        headers.add(Map.entry("X-Forwarded-For", fromIp));
        headers.add(Map.entry("X-Forwarded-Host", request.host()));
        headers.add(Map.entry("X-Forwarded-Port", String.valueOf(connection.port())));
        headers.add(Map.entry("X-Forwarded-Proto", connection.scheme()));
        headers.add(Map.entry("X-Scheme", connection.scheme()));
        byte[] forwarded = request.withHeaders(headers).bytes();
        return upstream.send(endpoint.get().ip(), endpoint.get().port(), forwarded)
                .orElseGet(() -> HttpRequest.nginxError(502, "Bad Gateway"));
    }

    /** Whether plain HTTP for {@code host} on this Ingress goes to HTTPS: the host has TLS (unless turned off), or it is forced. */
    private static boolean redirectsToHttps(JsonNode ingress, String host) {
        JsonNode annotations = ingress.path("metadata").path("annotations");
        if ("true".equals(annotations.path(FORCE_SSL_REDIRECT).asText())) {
            return true;
        }
        if ("false".equals(annotations.path(SSL_REDIRECT).asText())) {
            return false;
        }
        for (JsonNode tls : ingress.path("spec").path("tls")) {
            if (covers(tls, host)) {
                return true;
            }
        }
        return false;
    }

    /** Whether a {@code tls} section lists {@code host} (exactly, or by a wildcard). */
    private static boolean covers(JsonNode tls, String host) {
        for (JsonNode h : tls.path("hosts")) {
            if (ServerIdentity.matches(h.asText(), host)) {
                return true;
            }
        }
        return false;
    }

    private static byte[] plainOnHttpsPort() {
        String body = "<html>\r\n<head><title>400 The plain HTTP request was sent to HTTPS port</title></head>\r\n<body>\r\n"
                + "<center><h1>400 Bad Request</h1></center>\r\n<center>The plain HTTP request was sent to HTTPS port</center>\r\n"
                + "<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";
        return HttpRequest.response(400, "Bad Request", Map.of("Content-Type", "text/html"), body);
    }

    @Override
    public List<String> addressesOf(String host) {
        for (JsonNode ing : ours()) {
            for (JsonNode rule : ing.path("spec").path("rules")) {
                if (IngressRules.hostLevel(rule.path("host").asText(""), host) > 0) {
                    return List.of(IngressController.ADDRESS);
                }
            }
        }
        return List.of();
    }
}
