package dev.kubetest.core.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ImageReferencesTest {
    @Test
    void namesAreQualifiedAsTheDistributionRulesSay() {
        assertThat(ImageReferences.normalize("nginx:1.27")).isEqualTo("docker.io/library/nginx:1.27");
        assertThat(ImageReferences.normalize("bitnami/redis")).isEqualTo("docker.io/bitnami/redis");
        assertThat(ImageReferences.normalize("registry.k8s.io/pause:3.10")).isEqualTo("registry.k8s.io/pause:3.10");
        assertThat(ImageReferences.normalize("localhost/app")).isEqualTo("localhost/app");
        assertThat(ImageReferences.normalize("myhost:5000/app:1")).isEqualTo("myhost:5000/app:1");
    }

    @Test
    void theRepositoryDropsTagAndDigestButNotARegistryPort() {
        assertThat(ImageReferences.repository("nginx:1.27")).isEqualTo("docker.io/library/nginx");
        assertThat(ImageReferences.repository("myhost:5000/app")).isEqualTo("myhost:5000/app");
        assertThat(ImageReferences.repository("busybox@sha256:abc")).isEqualTo("docker.io/library/busybox");
    }
}
