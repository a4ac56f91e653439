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
        assertThat(ServerTls.context(MATERIAL)).isSameAs(ServerTls.context(MATERIAL));
        assertThat(ServerTls.context(MATERIAL).isServer()).isTrue();
    }
}
