package dev.kubetest.core.ingress;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kubetest.core.api.KubeApi;
import dev.kubetest.core.meta.ListOptions;
import dev.kubetest.core.meta.ResourceType;
import dev.kubetest.core.network.HttpProxy;
import dev.kubetest.core.network.HttpRequest;
import dev.kubetest.core.runtime.ClusterNetwork;
import dev.kubetest.core.service.ServiceRouter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The data path of the {@code kubetest} ingress controller: HTTP on ports 80 and 443 of its address goes through
 * the rules of the Ingresses of its class ({@link IngressRules}) to a ready endpoint of the chosen Service, with
 * the X-Forwarded headers ingress-nginx adds; no matching rule is nginx's 404, a Service without a ready endpoint
 * (or a resource backend) nginx's 503. From outside, the hosts of those rules resolve to the address.
 */
public final class IngressProxy implements HttpProxy {
    private final KubeApi api;
    private final ServiceRouter router;
    private final ResourceType ingresses;

    public IngressProxy(KubeApi api, ServiceRouter router) {
        this.api = api;
        this.router = router;
        this.ingresses = api.registry().find("networking.k8s.io", "v1", "ingresses").orElseThrow();
    }

    /** The Ingresses this controller serves. */
    List<? extends JsonNode> ours() {
        return api.lists().list(ingresses, null, ListOptions.all()).items().stream().filter(IngressController::ours).toList();
    }

    @Override
    public Optional<byte[]> serve(String fromIp, String ip, int port, HttpRequest request, ClusterNetwork.Upstream upstream) {
        if (!IngressController.ADDRESS.equals(ip) || (port != 80 && port != 443)) {
            return Optional.empty();
        }
        Optional<IngressRules.Match> match = IngressRules.match(ours(), request.host(), request.path());
        if (match.isEmpty()) {
            return Optional.of(HttpRequest.nginxError(404, "Not Found"));
        }
        JsonNode service = match.get().backend().path("service");
        if (service.isMissingNode()) {
            return Optional.of(HttpRequest.nginxError(503, "Service Temporarily Unavailable"));
        }
        JsonNode portRef = service.path("port");
        String svcPort = portRef.hasNonNull("number") && portRef.path("number").asInt() != 0
                ? portRef.path("number").asText() : portRef.path("name").asText();
        var endpoint = router.endpoint(match.get().ingress().path("metadata").path("namespace").asText(),
                service.path("name").asText(), svcPort, fromIp);
        if (endpoint.isEmpty()) {
            return Optional.of(HttpRequest.nginxError(503, "Service Temporarily Unavailable"));
        }
        List<Map.Entry<String, String>> headers = new ArrayList<>(request.headers());
        headers.add(Map.entry("X-Request-ID", java.util.UUID.randomUUID().toString().replace("-", "")));
        headers.add(Map.entry("X-Real-IP", fromIp));
        headers.add(Map.entry("X-Forwarded-For", fromIp));
        headers.add(Map.entry("X-Forwarded-Host", request.host()));
        headers.add(Map.entry("X-Forwarded-Port", String.valueOf(port)));
        headers.add(Map.entry("X-Forwarded-Proto", port == 443 ? "https" : "http"));
        headers.add(Map.entry("X-Scheme", port == 443 ? "https" : "http"));
        byte[] forwarded = request.withHeaders(headers).bytes();
        return Optional.of(upstream.send(endpoint.get().ip(), endpoint.get().port(), forwarded)
                .orElseGet(() -> HttpRequest.nginxError(502, "Bad Gateway")));
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
