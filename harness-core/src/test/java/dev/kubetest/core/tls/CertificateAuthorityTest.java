package dev.kubetest.core.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The cluster CA and serving certificate as the JDK reads them back: chain, validity, constraints, names. */
class CertificateAuthorityTest {
    private static final Instant NOW = Instant.parse("2026-11-23T10:15:30Z");

    @Test
    void theCaSignsAServingCertificateForTheApiServerNames() throws Exception {
        CertificateAuthority ca = CertificateAuthority.generate(NOW);
        X509Certificate root = ca.caCertificate();
        X509Certificate server = ca.serverCertificate();
        root.verify(root.getPublicKey());
        server.verify(root.getPublicKey());
        assertThat(root.getVersion()).isEqualTo(3);
        assertThat(root.getSubjectX500Principal().getName()).isEqualTo("CN=kubetest-ca");
        assertThat(server.getIssuerX500Principal()).isEqualTo(root.getSubjectX500Principal());
        assertThat(server.getSubjectX500Principal().getName()).isEqualTo("CN=kube-apiserver");
        assertThat(root.getBasicConstraints()).isEqualTo(Integer.MAX_VALUE);
        assertThat(server.getBasicConstraints()).isEqualTo(-1);
        assertThat(root.getCriticalExtensionOIDs()).contains("2.5.29.19", "2.5.29.15");
        // digitalSignature, keyCertSign, cRLSign / digitalSignature, keyEncipherment
        assertThat(root.getKeyUsage()).startsWith(true, false, false, false, false, true, true);
        assertThat(server.getKeyUsage()).startsWith(true, false, true, false, false, false, false);
        assertThat(server.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
        assertThat(server.getSubjectAlternativeNames()).containsExactlyInAnyOrder(List.of(7, "127.0.0.1"), List.of(2, "localhost"),
                List.of(2, "kubernetes.default.svc"), List.of(2, "kubernetes.default.svc.cluster.local"));
        assertThat(server.getNotBefore().toInstant()).isEqualTo(NOW.minus(Duration.ofHours(1)));
        assertThat(server.getNotAfter().toInstant()).isEqualTo(NOW.plus(Duration.ofDays(3650)));
        assertThat(server.getSigAlgName()).isEqualTo("SHA256withECDSA");
        assertThat(root.getSerialNumber()).isPositive().isNotEqualTo(server.getSerialNumber());
    }

    @Test
    void thePemReadsBackAsTheSameCertificate() throws Exception {
        CertificateAuthority ca = CertificateAuthority.generate(NOW);
        String pem = ca.caPem();
        assertThat(pem).startsWith("-----BEGIN CERTIFICATE-----\n").endsWith("\n-----END CERTIFICATE-----\n");
        assertThat(pem.lines().filter(l -> !l.startsWith("-----"))).allMatch(l -> l.length() <= 64);
        X509Certificate read = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
        assertThat(read).isEqualTo(ca.caCertificate());
    }

    @Test
    void derEncodesLengthsOidsAndNamedBitsAsX690() {
        assertThat(Der.tlv(0x04, new byte[200])).startsWith(0x04, 0x81, 200);
        assertThat(Der.tlv(0x04, new byte[300])).startsWith(0x04, 0x82, 0x01, 0x2c);
        assertThat(Der.oid("1.2.840.10045.4.3.2")).containsExactly(0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02);
        assertThat(Der.namedBits(0, 5, 6)).containsExactly(0x03, 0x02, 0x01, 0x86);
        assertThat(Der.namedBits(0, 2)).containsExactly(0x03, 0x02, 0x05, 0xa0);
        assertThat(Der.time(Instant.parse("2049-12-31T23:59:59Z"))[0]).isEqualTo((byte) 0x17);
        assertThat(Der.time(Instant.parse("2050-01-01T00:00:00Z"))[0]).isEqualTo((byte) 0x18);
    }
}
