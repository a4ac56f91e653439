package dev.kubetest.runtime.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.CreateNetworkResponse;
import com.github.dockerjava.api.model.ContainerNetwork;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Network;
import dev.kubetest.core.runtime.ContainerRuntime.PodSandbox;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Pod sandboxes: one small container per pod holding the network namespace (and hostname) that the pod's containers
 * join, on a Docker network made per cluster. The network takes the cluster's pod range (10.244.0.0/16) when no other
 * network holds it, so that pods keep the IPs the kubelet gave them; otherwise the engine chooses and the pod's IP
 * is the one it got.
 */
final class PodSandboxes {
    static final String POD_SUBNET = "10.244.0.0/16";
    /** Kept out of the kubelets' range (10.244.<node>.2..254), so that no pod asks for the gateway's address. */
    static final String POD_GATEWAY = "10.244.255.254";
    private static final String KEEP_ALIVE = "trap 'exit 0' TERM INT; while :; do sleep 3600 & wait $!; done";

    private final DockerClient docker;
    private final Map<String, String> labels;
    private final String networkName;
    private final SandboxImage image;
    private final Map<String, String> byPod = new ConcurrentHashMap<>();
    private volatile String networkId;
    private volatile boolean fixedAddresses;

    /** Chooses the image a sandbox runs: a pause image when the engine has one, else a shell image. */
    interface SandboxImage {
        /** The image, and its command (null: the image's own, as for pause). */
        Choice choose(String podImage);

        record Choice(String image, List<String> command) {}
    }

    PodSandboxes(DockerClient docker, Map<String, String> labels, String networkName, SandboxImage image) {
        this.docker = docker;
        this.labels = labels;
        this.networkName = networkName;
        this.image = image;
    }

    String networkId() {
        return networkId;
    }

    private synchronized String network() {
        if (networkId != null) {
            return networkId;
        }
        CreateNetworkResponse created;
        try {
            created = docker.createNetworkCmd().withName(networkName).withDriver("bridge").withLabels(labels)
                    .withIpam(new Network.Ipam().withConfig(new Network.Ipam.Config().withSubnet(POD_SUBNET)
                            .withGateway(POD_GATEWAY)))
                    .exec();
            fixedAddresses = true;
        } catch (RuntimeException e) {
            // another cluster's network holds the pod range: let the engine choose
            created = docker.createNetworkCmd().withName(networkName).withDriver("bridge").withLabels(labels).exec();
            fixedAddresses = false;
        }
        networkId = created.getId();
        return networkId;
    }

    /** Starts the pod's sandbox and returns the pod's IP. */
    String create(PodSandbox pod, String podImage) {
        String existing = byPod.get(pod.uid());
        if (existing != null) {
            return ipOf(existing);
        }
        network();
        SandboxImage.Choice choice = image.choose(podImage);
        Map<String, String> l = new HashMap<>(labels);
        l.put("io.kubernetes.pod.namespace", pod.namespace());
        l.put("io.kubernetes.pod.name", pod.name());
        l.put("io.kubernetes.pod.uid", pod.uid());
        l.put("io.kubernetes.docker.type", "podsandbox");
        String name = "k8s_POD_" + pod.name() + "_" + pod.namespace() + "_" + pod.uid();
        String id = null;
        RuntimeException failure = null;
        for (boolean fixed : fixedAddresses && pod.proposedIp().startsWith("10.244.") ? new boolean[] {true, false}
                : new boolean[] {false}) {
            var cmd = docker.createContainerCmd(choice.image()).withName(name).withLabels(l)
                    .withHostName(hostname(pod.hostname()))
                    .withHostConfig(HostConfig.newHostConfig().withNetworkMode(networkName).withIpcMode("shareable").withInit(false));
            if (fixed) {
                cmd = cmd.withIpv4Address(pod.proposedIp());
            }
            if (choice.command() != null) {
                cmd = cmd.withEntrypoint(choice.command());
            }
            try {
                var created = cmd.exec();
                id = created.getId();
                docker.startContainerCmd(id).exec();
                break;
            } catch (RuntimeException e) {
                failure = e;
                if (id != null) {
                    DockerEngine.removeQuietly(docker, id);
                    id = null;
                }
            }
        }
        if (id == null) {
            throw failure;
        }
        byPod.put(pod.uid(), id);
        return ipOf(id);
    }

    /** The sandbox container of a pod, or null. */
    String of(String podUid) {
        return byPod.get(podUid);
    }

    void remove(String podUid) {
        String id = byPod.remove(podUid);
        if (id != null) {
            DockerEngine.removeQuietly(docker, id);
        }
    }

    private String ipOf(String id) {
        var networks = docker.inspectContainerCmd(id).exec().getNetworkSettings().getNetworks();
        ContainerNetwork n = networks.get(networkName);
        return n == null ? null : n.getIpAddress();
    }

    /** A hostname the engine accepts: at most 63 characters of letters, digits and hyphens. */
    static String hostname(String name) {
        String h = name.replaceAll("[^A-Za-z0-9-]", "-");
        return h.length() > 63 ? h.substring(0, 63) : h;
    }

    static List<String> keepAlive() {
        return List.of("/bin/sh", "-c", KEEP_ALIVE);
    }

    void removeNetwork() {
        String id = networkId;
        if (id != null) {
            try {
                docker.removeNetworkCmd(id).exec();
            } catch (RuntimeException ignored) {
                // a container still attached: reaped at the next start
            }
        }
    }
}
