package dev.kubetest.core;

import dev.kubetest.core.node.NodeConfig;
import dev.kubetest.core.store.StoreSnapshot;
import java.util.List;

/**
 * A cluster's state at one moment, for {@link KubeCluster#restore}: every stored object, the files of every volume
 * and running container (as the runtime copies them; null when it cannot), the simulated nodes, and the cluster
 * time it was taken at.
 */
public record ClusterSnapshot(StoreSnapshot objects, Object volumes, List<NodeConfig> nodes, java.time.Instant time) {

    /** How many objects it holds. */
    public int size() {
        return objects.size();
    }
}
