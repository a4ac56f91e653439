package dev.kubetest.core.tls;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;

/**
 * A certificate authority made at boot (EC P-256, fast to generate) and the serving certificate it signs for
 * 127.0.0.1 and localhost. The kubeconfig carries the CA certificate. The JDK generates the keys, signs and parses
 * the certificates; only their DER structure is written here ({@link Der}), so that booting loads no
 * certificate library (BouncyCastle's signed jars cost a fresh JVM about half a second).
 */
public final class CertificateAuthority {
    private final KeyPair caKeys;
    private final X509Certificate caCertificate;
    private final KeyPair serverKeys;
    private final X509Certificate serverCertificate;

    private CertificateAuthority(KeyPair caKeys, X509Certificate caCertificate, KeyPair serverKeys,
                                 X509Certificate serverCertificate) {
        this.caKeys = caKeys;
        this.caCertificate = caCertificate;
        this.serverKeys = serverKeys;
        this.serverCertificate = serverCertificate;
    }

    private static final String ECDSA_WITH_SHA256 = "1.2.840.10045.4.3.2";

    /** Generates a CA and a serving certificate; {@code notBefore} is the cluster's current time. */
    public static CertificateAuthority generate(Instant notBefore) {
        try {
            SecureRandom random = new SecureRandom();
            KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
            gen.initialize(new ECGenParameterSpec("secp256r1"), random);
            KeyPair ca = gen.generateKeyPair();
            KeyPair server = gen.generateKeyPair();
            Instant from = notBefore.minus(Duration.ofHours(1));
            Instant to = notBefore.plus(Duration.ofDays(3650));
            byte[] caName = name("kubetest-ca");
            byte[] caExtensions = Der.sequence(
                    extension("2.5.29.19", true, Der.sequence(Der.bool(true))),
                    // digitalSignature (0), keyCertSign (5), cRLSign (6)
                    extension("2.5.29.15", true, Der.namedBits(0, 5, 6)));
            X509Certificate caCert = certificate(serial(random), caName, caName, from, to, ca.getPublic().getEncoded(),
                    caExtensions, ca.getPrivate());
            byte[] serverExtensions = Der.sequence(
                    extension("2.5.29.19", true, Der.sequence()),
                    // digitalSignature (0), keyEncipherment (2)
                    extension("2.5.29.15", true, Der.namedBits(0, 2)),
                    extension("2.5.29.37", false, Der.sequence(Der.oid("1.3.6.1.5.5.7.3.1"))),
                    extension("2.5.29.17", false, Der.sequence(
                            Der.tagged(7, false, new byte[] {127, 0, 0, 1}),
                            Der.tagged(2, false, "localhost".getBytes(StandardCharsets.US_ASCII)),
                            Der.tagged(2, false, "kubernetes.default.svc".getBytes(StandardCharsets.US_ASCII)),
                            Der.tagged(2, false, "kubernetes.default.svc.cluster.local".getBytes(StandardCharsets.US_ASCII)))));
            X509Certificate serverCert = certificate(serial(random), caName, name("kube-apiserver"), from, to,
                    server.getPublic().getEncoded(), serverExtensions, ca.getPrivate());
            return new CertificateAuthority(ca, caCert, server, serverCert);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate the cluster CA", e);
        }
    }

    /** An X.509 v3 certificate (RFC 5280), its TBS part encoded here, signed and parsed by the JDK. */
    static X509Certificate certificate(BigInteger serial, byte[] issuer, byte[] subject, Instant from, Instant to,
                                               byte[] subjectPublicKeyInfo, byte[] extensions, PrivateKey signer)
            throws GeneralSecurityException {
        byte[] algorithm = Der.sequence(Der.oid(ECDSA_WITH_SHA256));
        byte[] tbs = Der.sequence(
                Der.tagged(0, true, Der.integer(BigInteger.TWO)),
                Der.integer(serial),
                algorithm,
                issuer,
                Der.sequence(Der.time(from), Der.time(to)),
                subject,
                subjectPublicKeyInfo,
                Der.tagged(3, true, extensions));
        Signature signature = Signature.getInstance("SHA256withECDSA");
        signature.initSign(signer);
        signature.update(tbs);
        byte[] der = Der.sequence(tbs, algorithm, Der.bitString(signature.sign()));
        return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
    }

    static byte[] name(String commonName) {
        return Der.sequence(Der.set(Der.sequence(Der.oid("2.5.4.3"), Der.utf8String(commonName))));
    }

    static byte[] extension(String oid, boolean critical, byte[] value) {
        return critical ? Der.sequence(Der.oid(oid), Der.bool(true), Der.octetString(value))
                : Der.sequence(Der.oid(oid), Der.octetString(value));
    }

    /** A positive 63-bit serial number (RFC 5280 asks for at most 20 octets, positive). */
    static BigInteger serial(SecureRandom random) {
        return new BigInteger(63, random).add(BigInteger.ONE);
    }

    public X509Certificate caCertificate() {
        return caCertificate;
    }

    public X509Certificate serverCertificate() {
        return serverCertificate;
    }

    public PrivateKey serverKey() {
        return serverKeys.getPrivate();
    }

    PrivateKey caKey() {
        return caKeys.getPrivate();
    }

    /** A client certificate (extended key usage clientAuth) for a request's subject and key, signed by the CA. */
    static X509Certificate issueClient(X509Certificate ca, PrivateKey caKey, CertificateRequest request, Instant from,
                                       Instant to, boolean keyEncipherment) {
        try {
            byte[] extensions = Der.sequence(
                    extension("2.5.29.19", true, Der.sequence()),
                    // digitalSignature (0), and keyEncipherment (2) when asked for
                    extension("2.5.29.15", true, keyEncipherment ? Der.namedBits(0, 2) : Der.namedBits(0)),
                    extension("2.5.29.37", false, Der.sequence(Der.oid("1.3.6.1.5.5.7.3.2"))));
            return certificate(serial(new SecureRandom()), ca.getSubjectX500Principal().getEncoded(), request.subject(),
                    from, to, request.subjectPublicKeyInfo(), extensions, caKey);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign the certificate", e);
        }
    }

    /** The CA certificate in PEM, as in {@code certificate-authority-data} and {@code kube-root-ca.crt}. */
    public String caPem() {
        return pem(caCertificate);
    }

    /** A certificate in PEM: base64 of its DER in lines of 64, between the BEGIN and END lines. */
    public static String pem(X509Certificate certificate) {
        try {
            String body = java.util.Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                    .encodeToString(certificate.getEncoded());
            return "-----BEGIN CERTIFICATE-----\n" + body + "\n-----END CERTIFICATE-----\n";
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

}
