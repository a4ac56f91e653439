package dev.kubetest.core.node;

import dev.kubetest.core.api.KubeApi;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The cluster's simulated nodes, in order; each owns its Node, Lease, addresses and kubelet. */
public final class SimulatedNodes implements AutoCloseable {

    private final List<SimulatedNode> nodes;

    public SimulatedNodes(KubeApi api, List<NodeConfig> configs, String kubeletVersion) {
        List<SimulatedNode> made = new ArrayList<>();
        for (int i = 0; i < configs.size(); i++) {
            made.add(new SimulatedNode(api, configs.get(i), i, kubeletVersion));
        }
        this.nodes = List.copyOf(made);
    }

    public List<SimulatedNode> all() {
        return nodes;
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
