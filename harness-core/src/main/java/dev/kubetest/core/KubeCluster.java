package dev.kubetest.core;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubetest.core.api.KubeApi;
import dev.kubetest.core.registry.ResourceRegistry;
import dev.kubetest.core.meta.ResourceType;
import dev.kubetest.core.meta.DeleteOptions;
import dev.kubetest.core.meta.WriteOptions;
import dev.kubetest.core.client.KubeClient;
import dev.kubetest.core.clock.Clock;
import dev.kubetest.core.json.Json;
import dev.kubetest.core.store.ObjectStore;
import dev.kubetest.core.controller.Controller;
import dev.kubetest.core.controller.ResourceEvents;
import dev.kubetest.core.clock.Activity;
import dev.kubetest.core.clock.ManualClock;
import dev.kubetest.core.clock.SkippingClock;
import dev.kubetest.core.controller.PodGarbageCollector;
import dev.kubetest.core.controller.QueueController;
import dev.kubetest.core.kubelet.Kubelet;
import dev.kubetest.core.kubelet.NodeConnector;
import dev.kubetest.core.node.NodeConfig;
import dev.kubetest.core.node.SimulatedNode;
import dev.kubetest.core.node.SimulatedNodes;
import dev.kubetest.core.scheduler.Scheduler;
import dev.kubetest.core.subresource.Subresources;
import dev.kubetest.core.tls.ClusterTls;
import dev.kubetest.core.warmup.JvmWarmups;
import dev.kubetest.core.tls.SharedTls;
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
    private final NodeConnector nodeConnector;

    /** How an API server reaches the containers of this cluster's pods: through their nodes' kubelets. */
    public NodeConnector nodeConnector() {
        return nodeConnector;
    }

    /** The Kubernetes version a cluster reports unless its builder says otherwise. */
    public static final String DEFAULT_VERSION = "1.32.4";
    private final String kubernetesVersion;

    /** The version this cluster reports (nodes' kubeletVersion; its API servers' {@code /version} by default). */
    public String kubernetesVersion() {
        return kubernetesVersion;
    }

    private final java.time.Duration waitTimeout;

    /**
     * How long waits on this cluster last unless told otherwise (assertions' {@code eventually()}, in cluster
     * time); null when the builder left it to the waiting side's default.
     */
    public java.time.Duration waitTimeout() {
        return waitTimeout;
    }

    /** The namespaces every cluster has at boot. */
    public static final List<String> SYSTEM_NAMESPACES = List.of("default", "kube-system", "kube-public", "kube-node-lease");

    private final ResourceRegistry registry;
    private final ObjectStore store;
    private final Clock clock;
    private final KubeApi api;
    private final Subresources subresources;
    private final CompletableFuture<ClusterTls> tls;
    private final ResourceEvents resourceEvents;
    private final List<Controller> controllers = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Activity activity = new Activity();
    private final dev.kubetest.core.node.SimulatedNodes nodes;
    private final dev.kubetest.core.runtime.ContainerRuntime runtime;
    private final java.util.Map<String, Kubelet> kubelets = new java.util.concurrent.ConcurrentHashMap<>();
    private final Set<String> disabled;

    /** How cluster time moves. */
    public enum TimeMode {
        /** Wall-clock time. */
        REAL,
        /** Time moves only when the test calls {@link dev.kubetest.core.clock.ManualClock#advance}. */
        MANUAL,
        /** Wall-clock time that jumps to the next timer whenever the cluster is idle. */
        AUTO
    }

    /** The wiring, in order: state, system objects, controllers and kubelets, nodes, then the CA. */
    private KubeCluster(Builder b) {
        JvmWarmups.start();
        this.waitTimeout = b.waitTimeout;
        this.registry = ResourceRegistry.withBuiltins();
        this.store = new ObjectStore(b.watchWindow);
        this.disabled = Set.copyOf(b.disabled);
        this.clock = clockFor(b);
        this.api = new KubeApi(registry, store, clock, activity);
        this.subresources = new Subresources(api);
        SystemObjects.create(api, registry);
        // The CA (one per JVM, SharedTls) is asked for once the rest has booted, so that making it does not compete
        // with the boot for CPU; the HTTPS server and kube-root-ca.crt wait for it.
        this.tls = new CompletableFuture<>();
        this.resourceEvents = new ResourceEvents(api);
        List<NodeConfig> nodeConfigs = b.nodes.isEmpty() && !b.nodesChosen ? List.of(NodeConfig.named("kubetest-node-1")) : b.nodes;
        this.runtime = b.runtime != null ? b.runtime : b.runtimeName != null
                ? dev.kubetest.core.runtime.ContainerRuntimeProvider.named(b.runtimeName).create(clock) : defaultRuntime(clock);
        if (runtime != null) {
            runtime.clusterNetwork(ClusterNetworking.router(api, b.disabled));
        }
        ClusterNetworking.createIngressClass(api, b.disabled);
        List<Controller> enabled = new ArrayList<>(ClusterControllers.of(api, resourceEvents, tls, b.terminatedPodThreshold, key -> {
            if (runtime != null) {
                runtime.deleteStorage(key);
            }
        }));
        enabled.addAll(ClusterNetworking.controllers(api, resourceEvents));
        enabled.add(new Scheduler(api, subresources.pods()));
        this.kubernetesVersion = b.kubernetesVersion;
        this.nodes = new SimulatedNodes(api, nodeConfigs, "v" + kubernetesVersion);
        if (runtime != null && !b.disabled.contains("kubelet")) {
            enabled.addAll(nodeKubelets());
        }
        startControllers(enabled, b.disabled);
        this.nodeConnector = new NodeConnector(kubelets, runtime);
        nodes.start();
        resourceEvents.start();
        requestCertificateAuthority();
        // the kubeadm addons run on the simulated runtime (a runtime passed in, e.g. Docker offline, could not pull
        // them); they are created beside the boot, not on its path, as kubeadm applies them once the API serves
        boolean addons = b.runtime == null && (b.runtimeName == null || b.runtimeName.equalsIgnoreCase("simulated")) && runtime != null && !b.disabled.contains("kubelet") && !b.disabled.contains("*");
        this.addons = addons ? dev.kubetest.core.addons.ClusterAddons.installAsync(api, kubernetesVersion, b.disabled)
                : CompletableFuture.completedFuture(null);
    }

    private final CompletableFuture<Void> addons;

    /**
     * Waits until the kube-system addons (CoreDNS, kube-proxy) are created; they are created beside the boot, so a
     * test that lists kube-system right after {@code build()} may call this first.
     */
    public void awaitAddons() {
        try {
            addons.get(waitTimeout == null ? 30_000 : waitTimeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("the kube-system addons were not created: " + e.getMessage(), e);
        }
    }

    private Clock clockFor(Builder b) {
        java.time.Instant start = java.time.Clock.systemUTC().instant();
        return b.clock != null ? b.clock : switch (b.timeMode) {
            case MANUAL -> new ManualClock(start);
            case AUTO -> new SkippingClock(start, activity, java.time.Duration.ofMillis(20));
            default -> Clock.real();
        };
    }

    /** Each node's kubelet, on the cluster's runtime. */
    private List<Kubelet> nodeKubelets() {
        List<Kubelet> out = new ArrayList<>();
        for (SimulatedNode node : nodes.all()) {
            Kubelet k = node.kubelet(runtime);
            kubelets.put(node.name(), k);
            out.add(k);
        }
        return out;
    }

    /** Starts what is not switched off ("*" switches off everything but the kubelets). */
    private void startControllers(List<Controller> enabled, Set<String> disabled) {
        for (Controller c : enabled) {
            boolean kubelet = c instanceof Kubelet;
            if (!disabled.contains(c.name()) && (!disabled.contains("*") || kubelet)) {
                controllers.add(c);
                if (c instanceof QueueController<?> q) {
                    activity.register(q::idle);
                }
                c.start();
            }
        }
    }

    private void requestCertificateAuthority() {
        SharedTls.get().whenComplete((material, failure) -> {
            if (failure != null) {
                tls.completeExceptionally(failure);
            } else {
                tls.complete(material);
            }
        });
    }

    private static dev.kubetest.core.runtime.ContainerRuntime defaultRuntime(Clock clock) {
        dev.kubetest.core.runtime.ContainerRuntimeProvider best = dev.kubetest.core.runtime.ContainerRuntimeProvider.preferred();
        return best == null ? null : best.create(clock);
    }

    /**
     * Adds a simulated node to the running cluster: it registers its Node (and its kubelet starts), as a kubelet
     * joining a cluster does; DaemonSets and pending pods notice it.
     */
    public SimulatedNode addNode(NodeConfig config) {
        SimulatedNode node = nodes.add(config);
        if (runtime != null && !disabled.contains("kubelet")) {
            Kubelet k = node.kubelet(runtime);
            kubelets.put(node.name(), k);
            controllers.add(k);
            activity.register(k::idle);
            k.start();
        }
        nodes.register(node);
        return node;
    }

    /**
     * Removes a simulated node: its kubelet stops and its Node object is deleted, as when a machine leaves a
     * cluster; its pods are deleted by the pod garbage collector after its 40 s quarantine.
     */
    public void removeNode(String name) {
        nodes.remove(name).orElseThrow(() -> new IllegalArgumentException("no node " + name));
        Kubelet k = kubelets.remove(name);
        if (k != null) {
            controllers.remove(k);
            k.close();
        }
        api.deleteIfPresent(registry.find("", "v1", "nodes").orElseThrow(), null, name, DeleteOptions.defaults());
    }

    /** The simulated nodes (heartbeats can be stopped per node). */
    public dev.kubetest.core.node.SimulatedNodes nodes() {
        return nodes;
    }

    /** The container runtime the kubelets drive, or null when none is on the classpath. */
    public dev.kubetest.core.runtime.ContainerRuntime runtime() {
        return runtime;
    }

    /** The kubelet of a node. */
    public dev.kubetest.core.kubelet.Kubelet kubelet(String node) {
        return kubelets.get(node);
    }

    public java.util.Collection<dev.kubetest.core.kubelet.Kubelet> kubelets() {
        return kubelets.values();
    }

    /**
     * The running container {@code container} of pod {@code namespace/pod} (read and write its files, read its
     * logs, stop it), or null when it is not running.
     */
    public dev.kubetest.core.runtime.ContainerProcess container(String namespace, String pod, String container) {
        ResourceType pods = registry.find("", "v1", "pods").orElseThrow();
        try {
            return nodeConnector.container(api.get(pods, namespace, pod), container, false);
        } catch (dev.kubetest.core.meta.ApiException e) {
            return null;
        }
    }

    /**
     * Opens a real port on 127.0.0.1 bridged to {@code port} of a pod, as {@code kubectl port-forward TARGET PORT}:
     * {@code target} is {@code pod/NAME} (or a bare pod name), {@code svc/NAME} ({@code port} is then the Service's
     * port, forwarded to its targetPort on one running pod it selects), or a workload ({@code deploy/NAME},
     * {@code rs/}, {@code sts/}, {@code ds/}). Close the result to free the port.
     */
    public dev.kubetest.core.network.LocalPortForward portForward(String namespace, String target, int port) {
        return dev.kubetest.core.network.LocalPortForward.open(api, runtime, this::runningContainer, namespace, target, port);
    }

    /**
     * Requests over the simulated pod network, as a pod makes them or from outside the cluster:
     * {@code cluster.network().from("shop", "frontend").get("http://backend/")}.
     */
    public dev.kubetest.core.network.PodNetwork network() {
        return new dev.kubetest.core.network.PodNetwork(runtime, this::runningContainer, clock::now);
    }

    /** A running container of pod {@code ns/pod} (the first in spec order), or null. */
    private dev.kubetest.core.runtime.ContainerProcess runningContainer(String ns, String pod) {
        ResourceType pods = registry.find("", "v1", "pods").orElseThrow();
        var found = api.find(pods, ns, pod);
        if (found.isEmpty()) {
            return null;
        }
        for (com.fasterxml.jackson.databind.JsonNode c : found.get().path("spec").path("containers")) {
            var process = container(ns, pod, c.path("name").asText());
            if (process != null && process.running()) {
                return process;
            }
        }
        return null;
    }

    /** How busy the cluster is (the time-skipping clock waits for quiet). */
    public dev.kubetest.core.clock.Activity activity() {
        return activity;
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

    /** The subresources that are actions or views: pod binding and eviction, tokens, scale. */
    public Subresources subresources() {
        return subresources;
    }

    /** An in-process client whose writes carry {@code fieldManager}. */
    public KubeClient client(String fieldManager) {
        return new KubeClient(api, fieldManager);
    }

    public KubeClient client() {
        return client("kubetest");
    }

    /**
     * The cluster's state now: every object (cheap: stored objects are immutable, so it holds references), a copy
     * of every volume's files, and the simulated nodes. A test harness takes one after set-up and
     * {@link #restore restores} it after each test.
     */
    public ClusterSnapshot snapshot() {
        awaitAddons();
        Object volumes = runtime == null ? null : runtime.snapshotVolumes();
        return new ClusterSnapshot(store.snapshot(), volumes,
                nodes.all().stream().map(dev.kubetest.core.node.SimulatedNode::config).toList(), clock.now());
    }

    /**
     * Puts the cluster back as it was in {@code snapshot}: simulated nodes added since are removed and nodes removed
     * since come back; volume and container files are put back; the clock goes back; then every object, as ordinary writes at new resourceVersions:
     * what was made since is deleted, what was changed or deleted since is written back with its UID, the rest is
     * left alone. Watchers (informers, operators, controllers) see ADDED, MODIFIED and DELETED events and stay
     * consistent. Manual and auto time are turned back to the snapshot's instant (pending timers keep their
     * delays); real time cannot be; the processes of containers that ran through are not rewound (see
     * docs/limitations.md).
     */
    public dev.kubetest.core.store.ObjectStore.Restored restore(ClusterSnapshot snapshot) {
        java.util.Set<String> wanted = new java.util.HashSet<>();
        snapshot.nodes().forEach(n -> wanted.add(n.name()));
        for (dev.kubetest.core.node.SimulatedNode n : nodes.all()) {
            if (!wanted.contains(n.name())) {
                removeNode(n.name());
            }
        }
        for (NodeConfig config : snapshot.nodes()) {
            if (nodes.node(config.name()).isEmpty()) {
                addNode(config);
            }
        }
        if (runtime != null && snapshot.volumes() != null) {
            runtime.restoreVolumes(snapshot.volumes());
        }
        if (clock instanceof dev.kubetest.core.clock.VirtualClock virtual) {
            // manual and auto time go back with the objects, so their timestamps and the clock agree again
            virtual.rewindTo(snapshot.time());
        }
        return store.restore(snapshot.objects(), (object, revision) -> {
            com.fasterxml.jackson.databind.node.ObjectNode copy = object.deepCopy();
            dev.kubetest.core.json.Json.with(copy, "metadata").put("resourceVersion", Long.toString(revision));
            return copy;
        });
    }

    /** A reference to an object (read afresh each time), for assertions that wait for it to change. */
    public <T extends io.fabric8.kubernetes.api.model.HasMetadata> ObjectRef<T> ref(Class<T> type, String namespace, String name) {
        return new ObjectRef<>(this, type, namespace, name);
    }

    public ObjectRef.PodRef pod(String namespace, String name) {
        return new ObjectRef.PodRef(this, namespace, name);
    }

    public ObjectRef.DeploymentRef deployment(String namespace, String name) {
        return new ObjectRef.DeploymentRef(this, namespace, name);
    }

    public ObjectRef.StatefulSetRef statefulSet(String namespace, String name) {
        return new ObjectRef.StatefulSetRef(this, namespace, name);
    }

    public ObjectRef.DaemonSetRef daemonSet(String namespace, String name) {
        return new ObjectRef.DaemonSetRef(this, namespace, name);
    }

    public ObjectRef.ReplicaSetRef replicaSet(String namespace, String name) {
        return new ObjectRef.ReplicaSetRef(this, namespace, name);
    }

    public ObjectRef.JobRef job(String namespace, String name) {
        return new ObjectRef.JobRef(this, namespace, name);
    }

    public ObjectRef.CronJobRef cronJob(String namespace, String name) {
        return new ObjectRef.CronJobRef(this, namespace, name);
    }

    public ObjectRef.ServiceRef service(String namespace, String name) {
        return new ObjectRef.ServiceRef(this, namespace, name);
    }

    public ObjectRef.ClaimRef claim(String namespace, String name) {
        return new ObjectRef.ClaimRef(this, namespace, name);
    }

    public ObjectRef.NodeRef node(String name) {
        return new ObjectRef.NodeRef(this, null, name);
    }

    /**
     * Creates (or replaces) every object of multi-document YAML or JSON text, Namespaces and CRDs first; objects
     * without a namespace go to {@code namespace} (null: {@code default}). Returns the objects as stored.
     */
    public List<com.fasterxml.jackson.databind.node.ObjectNode> apply(String manifests, String namespace) {
        try {
            return applyObjects(dev.kubetest.core.manifest.Manifests.parse(manifests), namespace);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("not a manifest: " + e.getMessage(), e);
        }
    }

    /**
     * Applies the Gateway API's standard-channel CRDs (v1.3.0, shipped on the classpath at
     * {@value dev.kubetest.core.gateway.GatewayApi#STANDARD_INSTALL}); GatewayClasses whose controllerName is
     * {@value dev.kubetest.core.gateway.GatewayApi#CONTROLLER} are then served by the built-in implementation.
     * Returns once the CRDs are established (their kinds can be created).
     */
    public List<com.fasterxml.jackson.databind.node.ObjectNode> installGatewayApi() {
        List<com.fasterxml.jackson.databind.node.ObjectNode> crds = apply(dev.kubetest.core.gateway.GatewayApi.standardInstall(), null);
        dev.kubetest.core.gateway.GatewayApi.awaitEstablished(registry, crds);
        return crds;
    }

    /** {@link #apply(String, String)} for a file, or a directory's .yaml, .yml and .json files in name order. */
    public List<com.fasterxml.jackson.databind.node.ObjectNode> apply(java.nio.file.Path manifests, String namespace)
            throws java.io.IOException {
        return applyObjects(dev.kubetest.core.manifest.Manifests.read(manifests), namespace);
    }

    private List<com.fasterxml.jackson.databind.node.ObjectNode> applyObjects(
            List<com.fasterxml.jackson.databind.node.ObjectNode> objects, String namespace) {
        return dev.kubetest.core.manifest.Manifests.apply(api, objects, "kubetest", namespace == null ? "default" : namespace);
    }

    @Override
    public void close() {
        // time stops first, so that no timer fires into a component that is closing
        clock.close();
        if (nodes != null) {
            nodes.close();
        }
        controllers.forEach(Controller::close);
        if (runtime != null) {
            runtime.close();
        }
        resourceEvents.close();
    }

    /** Settings of a cluster; every one has a default. */
    public static final class Builder {
        private Clock clock;
        private int watchWindow = 20_000;
        private int terminatedPodThreshold = PodGarbageCollector.DEFAULT_TERMINATED_THRESHOLD;
        private java.time.Duration waitTimeout;
        private final Set<String> disabled = new HashSet<>();
        private TimeMode timeMode = TimeMode.REAL;
        private final List<dev.kubetest.core.node.NodeConfig> nodes = new ArrayList<>();
        private boolean nodesChosen;
        private dev.kubetest.core.runtime.ContainerRuntime runtime;
        private String runtimeName;
        private String kubernetesVersion = DEFAULT_VERSION;

        /**
         * The Kubernetes version the cluster reports (default 1.32.4): the nodes' kubelet version, and what an
         * {@code ApiServer} for it answers at {@code /version} unless told otherwise.
         */
        public Builder kubernetesVersion(String version) {
            if (!version.matches("\\d+\\.\\d+\\.\\d+")) {
                throw new IllegalArgumentException("a Kubernetes version looks like 1.32.4, got \"" + version + "\"");
            }
            this.kubernetesVersion = version;
            return this;
        }

        /** How cluster time moves (default REAL); a clock given with {@link #clock} wins. */
        public Builder timeMode(TimeMode mode) {
            this.timeMode = mode;
            return this;
        }

        /** {@code n} default nodes named {@code kubetest-node-1..n} (4 CPUs, 16 GiB, 110 pods each). */
        public Builder nodes(int n) {
            nodes.clear();
            nodesChosen = true;
            for (int i = 1; i <= n; i++) {
                nodes.add(dev.kubetest.core.node.NodeConfig.named("kubetest-node-" + i));
            }
            return this;
        }

        /** Adds a node of the given shape. */
        public Builder node(dev.kubetest.core.node.NodeConfig node) {
            nodesChosen = true;
            nodes.add(node);
            return this;
        }

        /** The container runtime the kubelets drive (default: the simulated runtime, when on the classpath). */
        public Builder runtime(dev.kubetest.core.runtime.ContainerRuntime runtime) {
            this.runtime = runtime;
            this.runtimeName = null;
            return this;
        }

        /**
         * The container runtime by name: {@code "simulated"} (the default) or {@code "docker"} (real containers
         * through the engine DOCKER_HOST or the default socket names), created on the cluster's clock at build.
         */
        public Builder runtime(String name) {
            dev.kubetest.core.runtime.ContainerRuntimeProvider.named(name);
            this.runtimeName = name;
            this.runtime = null;
            return this;
        }

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

        /** How many terminated pods the pod garbage collector leaves before deleting the oldest (upstream: 12,500). */
        /** The default length of waits on this cluster (assertions' {@code eventually()}), in cluster time. */
        public Builder waitTimeout(java.time.Duration timeout) {
            this.waitTimeout = timeout;
            return this;
        }

        public Builder terminatedPodThreshold(int pods) {
            this.terminatedPodThreshold = pods;
            return this;
        }

        public KubeCluster build() {
            return new KubeCluster(this);
        }
    }
}
