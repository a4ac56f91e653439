package dev.kubetest.core.tls;

import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A certificate authority made at boot (EC P-256, fast to generate) and the serving certificate it signs for
 * 127.0.0.1 and localhost. The kubeconfig carries the CA certificate.
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
            X500Name caName = new X500Name("CN=kubetest-ca");
            X509v3CertificateBuilder caBuilder = new JcaX509v3CertificateBuilder(caName,
                    new BigInteger(64, random), Date.from(from), Date.from(to), caName, ca.getPublic());
            caBuilder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            caBuilder.addExtension(Extension.keyUsage, true,
                    new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature));
            X509Certificate caCert = sign(caBuilder, ca.getPrivate());

            X509v3CertificateBuilder serverBuilder = new JcaX509v3CertificateBuilder(caName,
                    new BigInteger(64, random), Date.from(from), Date.from(to), new X500Name("CN=kube-apiserver"),
                    server.getPublic());
            serverBuilder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            serverBuilder.addExtension(Extension.keyUsage, true,
                    new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
            serverBuilder.addExtension(Extension.extendedKeyUsage, false,
                    new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            serverBuilder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                    new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                    new GeneralName(GeneralName.dNSName, "localhost"),
                    new GeneralName(GeneralName.dNSName, "kubernetes.default.svc"),
                    new GeneralName(GeneralName.dNSName, "kubernetes.default.svc.cluster.local")}));
            X509Certificate serverCert = sign(serverBuilder, ca.getPrivate());
            return new CertificateAuthority(ca, caCert, server, serverCert);
        } catch (GeneralSecurityException | IOException | org.bouncycastle.operator.OperatorCreationException e) {
            throw new IllegalStateException("cannot generate the cluster CA", e);
        }
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey key)
            throws org.bouncycastle.operator.OperatorCreationException, java.security.cert.CertificateException {
        ContentSigner signer = new JcaContentSignerBuilder("SHA256withECDSA").build(key);
        return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
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

    /** The CA certificate in PEM, as in {@code certificate-authority-data} and {@code kube-root-ca.crt}. */
    public String caPem() {
        return pem(caCertificate);
    }

    public static String pem(Object o) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(out)) {
            w.writeObject(o);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

}
