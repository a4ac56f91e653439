package dev.kubetest.core.controller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubetest.core.admission.CertificateRequests;
import dev.kubetest.core.meta.ApiException;
import dev.kubetest.core.api.KubeApi;
import dev.kubetest.core.meta.ResourceType;
import dev.kubetest.core.meta.WriteOptions;
import dev.kubetest.core.tls.CertificateAuthority;
import dev.kubetest.core.tls.CertificateRequest;
import dev.kubetest.core.tls.ClusterTls;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * kube-controller-manager's csrsigning controller for the client signers: once a CertificateSigningRequest for
 * {@code kubernetes.io/kube-apiserver-client} or {@code kubernetes.io/kube-apiserver-client-kubelet} is Approved
 * (and not Denied or Failed), it checks the request against the signer's rules ({@link #signerProblem}) and either
 * issues a client certificate from the cluster CA into {@code status.certificate} or sets a Failed condition.
 */
public final class CertificateSigner extends QueueController<String> {
    public static final String NAME = "csrsigning";
    static final String CLIENT = "kubernetes.io/kube-apiserver-client";
    static final String KUBELET_CLIENT = "kubernetes.io/kube-apiserver-client-kubelet";
    /** upstream's --cluster-signing-duration default. */
    static final Duration MAX_DURATION = Duration.ofDays(365);

    private final KubeApi api;
    private final ResourceEvents events;
    private final CompletableFuture<ClusterTls> tls;
    private final ResourceType csrs;

    public CertificateSigner(KubeApi api, ResourceEvents events, CompletableFuture<ClusterTls> tls) {
        super(api.clock());
        this.api = api;
        this.events = events;
        this.tls = tls;
        this.csrs = api.registry().find("certificates.k8s.io", "v1", "certificatesigningrequests").orElseThrow();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    protected void watch() {
        events.addListener(csrs, (type, eventType, obj) -> {
            if (eventType != dev.kubetest.core.api.WatchEventType.DELETED) {
                queue.add(obj.path("metadata").path("name").asText());
            }
        });
    }

    @Override
    protected Result reconcile(String name) {
        ObjectNode csr;
        try {
            csr = api.get(csrs, null, name);
        } catch (ApiException e) {
            return Result.DONE;
        }
        String signer = csr.path("spec").path("signerName").asText();
        if (!signer.equals(CLIENT) && !signer.equals(KUBELET_CLIENT)) {
            return Result.DONE;
        }
        if (!hasCondition(csr, "Approved") || hasCondition(csr, "Denied") || hasCondition(csr, "Failed")
                || !csr.path("status").path("certificate").asText("").isEmpty()) {
            return Result.DONE;
        }
        if (!tls.isDone()) {
            tls.thenRun(() -> queue.add(name));
            return Result.DONE;
        }
        CertificateRequest request;
        try {
            request = CertificateRequest.parsePem(CertificateRequests.requestPem(csr));
        } catch (CertificateRequest.Invalid e) {
            fail(name, "unable to parse csr: " + e.getMessage());
            return Result.DONE;
        }
        List<String> usages = new java.util.ArrayList<>();
        csr.path("spec").path("usages").forEach(u -> usages.add(u.asText()));
        String problem = signerProblem(signer, request.commonName(), request.organizations(), usages);
        if (problem != null) {
            fail(name, problem);
            return Result.DONE;
        }
        ClusterTls ca = tls.join();
        Instant now = api.clock().now();
        Duration lifetime = MAX_DURATION;
        if (csr.path("spec").has("expirationSeconds")) {
            Duration asked = Duration.ofSeconds(csr.path("spec").path("expirationSeconds").asLong());
            lifetime = asked.compareTo(lifetime) < 0 ? asked : lifetime;
        }
        // valid from the CA's own start (wall-clock time, which TLS peers check) until the cluster time it asked for
        X509Certificate cert = ca.issueClient(request, ca.caCertificate().getNotBefore().toInstant(), now.plus(lifetime),
                usages.contains("key encipherment"));
        String pem = CertificateAuthority.pem(cert);
        api.mutate(csrs, null, name, null, WriteOptions.manager("kube-controller-manager"), o -> {
            ((ObjectNode) o.with("status")).put("certificate",
                    Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.US_ASCII)));
            return o;
        }, KubeApi.Target.STATUS);
        return Result.DONE;
    }

    /**
     * What the signer refuses in a request, in upstream's words, or null: client signers need "client auth" and
     * allow only it, "digital signature" and "key encipherment"; the kubelet signer also wants
     * {@code O=system:nodes} and a {@code system:node:} common name.
     */
    static String signerProblem(String signer, String commonName, List<String> organizations, List<String> usages) {
        Set<String> allowed = Set.of("client auth", "digital signature", "key encipherment");
        for (String u : usages) {
            if (!allowed.contains(u)) {
                return "invalid usage for client certificate: " + u;
            }
        }
        if (!usages.contains("client auth")) {
            return "missing required usage for client certificate: client auth";
        }
        if (signer.equals(KUBELET_CLIENT)) {
            if (!organizations.equals(List.of("system:nodes"))) {
                return "subject organization is not system:nodes";
            }
            if (!commonName.startsWith("system:node:")) {
                return "subject common name does not begin with system:node:";
            }
        }
        return null;
    }

    private static boolean hasCondition(JsonNode csr, String type) {
        for (JsonNode c : csr.path("status").path("conditions")) {
            if (c.path("type").asText().equals(type) && c.path("status").asText().equals("True")) {
                return true;
            }
        }
        return false;
    }

    private void fail(String name, String message) {
        api.mutate(csrs, null, name, null, WriteOptions.manager("kube-controller-manager"), o -> {
            ObjectNode status = (ObjectNode) o.with("status");
            ArrayNode conditions = status.path("conditions").isArray() ? (ArrayNode) status.get("conditions")
                    : status.putArray("conditions");
            ObjectNode c = conditions.addObject();
            c.put("type", "Failed");
            c.put("status", "True");
            c.put("reason", "SignerValidationFailure");
            c.put("message", message);
            c.put("lastUpdateTime", api.timestamp());
            c.put("lastTransitionTime", api.timestamp());
            return o;
        }, KubeApi.Target.STATUS);
    }
}
