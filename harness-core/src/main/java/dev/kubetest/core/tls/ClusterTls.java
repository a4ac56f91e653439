package dev.kubetest.core.tls;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;

/**
 * The cluster's TLS material in JDK types: the CA certificate (and its PEM, for kubeconfigs and
 * {@code kube-root-ca.crt}) and the API server's certificate and key. Made by {@link CertificateAuthority} on a
 * background thread: nothing on the boot path touches the certificate library (its signed jars are slow to load).
 */
public record ClusterTls(X509Certificate caCertificate, String caPem, X509Certificate serverCertificate,
                         PrivateKey serverKey, PrivateKey caKey) {

    public static ClusterTls generate(Instant now) {
        CertificateAuthority ca = CertificateAuthority.generate(now);
        return new ClusterTls(ca.caCertificate(), ca.caPem(), ca.serverCertificate(), ca.serverKey(), ca.caKey());
    }

    /**
     * A client certificate signed by the cluster CA for a request's subject and public key (what the
     * kube-apiserver-client signers issue), valid from {@code from} to {@code to}.
     */
    public X509Certificate issueClient(CertificateRequest request, Instant from, Instant to, boolean keyEncipherment) {
        return CertificateAuthority.issueClient(caCertificate, caKey, request, from, to, keyEncipherment);
    }
}
