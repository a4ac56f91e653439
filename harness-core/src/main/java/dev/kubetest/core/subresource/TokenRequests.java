package dev.kubetest.core.subresource;

import dev.kubetest.core.api.KubeApi;
import dev.kubetest.core.api.TokenIssuer;

import dev.kubetest.core.meta.ApiException;
import dev.kubetest.core.meta.ResourceType;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubetest.core.json.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** {@code serviceaccounts/{name}/token}: TokenRequests answered with tokens the cluster signs. */
public final class TokenRequests {
    private final KubeApi api;

    TokenRequests(KubeApi api) {
        this.api = api;
    }

    /** A TokenRequest for an existing service account, answered with a signed token. */
    public ObjectNode create(String namespace, String serviceAccount, ObjectNode request) {
        ResourceType sa = api.registry().find("", "v1", "serviceaccounts").orElseThrow();
        ObjectNode account = api.get(sa, namespace, serviceAccount);
        ObjectNode out = request.deepCopy();
        out.put("apiVersion", "authentication.k8s.io/v1");
        out.put("kind", "TokenRequest");
        ObjectNode meta = Json.with(out, "metadata");
        meta.put("name", serviceAccount);
        meta.put("namespace", namespace);
        meta.put("creationTimestamp", api.timestamp());
        ObjectNode spec = Json.with(out, "spec");
        long seconds = spec.path("expirationSeconds").asLong(3600);
        if (seconds < 600) {
            throw ApiException.invalid(api.registry().find("", "v1", "serviceaccounts").orElseThrow(), serviceAccount,
                    List.of(new ApiException.Cause("FieldValueInvalid", "Invalid value: " + seconds
                            + ": may not specify a duration less than 10 minutes", "spec.expirationSeconds")));
        }
        spec.put("expirationSeconds", seconds);
        List<String> audiences = new ArrayList<>();
        spec.path("audiences").forEach(a -> audiences.add(a.asText()));
        if (audiences.isEmpty()) {
            spec.putArray("audiences").add(TokenIssuer.ISSUER);
        }
        Instant now = api.clock().now();
        ObjectNode status = out.putObject("status");
        status.put("token", api.tokenIssuer().issue(namespace, serviceAccount, account.path("metadata").path("uid").asText(),
                audiences, now, seconds));
        status.put("expirationTimestamp", KubeApi.timestamp(now.plusSeconds(seconds)));
        return out;
    }
}
