package dev.kubetest.core.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServerIdentityTest {
    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");

    @Test
    void wildcardsMatchOneWholeLeftMostLabel() {
        assertThat(ServerIdentity.matches("*.example.com", "shop.example.com")).isTrue();
        assertThat(ServerIdentity.matches("*.example.com", "a.b.example.com")).isFalse();
        assertThat(ServerIdentity.matches("*.example.com", "example.com")).isFalse();
        assertThat(ServerIdentity.matches("*.com", "example.com")).as("no wildcard for a top-level domain").isFalse();
        assertThat(ServerIdentity.matches("Foo.Example.com.", "foo.example.com")).isTrue();
    }

    @Test
    void aClientChecksTrustExpiryAndTheHostName() {
        CertificateIssuer ca = CertificateIssuer.authority("ca", NOW);
        TlsCredentials site = ca.issue(NOW, "foo.example.com", "10.0.0.7");
        List<java.security.cert.X509Certificate> roots = List.of(ca.certificate());
        assertThat(ServerIdentity.problem(site.chain(), "foo.example.com", roots, NOW)).isEmpty();
        assertThat(ServerIdentity.problem(site.chain(), "10.0.0.7", roots, NOW)).as("an iPAddress entry").isEmpty();
        assertThat(ServerIdentity.problem(site.chain(), "bar.example.com", roots, NOW))
                .contains("SSL: no alternative certificate subject name matches target host name 'bar.example.com'");
        assertThat(ServerIdentity.problem(site.chain(), "foo.example.com", List.of(), NOW))
                .contains("SSL certificate problem: unable to get local issuer certificate");
        assertThat(ServerIdentity.problem(site.chain(), "foo.example.com", roots, NOW.plus(Duration.ofDays(400))))
                .contains("SSL certificate problem: certificate has expired");
        TlsCredentials self = CertificateIssuer.selfSigned("me", NOW, "foo.example.com");
        assertThat(ServerIdentity.problem(self.chain(), "foo.example.com", roots, NOW))
                .contains("SSL certificate problem: self-signed certificate");
        assertThat(ServerIdentity.problem(self.chain(), "foo.example.com", self.chain(), NOW)).as("trusted as itself").isEmpty();
    }

    @Test
    void keysAreReadInEachPemFormAndMustMatchTheCertificate() throws Exception {
        CertificateIssuer ca = CertificateIssuer.authority("ca", NOW);
        TlsCredentials site = ca.issue(NOW, "foo.example.com");
        assertThat(TlsCredentials.parse(site.certificatePem() + ca.certificatePem(), site.keyPem()).chain()).hasSize(2);
        TlsCredentials other = ca.issue(NOW, "foo.example.com");
        assertThatThrownBy(() -> TlsCredentials.parse(site.certificatePem(), other.keyPem()))
                .hasMessage("tls: private key does not match public key");
        assertThatThrownBy(() -> TlsCredentials.parse("not pem", site.keyPem()))
                .hasMessage("tls: failed to find any PEM data in certificate input");

        // PKCS#1 (RSA PRIVATE KEY): the PKCS#8 key's inner structure, as openssl's -traditional writes it
        var rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        var pair = rsa.generateKeyPair();
        byte[] pkcs8 = pair.getPrivate().getEncoded();
        byte[] pkcs1 = inner(pkcs8);
        String pem = "-----BEGIN RSA PRIVATE KEY-----\n" + Base64.getMimeEncoder().encodeToString(pkcs1) + "\n-----END RSA PRIVATE KEY-----\n";
        assertThat(TlsCredentials.privateKey(pem)).isEqualTo(pair.getPrivate());

        // SEC 1 (EC PRIVATE KEY) with its named curve, as openssl ecparam -genkey writes it
        byte[] sec1 = withCurve(inner(site.key().getEncoded()));
        String ecPem = "-----BEGIN EC PRIVATE KEY-----\n" + Base64.getMimeEncoder().encodeToString(sec1)
                + "\n-----END EC PRIVATE KEY-----\n";
        assertThat(TlsCredentials.belongs(TlsCredentials.privateKey(ecPem), site.certificate())).isTrue();
    }

    /** The JDK's SEC 1 structure has no [0] parameters; openssl's has the curve (prime256v1). */
    private static byte[] withCurve(byte[] sec1) throws Exception {
        DerReader r = new DerReader(sec1, 0).enter(0x30);
        byte[] version = r.next();
        byte[] key = r.next();
        return Der.sequence(version, key, Der.tlv(0xa0, Der.oid("1.2.840.10045.3.1.7")));
    }

    /** The private key inside a PKCS#8 PrivateKeyInfo (its third element's octets). */
    private static byte[] inner(byte[] pkcs8) throws Exception {
        DerReader r = new DerReader(pkcs8, 0).enter(0x30);
        r.next();
        r.next();
        return DerReader.content(r.next());
    }
}
