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
import dev.kubetest.core.controller.Controller;
import dev.kubetest.core.controller.CustomResourceDefinitionController;
import dev.kubetest.core.controller.GarbageCollector;
import dev.kubetest.core.controller.NamespaceController;
import dev.kubetest.core.controller.ResourceEvents;
import dev.kubetest.core.controller.RootCaPublisher;
import dev.kubetest.core.controller.ServiceAccountController;
import dev.kubetest.core.tls.ClusterTls;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

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
    private final CompletableFuture<ClusterTls> tls;
    private final ResourceEvents resourceEvents;
    private final List<Controller> controllers = new ArrayList<>();

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
        // The CA is made beside the rest of the boot; the HTTPS server and kube-root-ca.crt wait for it.
        java.time.Instant bootTime = clock.now();
        this.tls = CompletableFuture.supplyAsync(() -> ClusterTls.generate(bootTime),
                r -> {
                    Thread t = new Thread(r, "kubetest-ca");
                    t.setDaemon(true);
                    t.start();
                });
        this.resourceEvents = new ResourceEvents(api);
        List<Controller> all = List.of(
                new CustomResourceDefinitionController(api),
                new GarbageCollector(api, resourceEvents),
                new NamespaceController(api, resourceEvents),
                new ServiceAccountController(api, resourceEvents),
                new RootCaPublisher(api, resourceEvents, tls.thenApply(ClusterTls::caPem)));
        for (Controller c : all) {
            if (!b.disabled.contains(c.name()) && !b.disabled.contains("*")) {
                controllers.add(c);
                c.start();
            }
        }
        resourceEvents.start();
    }

    /** The cluster CA and serving certificate, generated at boot in the background. */
    public CompletableFuture<ClusterTls> tls() {
        return tls;
    }

    /** The controllers running in this cluster. */
    public List<Controller> controllers() {
        return List.copyOf(controllers);
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
        controllers.forEach(Controller::close);
        resourceEvents.close();
        clock.close();
    }

    /** Settings of a cluster; every one has a default. */
    public static final class Builder {
        private Clock clock;
        private int watchWindow = 20_000;
        private final Set<String> disabled = new HashSet<>();

        /**
         * Switches a controller off by name ({@code garbagecollector}, {@code namespace}, {@code serviceaccount},
         * {@code root-ca-cert-publisher}), or every controller with {@code "*"}.
         */
        public Builder withoutController(String name) {
            disabled.add(name);
            return this;
        }

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
