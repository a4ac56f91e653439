package dev.kubetest.core.tls;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A certificate authority for tests: it issues serving certificates for host names and addresses, so a test can
 * put them in a {@code kubernetes.io/tls} Secret behind an Ingress or a Gateway and trust its CA in the client.
 * Times are given, not read from a clock: pass the cluster's ({@code cluster.clock().now()}).
 *
 * <pre>{@code
 * CertificateIssuer ca = CertificateIssuer.authority("test-ca", cluster.clock().now());
 * TlsCredentials site = ca.issue(cluster.clock().now(), "foo.bar.com");
 * // kubectl create secret tls foo-tls --cert=<site.certificatePem()> --key=<site.keyPem()>
 * network.fromOutside().trusting(ca.certificate()).get("https://foo.bar.com/");
 * }</pre>
 */
public final class CertificateIssuer {
    private static final Duration VALIDITY = Duration.ofDays(365);
    private final TlsCredentials authority;

    private CertificateIssuer(TlsCredentials authority) {
        this.authority = authority;
    }

    /** A new root CA named {@code commonName}, valid from an hour before {@code now} for ten years. */
    public static CertificateIssuer authority(String commonName, Instant now) {
        KeyPair keys = keyPair();
        byte[] name = CertificateAuthority.name(commonName);
        byte[] extensions = Der.sequence(
                CertificateAuthority.extension("2.5.29.19", true, Der.sequence(Der.bool(true))),
                CertificateAuthority.extension("2.5.29.15", true, Der.namedBits(0, 5, 6)));
        X509Certificate cert = sign(name, name, now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(3650)),
                keys, extensions, keys);
        return new CertificateIssuer(new TlsCredentials(List.of(cert), keys.getPrivate()));
    }

    /** A serving certificate for {@code names} (DNS names, wildcards, IP addresses), self-signed, as a controller's default certificate is. */
    public static TlsCredentials selfSigned(String commonName, Instant now, String... names) {
        KeyPair keys = keyPair();
        byte[] name = CertificateAuthority.name(commonName);
        X509Certificate cert = sign(name, name, now.minus(Duration.ofHours(1)), now.plus(VALIDITY), keys, serving(names), keys);
        return new TlsCredentials(List.of(cert), keys.getPrivate());
    }

    /** The CA's certificate, which a client trusts. */
    public X509Certificate certificate() {
        return authority.certificate();
    }

    /** The CA's certificate in PEM. */
    public String certificatePem() {
        return CertificateAuthority.pem(authority.certificate());
    }

    /** A serving certificate for {@code names} (the first is also its CN), valid from an hour before {@code now} for a year. */
    public TlsCredentials issue(Instant now, String... names) {
        return issue(now.minus(Duration.ofHours(1)), now.plus(VALIDITY), names);
    }

    /** A serving certificate for {@code names} valid from {@code notBefore} to {@code notAfter}. */
    public TlsCredentials issue(Instant notBefore, Instant notAfter, String... names) {
        if (names.length == 0) {
            throw new IllegalArgumentException("a serving certificate needs at least one name");
        }
        KeyPair keys = keyPair();
        X509Certificate cert = sign(authority.certificate().getSubjectX500Principal().getEncoded(),
                CertificateAuthority.name(names[0]), notBefore, notAfter, keys, serving(names),
                new KeyPair(authority.certificate().getPublicKey(), authority.key()));
        return new TlsCredentials(List.of(cert), keys.getPrivate());
    }

    private static byte[] serving(String... names) {
        List<byte[]> sans = new ArrayList<>();
        for (String n : names) {
            if (n.matches("\\d+\\.\\d+\\.\\d+\\.\\d+")) {
                byte[] ip = new byte[4];
                String[] parts = n.split("\\.");
                for (int i = 0; i < 4; i++) {
                    ip[i] = (byte) Integer.parseInt(parts[i]);
                }
                sans.add(Der.tagged(7, false, ip));
            } else {
                sans.add(Der.tagged(2, false, n.getBytes(StandardCharsets.US_ASCII)));
            }
        }
        return Der.sequence(
                CertificateAuthority.extension("2.5.29.19", true, Der.sequence()),
                CertificateAuthority.extension("2.5.29.15", true, Der.namedBits(0, 2)),
                CertificateAuthority.extension("2.5.29.37", false, Der.sequence(Der.oid("1.3.6.1.5.5.7.3.1"))),
                CertificateAuthority.extension("2.5.29.17", false, Der.sequence(sans.toArray(byte[][]::new))));
    }

    private static X509Certificate sign(byte[] issuer, byte[] subject, Instant from, Instant to, KeyPair subjectKeys,
                                        byte[] extensions, KeyPair signer) {
        try {
            BigInteger serial = CertificateAuthority.serial(new SecureRandom());
            return CertificateAuthority.certificate(serial, issuer, subject, from, to, subjectKeys.getPublic().getEncoded(),
                    extensions, signer.getPrivate());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign the certificate", e);
        }
    }

    private static KeyPair keyPair() {
        try {
            KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
            gen.initialize(new ECGenParameterSpec("secp256r1"));
            return gen.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
