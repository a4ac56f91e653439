package dev.kubetest.core;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubetest.core.api.KubeApi;
import dev.kubetest.core.api.ResourceRegistry;
import dev.kubetest.core.api.ResourceType;
import dev.kubetest.core.api.WriteOptions;
import dev.kubetest.core.client.KubeClient;
import dev.kubetest.core.clock.Clock;
import dev.kubetest.core.json.Json;
import dev.kubetest.core.store.ObjectStore;
import java.util.List;

/**
 * One in-memory cluster: registry, store, API semantics, clock. Several can live in one JVM; nothing is shared.
 * The HTTP server ({@code dev.kubetest.apiserver.ApiServer}) serves one of these.
 */
public final class KubeCluster implements AutoCloseable {
    /** The namespaces every cluster has at boot. */
    public static final List<String> SYSTEM_NAMESPACES = List.of("default", "kube-system", "kube-public", "kube-node-lease");

    private final ResourceRegistry registry;
    private final ObjectStore store;
    private final Clock clock;
    private final KubeApi api;

    private KubeCluster(Builder b) {
        this.registry = ResourceRegistry.withBuiltins();
        this.store = new ObjectStore(b.watchWindow);
        this.clock = b.clock != null ? b.clock : Clock.real();
        this.api = new KubeApi(registry, store, clock);
        ResourceType namespaces = registry.find("", "v1", "namespaces").orElseThrow();
        for (String ns : SYSTEM_NAMESPACES) {
            ObjectNode o = Json.object();
            o.putObject("metadata").put("name", ns);
            api.create(namespaces, null, o, WriteOptions.manager("kube-apiserver"));
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public static KubeCluster start() {
        return builder().build();
    }

    public ResourceRegistry registry() {
        return registry;
    }

    public ObjectStore store() {
        return store;
    }

    public Clock clock() {
        return clock;
    }

    public KubeApi api() {
        return api;
    }

    /** An in-process client whose writes carry {@code fieldManager}. */
    public KubeClient client(String fieldManager) {
        return new KubeClient(api, fieldManager);
    }

    public KubeClient client() {
        return client("kubetest");
    }

    @Override
    public void close() {
        clock.close();
    }

    /** Settings of a cluster; every one has a default. */
    public static final class Builder {
        private Clock clock;
        private int watchWindow = 20_000;

        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /** How many recent changes the store keeps for watches and paginated lists (older ones get 410). */
        public Builder watchWindow(int events) {
            this.watchWindow = events;
            return this;
        }

        public KubeCluster build() {
            return new KubeCluster(this);
        }
    }
}
