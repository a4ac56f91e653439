package dev.kubetest.core.node;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubetest.core.meta.ApiException;
import dev.kubetest.core.api.KubeApi;
import dev.kubetest.core.meta.ResourceType;
import dev.kubetest.core.meta.WriteOptions;
import dev.kubetest.core.clock.Clock;
import dev.kubetest.core.json.Json;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The cluster's simulated nodes as the kubelet presents them: a Node object with capacity, labels, taints,
 * addresses, node info and a Ready condition, and a Lease in {@code kube-node-lease} renewed every 10 s of
 * cluster time. A test can stop a node's heartbeat.
 */
public final class SimulatedNodes implements AutoCloseable {
    public static final Duration LEASE_RENEW = Duration.ofSeconds(10);
    private static final DateTimeFormatter MICRO = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'")
            .withZone(ZoneOffset.UTC);

    private final KubeApi api;
    private final Clock clock;
    private final List<NodeConfig> nodes;
    private final Map<String, Boolean> heartbeating = new ConcurrentHashMap<>();
    private final Map<String, Clock.Timer> timers = new ConcurrentHashMap<>();
    private volatile boolean closed;

    private final String kubeletVersion;

    public SimulatedNodes(KubeApi api, List<NodeConfig> nodes, String kubeletVersion) {
        this.kubeletVersion = kubeletVersion;
        this.api = api;
        this.clock = api.clock();
        this.nodes = List.copyOf(nodes);
    }

    public List<NodeConfig> nodes() {
        return nodes;
    }

    /** The node's internal IP: 172.18.0.(index + 2). */
    public static String nodeIp(int index) {
        return "172.18." + ((index + 2) / 250) + "." + ((index + 2) % 250);
    }

    public void start() {
        ResourceType nodeType = api.registry().find("", "v1", "nodes").orElseThrow();
        for (int i = 0; i < nodes.size(); i++) {
            NodeConfig n = nodes.get(i);
            ObjectNode desired = node(n, i);
            try {
                api.create(nodeType, null, desired, WriteOptions.manager("kubelet"));
            } catch (ApiException e) {
                if (e.code() != 409) {
                    throw e;
                }
            }
            api.mutate(nodeType, null, n.name(), null, WriteOptions.manager("kubelet"), current -> {
                current.set("status", desired.get("status").deepCopy());
                return current;
            }, KubeApi.Target.STATUS);
            heartbeating.put(n.name(), true);
            renewLease(n.name());
        }
    }

    private ObjectNode node(NodeConfig n, int index) {
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
        spec.put("podCIDR", "10.244." + index + ".0/24");
        spec.putArray("podCIDRs").add("10.244." + index + ".0/24");
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
        ip.put("address", nodeIp(index));
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

    private void renewLease(String node) {
        if (closed || !heartbeating.getOrDefault(node, false)) {
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
        timers.put(node, clock.scheduleAfter(LEASE_RENEW, () -> renewLease(node)));
    }

    /** Stops or resumes a node's heartbeat (its Lease stops being renewed). */
    public void setHeartbeat(String node, boolean on) {
        heartbeating.put(node, on);
        if (on) {
            renewLease(node);
        }
    }

    @Override
    public void close() {
        closed = true;
        timers.values().forEach(Clock.Timer::cancel);
    }
}
