package dev.kubetest.core;

import dev.kubetest.core.node.NodeConfig;
import dev.kubetest.core.store.StoreSnapshot;
import java.util.List;

/**
 * A cluster's state at one moment, for {@link KubeCluster#restore}: every stored object, the files of every volume
 * (as the runtime copies them; null when it cannot) and the simulated nodes.
 */
public record ClusterSnapshot(StoreSnapshot objects, Object volumes, List<NodeConfig> nodes) {

    /** How many objects it holds. */
    public int size() {
        return objects.size();
    }
}
