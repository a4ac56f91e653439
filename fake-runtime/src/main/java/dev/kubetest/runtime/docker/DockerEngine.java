package dev.kubetest.runtime.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Network;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Docker engine a runtime talks to (DOCKER_HOST, else the default socket), and the labels by which everything
 * a KubeTest runtime creates is found again: to remove it at close, and to reap what a killed JVM left behind.
 */
public final class DockerEngine {
    /** Every container and network a KubeTest runtime creates carries this label. */
    static final String RUNTIME_LABEL = "dev.kubetest.runtime";
    static final String CLUSTER_LABEL = "dev.kubetest.cluster";
    /** The creating JVM's pid and start time (pid alone may be reused by a later process). */
    static final String OWNER_LABEL = "dev.kubetest.owner";

    private DockerEngine() {}

    /** A client for the engine DOCKER_HOST names (default: the local socket). */
    public static DockerClient client() {
        DefaultDockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder().build();
        ZerodepDockerHttpClient http = new ZerodepDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost())
                .sslConfig(config.getSSLConfig())
                .maxConnections(64)
                .connectionTimeout(Duration.ofSeconds(5))
                .responseTimeout(Duration.ofMinutes(5))
                .build();
        return DockerClientImpl.getInstance(config, http);
    }

    /** The engine's address: DOCKER_HOST, else the local socket. */
    static java.net.URI host() {
        return DefaultDockerClientConfig.createDefaultConfigBuilder().build().getDockerHost();
    }

    /** Why no engine answers, or empty when one does. */
    public static Optional<String> unavailable() {
        try (DockerClient client = client()) {
            client.pingCmd().exec();
            return Optional.empty();
        } catch (Exception | LinkageError e) {
            String host = System.getenv().getOrDefault("DOCKER_HOST", "unix:///var/run/docker.sock");
            return Optional.of("no Docker engine answers at " + host + ": " + e.getMessage());
        }
    }

    /** This JVM as an owner label value: pid and start time. */
    static String owner() {
        ProcessHandle me = ProcessHandle.current();
        return me.pid() + "@" + me.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
    }

    /** Whether the JVM an owner label names is still running. */
    static boolean alive(String owner) {
        int at = owner == null ? -1 : owner.indexOf('@');
        if (at < 0) {
            return false;
        }
        long pid = Long.parseLong(owner.substring(0, at));
        long started = Long.parseLong(owner.substring(at + 1));
        return ProcessHandle.of(pid).flatMap(p -> p.info().startInstant())
                .map(i -> i.toEpochMilli() == started).orElse(false);
    }

    /** Removes the containers and networks of runtimes whose JVM is gone (killed before it could close them). */
    static int reapLeftovers(DockerClient client) {
        int reaped = 0;
        List<Container> containers = client.listContainersCmd().withShowAll(true)
                .withLabelFilter(List.of(RUNTIME_LABEL)).exec();
        for (Container c : containers) {
            if (!alive(c.getLabels().get(OWNER_LABEL))) {
                removeQuietly(client, c.getId());
                reaped++;
            }
        }
        for (Network n : client.listNetworksCmd().withFilter("label", List.of(RUNTIME_LABEL)).exec()) {
            Map<String, String> labels = n.getLabels() == null ? Map.of() : n.getLabels();
            if (!alive(labels.get(OWNER_LABEL))) {
                try {
                    client.removeNetworkCmd(n.getId()).exec();
                    reaped++;
                } catch (RuntimeException e) {
                    // still in use by a container being removed elsewhere; the next start reaps it
                }
            }
        }
        return reaped;
    }

    static void removeQuietly(DockerClient client, String containerId) {
        try {
            client.removeContainerCmd(containerId).withForce(true).withRemoveVolumes(true).exec();
        } catch (RuntimeException e) {
            // already gone
        }
    }
}
