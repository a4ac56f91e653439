package dev.kubetest.core.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubetest.core.KubeCluster;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SharedTlsTest {
    @Test
    void theClustersOfAJvmShareOneCaThatIsValidNow() throws Exception {
        try (KubeCluster a = KubeCluster.builder().build(); KubeCluster b = KubeCluster.builder().build()) {
            ClusterTls first = a.tls().get(30, TimeUnit.SECONDS);
            ClusterTls second = b.tls().get(30, TimeUnit.SECONDS);
            assertThat(second.caPem()).isEqualTo(first.caPem());
            assertThat(second.serverCertificate()).isEqualTo(first.serverCertificate());
            first.serverCertificate().verify(first.caCertificate().getPublicKey());
            first.serverCertificate().checkValidity();
            assertThat(first.caCertificate().getNotBefore().toInstant())
                    .isBefore(java.time.Clock.systemUTC().instant()).isAfter(Instant.parse("2025-01-01T00:00:00Z"));
            assertThat(SharedTls.get().get(30, TimeUnit.SECONDS)).isSameAs(first);
        }
    }

    @Test
    void aClusterOnAManualClockFarInThePastStillGetsACertificateValidNow() throws Exception {
        try (KubeCluster old = KubeCluster.builder()
                .clock(new dev.kubetest.core.clock.ManualClock(Instant.parse("2001-01-01T00:00:00Z"))).build()) {
            old.tls().get(30, TimeUnit.SECONDS).serverCertificate().checkValidity();
            assertThat(old.tls().get(30, TimeUnit.SECONDS).serverCertificate().getNotAfter().toInstant())
                    .isAfter(java.time.Clock.systemUTC().instant().plus(Duration.ofDays(365)));
        }
    }
}
