package dev.kubetest.core.network;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kubetest.core.api.KubeApi;
import dev.kubetest.core.tls.CertificateIssuer;
import dev.kubetest.core.tls.TlsCredentials;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Serving certificates the cluster's proxies read from Secrets ({@code tls.crt}, {@code tls.key}), and their fallback. */
public final class TlsSecrets {
    private final KubeApi api;
    private volatile TlsCredentials fake;

    public TlsSecrets(KubeApi api) {
        this.api = api;
    }

    /** The pair in Secret {@code namespace/name}; Invalid when it is missing, has no pair, or the key does not match. */
    public TlsCredentials read(String namespace, String name) throws TlsCredentials.Invalid {
        var secrets = api.registry().find("", "v1", "secrets").orElseThrow();
        JsonNode secret = api.find(secrets, namespace, name)
                .orElseThrow(() -> new TlsCredentials.Invalid("local SSL certificate " + namespace + "/" + name + " was not found"));
        JsonNode data = secret.path("data");
        if (!data.hasNonNull("tls.crt") || !data.hasNonNull("tls.key")) {
            throw new TlsCredentials.Invalid("secret " + namespace + "/" + name + " has no 'tls.crt' and 'tls.key'");
        }
        return TlsCredentials.parse(decode(data.path("tls.crt").asText()), decode(data.path("tls.key").asText()));
    }

    /**
     * ingress-nginx's default certificate, served where no Secret applies: self-signed, CN "Kubernetes Ingress
     * Controller Fake Certificate", for {@code ingress.local}; made once per cluster.
     */
    public TlsCredentials fakeCertificate() {
        TlsCredentials f = fake;
        if (f == null) {
            synchronized (this) {
                if (fake == null) {
                    fake = CertificateIssuer.selfSigned("Kubernetes Ingress Controller Fake Certificate", api.clock().now(), "ingress.local");
                }
                f = fake;
            }
        }
        return f;
    }

    private static String decode(String base64) throws TlsCredentials.Invalid {
        try {
            return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new TlsCredentials.Invalid("illegal base64 data");
        }
    }
}
