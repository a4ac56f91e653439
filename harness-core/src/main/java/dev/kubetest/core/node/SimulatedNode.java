package dev.kubetest.core.node;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubetest.core.api.KubeApi;
import dev.kubetest.core.clock.Clock;
import dev.kubetest.core.json.Json;
import dev.kubetest.core.kubelet.Kubelet;
import dev.kubetest.core.meta.ApiException;
import dev.kubetest.core.meta.ResourceType;
import dev.kubetest.core.meta.WriteOptions;
import dev.kubetest.core.runtime.ContainerRuntime;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

/**
 * One simulated node: it owns its addresses (internal IP, pod CIDR), its Node object (capacity, labels, taints,
 * addresses, node info and a Ready condition), its Lease in {@code kube-node-lease} (renewed every 10 s of cluster
 * time while the heartbeat is on) and its kubelet, which starts pods on the addresses the node gives it.
 */
public final class SimulatedNode implements AutoCloseable {
    public static final Duration LEASE_RENEW = Duration.ofSeconds(10);
    private static final DateTimeFormatter MICRO = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'")
            .withZone(ZoneOffset.UTC);

    private final KubeApi api;
    private final Clock clock;
    private final NodeConfig config;
    private final String internalIp;
    private final String podCidr;
    private final String kubeletVersion;
    private Kubelet kubelet;
    private volatile boolean heartbeating;
    private volatile boolean closed;
    private volatile Clock.Timer leaseTimer;

    /** The node number {@code index} (from 0) of a cluster: its addresses follow from the number. */
    SimulatedNode(KubeApi api, NodeConfig config, int index, String kubeletVersion) {
        this.api = api;
        this.clock = api.clock();
        this.config = config;
        this.internalIp = internalIp(index);
        this.podCidr = "10.244." + index + ".0/24";
        this.kubeletVersion = kubeletVersion;
    }

    /** The internal IP of node number {@code index}: 172.18.0.(index + 2). */
    static String internalIp(int index) {
        return "172.18." + ((index + 2) / 250) + "." + ((index + 2) % 250);
    }

    public String name() {
        return config.name();
    }

    public NodeConfig config() {
        return config;
    }

    public String internalIp() {
        return internalIp;
    }

    public String podCidr() {
        return podCidr;
    }

    /** The node's kubelet, on the given runtime (made once; the caller starts it with the other controllers). */
    public synchronized Kubelet kubelet(ContainerRuntime runtime) {
        if (kubelet == null) {
            kubelet = new Kubelet(api, runtime, config.name(), internalIp, podCidr);
        }
        return kubelet;
    }

    /** The node's kubelet, when it has one. */
    public synchronized Optional<Kubelet> kubelet() {
        return Optional.ofNullable(kubelet);
    }

    /** Registers the Node object (or brings its status back to the node's own) and starts the heartbeat. */
    void register() {
        ResourceType nodeType = api.registry().find("", "v1", "nodes").orElseThrow();
        ObjectNode desired = manifest();
        try {
            api.create(nodeType, null, desired, WriteOptions.manager("kubelet"));
        } catch (ApiException e) {
            if (e.code() != 409) {
                throw e;
            }
        }
        api.mutate(nodeType, null, config.name(), null, WriteOptions.manager("kubelet"), current -> {
            current.set("status", desired.get("status").deepCopy());
            return current;
        }, KubeApi.Target.STATUS);
        setHeartbeat(true);
    }

    /** Stops or resumes the heartbeat (the Lease stops being renewed). */
    public void setHeartbeat(boolean on) {
        heartbeating = on;
        if (on) {
            Clock.Timer pending = leaseTimer;
            if (pending != null) {
                pending.cancel();
            }
            renewLease();
        }
    }

