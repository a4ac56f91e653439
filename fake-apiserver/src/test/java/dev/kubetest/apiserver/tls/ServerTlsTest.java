package dev.kubetest.apiserver.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubetest.core.tls.ClusterTls;
import java.security.cert.X509Certificate;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ServerTlsTest {
    private static final ClusterTls MATERIAL = ClusterTls.generate(Instant.parse("2026-11-23T00:00:00Z"));

    @Test
    void theKeyManagerOffersTheServingKeyAndChainForEcOnly() {
        ServerTls.FixedKeyManager km = new ServerTls.FixedKeyManager(MATERIAL.serverKey(),
                new X509Certificate[] {MATERIAL.serverCertificate(), MATERIAL.caCertificate()});
        String alias = km.chooseEngineServerAlias("EC", null, null);
        assertThat(alias).isNotNull();
        assertThat(km.chooseEngineServerAlias("RSA", null, null)).isNull();
        assertThat(km.chooseServerAlias("RSASSA-PSS", null, null)).isNull();
        assertThat(km.getServerAliases("EC", null)).containsExactly(alias);
        assertThat(km.getPrivateKey(alias)).isSameAs(MATERIAL.serverKey());
        assertThat(km.getCertificateChain(alias)).containsExactly(MATERIAL.serverCertificate(), MATERIAL.caCertificate());
        assertThat(km.getPrivateKey("other")).isNull();
        assertThat(km.chooseClientAlias(new String[] {"EC"}, null, null)).isNull();
    }

    @Test
    void serversOfTheSameMaterialShareOneContext() {
        assertThat(ServerTls.of(MATERIAL)).isSameAs(ServerTls.of(MATERIAL));
    }

    @Test
    void enginesServeTls13And12WithForwardSecretSuitesOnly() {
        javax.net.ssl.SSLEngine engine = ServerTls.of(MATERIAL).engine();
        assertThat(engine.getUseClientMode()).isFalse();
        assertThat(engine.getNeedClientAuth()).isFalse();
        assertThat(engine.getEnabledProtocols()).containsExactly("TLSv1.3", "TLSv1.2");
        assertThat(engine.getEnabledCipherSuites()).contains("TLS_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256")
                .allMatch(s -> s.startsWith("TLS_AES_") || s.startsWith("TLS_CHACHA20_") || s.startsWith("TLS_ECDHE_"));
    }

    @Test
    void theServerTrustsNoClientCertificate() {
        ServerTls.NoClientCertificates tm = new ServerTls.NoClientCertificates();
        X509Certificate[] chain = {MATERIAL.serverCertificate(), MATERIAL.caCertificate()};
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> tm.checkClientTrusted(chain, "EC"))
                .isInstanceOf(java.security.cert.CertificateException.class);
        assertThat(tm.getAcceptedIssuers()).isEmpty();
    }
}
