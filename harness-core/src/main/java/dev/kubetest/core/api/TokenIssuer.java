package dev.kubetest.core.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubetest.core.json.Json;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

/**
 * Signs service account tokens: ES256 JWTs whose claims name the service account as upstream's
 * TokenRequest does. One key per cluster, made on first use.
 */
public final class TokenIssuer {
    public static final String ISSUER = "https://kubernetes.default.svc.cluster.local";
    private volatile KeyPair keys;

    private KeyPair keys() {
        KeyPair k = keys;
        if (k == null) {
            synchronized (this) {
                if (keys == null) {
                    try {
                        KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
                        gen.initialize(new ECGenParameterSpec("secp256r1"));
                        keys = gen.generateKeyPair();
                    } catch (GeneralSecurityException e) {
                        throw new IllegalStateException(e);
                    }
                }
                k = keys;
            }
        }
        return k;
    }

    public PublicKey publicKey() {
        return keys().getPublic();
    }

    /** A signed token for {@code namespace/name} (uid {@code uid}) valid from {@code now} for {@code seconds}. */
    public String issue(String namespace, String name, String uid, List<String> audiences, Instant now, long seconds) {
        ObjectNode header = Json.object();
        header.put("alg", "ES256");
        header.put("kid", "kubetest");
        ObjectNode claims = Json.object();
        claims.put("iss", ISSUER);
        claims.put("sub", "system:serviceaccount:" + namespace + ":" + name);
        var aud = claims.putArray("aud");
        (audiences.isEmpty() ? List.of(ISSUER) : audiences).forEach(aud::add);
        claims.put("iat", now.getEpochSecond());
        claims.put("nbf", now.getEpochSecond());
        claims.put("exp", now.getEpochSecond() + seconds);
        ObjectNode k8s = claims.putObject("kubernetes.io");
        k8s.put("namespace", namespace);
        ObjectNode sa = k8s.putObject("serviceaccount");
        sa.put("name", name);
        sa.put("uid", uid);
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String signingInput = b64.encodeToString(Json.bytes(header)) + "." + b64.encodeToString(Json.bytes(claims));
        try {
            Signature s = Signature.getInstance("SHA256withECDSAinP1363Format");
            s.initSign(keys().getPrivate());
            s.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + b64.encodeToString(s.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
