package dev.kubetest.junit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubetest.core.KubeCluster;
import dev.kubetest.core.store.ObjectStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Records, while a test runs, every version of the pods and events of its namespace with the cluster time it was
 * written at: the raw material of a failed test's {@link TimelinePage}. Listening costs an append per write.
 */
final class TimelineRecorder implements AutoCloseable {
    static final int MAX_ENTRIES = 20_000;

    /** One write: when (cluster time), what (pod or event), how (ADDED, MODIFIED, DELETED) and the object after it. */
    record Entry(Instant at, String resource, String type, ObjectNode object) {}

    private final KubeCluster cluster;
    private final String namespace;
    private final Instant start;
    private final List<Entry> entries = new ArrayList<>();
    private final List<ObjectStore.Subscription> subscriptions = new ArrayList<>();

    TimelineRecorder(KubeCluster cluster, String namespace) {
        this.cluster = cluster;
        this.namespace = namespace;
        this.start = cluster.clock().now();
        for (String resource : List.of("pods", "events")) {
            String key = cluster.registry().find("", "v1", resource).orElseThrow().storageKey();
            subscriptions.add(cluster.store().watch(key, namespace, -1, e -> record(resource, e)));
        }
    }

    private void record(String resource, dev.kubetest.core.store.StoreEvent e) {
        synchronized (entries) {
            if (entries.size() < MAX_ENTRIES) {
                entries.add(new Entry(cluster.clock().now(), resource, e.type().name(), e.object()));
            }
        }
    }

    String namespace() {
        return namespace;
    }

    Instant start() {
        return start;
    }

    Instant now() {
        return cluster.clock().now();
    }

    List<Entry> entries() {
        synchronized (entries) {
            return List.copyOf(entries);
        }
    }

    @Override
    public void close() {
        subscriptions.forEach(ObjectStore.Subscription::close);
    }
}
