package dev.kubetest.core.node;

import dev.kubetest.core.api.KubeApi;
import java.util.List;
import java.util.Optional;

/** The cluster's simulated nodes, in order; each owns its Node, Lease, addresses and kubelet. */
public final class SimulatedNodes implements AutoCloseable {

    private final List<SimulatedNode> nodes = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final KubeApi api;
    private final String kubeletVersion;
    /** The next node's index: addresses are never reused, even after a node left. */
    private int nextIndex;

    public SimulatedNodes(KubeApi api, List<NodeConfig> configs, String kubeletVersion) {
        this.api = api;
        this.kubeletVersion = kubeletVersion;
        for (NodeConfig config : configs) {
            nodes.add(new SimulatedNode(api, config, nextIndex++, kubeletVersion));
        }
    }

    public List<SimulatedNode> all() {
        return List.copyOf(nodes);
    }

    /** A node joining a running cluster (not yet registered: {@link #register}). */
    public synchronized SimulatedNode add(NodeConfig config) {
        if (node(config.name()).isPresent()) {
            throw new IllegalArgumentException("node " + config.name() + " exists");
        }
        SimulatedNode node = new SimulatedNode(api, config, nextIndex++, kubeletVersion);
        nodes.add(node);
        return node;
    }

    /** Registers a node's Node object and starts its heartbeat. */
    public void register(SimulatedNode node) {
        node.register();
    }

    /** A node leaving: its heartbeat stops and it is no longer listed (its Node object is the caller's to delete). */
    public synchronized Optional<SimulatedNode> remove(String name) {
        Optional<SimulatedNode> node = node(name);
        node.ifPresent(n -> {
            n.close();
            nodes.remove(n);
        });
        return node;
    }

    public Optional<SimulatedNode> node(String name) {
        return nodes.stream().filter(n -> n.name().equals(name)).findFirst();
    }

    /** Registers every node's Node object and starts the heartbeats. */
    public void start() {
        nodes.forEach(SimulatedNode::register);
    }

    /** Stops or resumes a node's heartbeat (its Lease stops being renewed). */
    public void setHeartbeat(String node, boolean on) {
        node(node).orElseThrow(() -> new IllegalArgumentException("no node " + node)).setHeartbeat(on);
    }

    @Override
    public void close() {
        nodes.forEach(SimulatedNode::close);
    }
}
