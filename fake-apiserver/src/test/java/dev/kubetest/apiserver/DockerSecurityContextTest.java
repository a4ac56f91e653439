package dev.kubetest.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kubetest.apiserver.support.Runtimes;
import dev.kubetest.apiserver.support.TestServer;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The security context fields the Docker runtime passes to the engine, read back from the kernel's view of the
 * process (/proc/self/status): capabilities added and dropped, and no-new-privileges. ({@code privileged} is passed
 * on too, but the engine of this project's CI runs without every capability and refuses privileged containers.)
 */
class DockerSecurityContextTest {
    private static final long NET_ADMIN = 1L << 12;
    private static final long CHOWN = 1L;

    private static void run(KubernetesClient client, String name, SecurityContext context) {
        client.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withRestartPolicy("Never").addNewContainer().withName("main").withImage("busybox")
                .withCommand("sh", "-c", "grep -E '^(CapEff|NoNewPrivs):' /proc/self/status").withSecurityContext(context)
                .endContainer().endSpec().build()).create();
    }

    private static String status(KubernetesClient client, String name, String field) {
        String log = await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(
                () -> client.pods().inNamespace("default").withName(name).getLog(), l -> l.contains("NoNewPrivs"));
        return log.lines().filter(l -> l.startsWith(field + ":")).findFirst().orElseThrow().substring(field.length() + 1).trim();
    }

    @Test
    void capabilitiesPrivilegedAndNoNewPrivilegesReachTheProcess() {
        try (TestServer server = new TestServer(Runtimes.builder("docker"))) {
            KubernetesClient client = server.fabric8();
            run(client, "plain", new SecurityContextBuilder().build());
            run(client, "dropped", new SecurityContextBuilder().withNewCapabilities().addToDrop("ALL").endCapabilities().build());
            run(client, "added", new SecurityContextBuilder().withNewCapabilities().addToAdd("NET_ADMIN").addToDrop("CHOWN")
                    .endCapabilities().withAllowPrivilegeEscalation(false).build());

            long plain = Long.parseUnsignedLong(status(client, "plain", "CapEff"), 16);
            assertThat(plain & NET_ADMIN).as("the engine's default set has no NET_ADMIN").isZero();
            assertThat(plain & CHOWN).as("the engine's default set has CHOWN").isNotZero();
            assertThat(status(client, "plain", "NoNewPrivs")).isEqualTo("0");

            assertThat(Long.parseUnsignedLong(status(client, "dropped", "CapEff"), 16)).isZero();

            long added = Long.parseUnsignedLong(status(client, "added", "CapEff"), 16);
            assertThat(added).isEqualTo((plain | NET_ADMIN) & ~CHOWN);
            assertThat(status(client, "added", "NoNewPrivs")).isEqualTo("1");

        }
    }
}