    private ObjectNode manifest() {
        NodeConfig n = config;
        ObjectNode o = Json.object();
        ObjectNode meta = o.putObject("metadata");
        meta.put("name", n.name());
        ObjectNode labels = meta.putObject("labels");
        labels.put("kubernetes.io/hostname", n.name());
        labels.put("kubernetes.io/os", "linux");
        labels.put("kubernetes.io/arch", "amd64");
        labels.put("beta.kubernetes.io/os", "linux");
        labels.put("beta.kubernetes.io/arch", "amd64");
        n.labels().forEach(labels::put);
        ObjectNode spec = o.putObject("spec");
        spec.put("podCIDR", podCidr);
        spec.putArray("podCIDRs").add(podCidr);
        if (!n.taints().isEmpty()) {
            ArrayNode taints = spec.putArray("taints");
            for (String t : n.taints()) {
                ObjectNode taint = taints.addObject();
                String keyValue = t.contains(":") ? t.substring(0, t.lastIndexOf(':')) : t;
                String effect = t.contains(":") ? t.substring(t.lastIndexOf(':') + 1) : "NoSchedule";
                taint.put("key", keyValue.contains("=") ? keyValue.substring(0, keyValue.indexOf('=')) : keyValue);
                if (keyValue.contains("=")) {
                    taint.put("value", keyValue.substring(keyValue.indexOf('=') + 1));
                }
                taint.put("effect", effect);
            }
        }
        ObjectNode status = o.putObject("status");
        ObjectNode capacity = status.putObject("capacity");
        capacity.put("cpu", n.cpu());
        capacity.put("memory", n.memory());
        capacity.put("pods", Integer.toString(n.pods()));
        capacity.put("ephemeral-storage", n.ephemeralStorage());
        status.set("allocatable", capacity.deepCopy());
        String now = api.timestamp();
        ArrayNode conditions = status.putArray("conditions");
        condition(conditions, "MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available", now);
        condition(conditions, "DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure", now);
        condition(conditions, "PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available", now);
        condition(conditions, "Ready", "True", "KubeletReady", "kubelet is posting ready status", now);
        ArrayNode addresses = status.putArray("addresses");
        ObjectNode ip = addresses.addObject();
        ip.put("type", "InternalIP");
        ip.put("address", internalIp);
        ObjectNode host = addresses.addObject();
        host.put("type", "Hostname");
        host.put("address", n.name());
        status.putObject("daemonEndpoints").putObject("kubeletEndpoint").put("Port", 10250);
        ObjectNode info = status.putObject("nodeInfo");
        info.put("machineID", Integer.toHexString(n.name().hashCode()));
        info.put("systemUUID", dev.kubetest.core.api.Uids.fromName(n.name()));
        info.put("bootID", dev.kubetest.core.api.Uids.fromName(n.name() + "-boot"));
        info.put("kernelVersion", "6.1.0-kubetest");
        info.put("osImage", "KubeTest simulated node");
        info.put("containerRuntimeVersion", "kubetest://0.1.0");
        info.put("kubeletVersion", kubeletVersion);
        info.put("kubeProxyVersion", kubeletVersion);
        info.put("operatingSystem", "linux");
        info.put("architecture", "amd64");
        return o;
    }

    private static void condition(ArrayNode conditions, String type, String status, String reason, String message, String now) {
        ObjectNode c = conditions.addObject();
        c.put("type", type);
        c.put("status", status);
        c.put("lastHeartbeatTime", now);
        c.put("lastTransitionTime", now);
        c.put("reason", reason);
        c.put("message", message);
    }

    private void renewLease() {
        String node = config.name();
        if (closed || !heartbeating) {
            return;
        }
        ResourceType leases = api.registry().find("coordination.k8s.io", "v1", "leases").orElseThrow();
        Instant now = clock.now();
        try {
            api.mutate(leases, "kube-node-lease", node, null, WriteOptions.manager("kubelet"), lease -> {
                Json.with(lease, "spec").put("renewTime", MICRO.format(now));
                return lease;
            }, KubeApi.Target.MAIN);
        } catch (ApiException e) {
            if (e.code() == 404) {
                ObjectNode lease = Json.object();
                lease.putObject("metadata").put("name", node).put("namespace", "kube-node-lease");
                ObjectNode spec = lease.putObject("spec");
                spec.put("holderIdentity", node);
                spec.put("leaseDurationSeconds", 40);
                spec.put("renewTime", MICRO.format(now));
                try {
                    api.create(leases, "kube-node-lease", lease, WriteOptions.manager("kubelet"));
                } catch (ApiException ignored) {
                    // created meanwhile
                }
            }
        }
        leaseTimer = clock.scheduleAfter(LEASE_RENEW, this::renewLease);
    }

    @Override
    public void close() {
        closed = true;
        Clock.Timer timer = leaseTimer;
        if (timer != null) {
            timer.cancel();
        }
    }
}
