package dev.kubetest.runtime.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.PullImageResultCallback;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Volume;
import dev.kubetest.core.clock.Clock;
import dev.kubetest.core.meta.Quantities;
import dev.kubetest.core.runtime.ContainerProcess;
import dev.kubetest.core.runtime.ContainerRuntime;
import dev.kubetest.core.runtime.ContainerSpec;
import dev.kubetest.core.runtime.VolumeDir;
import dev.kubetest.runtime.volume.PathVolume;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Real containers: the kubelet's {@link ContainerRuntime} on a Docker engine through docker-java. Each pod is a
 * sandbox container holding the network namespace its containers join, on a network made for this runtime; volumes
 * are host directories bind-mounted into the containers; probes, port-forwards and the pod network reach pods at
 * their IPs from this JVM. Everything it creates carries the {@code dev.kubetest.runtime} label and is removed at
 * {@link #close()}; what a killed JVM left behind is reaped when the next runtime starts.
 */
public final class DockerRuntime implements ContainerRuntime {
    private final DockerClient docker;
    private final Clock clock;
    private final String clusterId;
    private final Map<String, String> labels;
    private final Path root;
    private final PodSandboxes sandboxes;
    private final DockerExec execs;
    private final PodConnections connections;
    private final AtomicInteger containerCount = new AtomicInteger();
    private final Map<String, List<DockerContainer>> containersByPod = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Path>> attached = new ConcurrentHashMap<>();
    private final Map<String, String> pullErrors = new ConcurrentHashMap<>();
    private final Thread shutdownHook;
    private volatile boolean closed;

    public DockerRuntime(Clock clock) {
        this(clock, DockerEngine.client());
    }

    public DockerRuntime(Clock clock, DockerClient docker) {
        this.docker = docker;
        this.clock = clock;
        this.clusterId = Long.toHexString(Double.doubleToLongBits(Math.random())).substring(0, 8);
        this.labels = Map.of(DockerEngine.RUNTIME_LABEL, "docker", DockerEngine.CLUSTER_LABEL, clusterId,
                DockerEngine.OWNER_LABEL, DockerEngine.owner());
        DockerEngine.reapLeftovers(docker);
        try {
            this.root = Files.createTempDirectory("kubetest-docker-" + clusterId + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.sandboxes = new PodSandboxes(docker, labels, "kubetest-" + clusterId, this::sandboxImage);
        this.execs = new DockerExec(docker, clock, DockerEngine.host());
        this.connections = new PodConnections();
        this.shutdownHook = new Thread(this::removeAll, "kubetest-docker-cleanup-" + clusterId);
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** The id in this runtime's labels and names ({@code dev.kubetest.cluster}). */
    public String clusterId() {
        return clusterId;
    }

    /** The engine client, for tests that look at the containers themselves. */
    public DockerClient client() {
        return docker;
    }

    // ---- images

    @Override
    public boolean canPull(String image) {
        if (present(image)) {
            // no registry is contacted for an image the engine has: offline, a local image stands for the registry's
            return true;
        }
        try {
            docker.pullImageCmd(image).exec(new PullImageResultCallback()).awaitCompletion(5, TimeUnit.MINUTES);
            pullErrors.remove(image);
            return present(image);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            pullErrors.put(image, "interrupted");
            return false;
        } catch (RuntimeException e) {
            pullErrors.put(image, DockerExec.message(e));
            return false;
        }
    }

    @Override
    public String pullError(String image) {
        return "failed to pull and unpack image \"" + image + "\": " + pullErrors.getOrDefault(image, "not found");
    }

    private boolean present(String image) {
        try {
            docker.inspectImageCmd(image).exec();
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private volatile PodSandboxes.SandboxImage.Choice sandboxChoice;

    /** The sandbox image, chosen once per runtime (each look-up is an engine round trip). */
    private PodSandboxes.SandboxImage.Choice sandboxImage(String podImage) {
        PodSandboxes.SandboxImage.Choice c = sandboxChoice;
        if (c == null) {
            c = chooseSandboxImage(podImage);
            sandboxChoice = c;
        }
        return c;
    }

    private PodSandboxes.SandboxImage.Choice chooseSandboxImage(String podImage) {
        String chosen = System.getProperty("kubetest.docker.sandboxImage");
        if (chosen != null) {
            return new PodSandboxes.SandboxImage.Choice(chosen, chosen.contains("pause") ? null : PodSandboxes.keepAlive());
        }
        for (String pause : List.of("registry.k8s.io/pause:3.10", "registry.k8s.io/pause:3.9")) {
            if (present(pause)) {
                return new PodSandboxes.SandboxImage.Choice(pause, null);
            }
        }
        for (String shell : List.of("busybox:latest", "busybox")) {
            if (present(shell)) {
                return new PodSandboxes.SandboxImage.Choice(shell, PodSandboxes.keepAlive());
            }
        }
        if (podImage != null && present(podImage)) {
            return new PodSandboxes.SandboxImage.Choice(podImage, PodSandboxes.keepAlive());
        }
        throw new IllegalStateException("the Docker engine has no image for pod sandboxes: load registry.k8s.io/pause:3.10 "
                + "or busybox:latest, or name one with -Dkubetest.docker.sandboxImage");
    }

    // ---- pods and containers

    /** The image's {@code USER} as the engine reports it ("" for root, or when the image cannot be inspected). */
    @Override
    public String imageUser(String image) {
        try {
            var config = docker.inspectImageCmd(image).exec().getConfig();
            return config == null || config.getUser() == null ? "" : config.getUser();
        } catch (RuntimeException e) {
            return "";
        }
    }

    @Override
    public String sandbox(PodSandbox pod) {
        String ip = sandboxes.create(pod, null);
        return ip == null ? pod.proposedIp() : ip;
    }

    @Override
    public ContainerProcess create(ContainerSpec spec) {
        String sandbox = sandboxes.of(spec.podUid());
        if (sandbox == null) {
            sandbox(new PodSandbox(spec.namespace(), spec.podName(), spec.podUid(), spec.hostname(), spec.podIp(), false));
            sandbox = sandboxes.of(spec.podUid());
        }
        int n = containerCount.incrementAndGet();
        JsonNode c = spec.container();
        Map<String, String> l = new java.util.HashMap<>(labels);
        l.put("io.kubernetes.pod.namespace", spec.namespace());
        l.put("io.kubernetes.pod.name", spec.podName());
        l.put("io.kubernetes.pod.uid", spec.podUid());
        l.put("io.kubernetes.container.name", spec.name());
        HostConfig host = HostConfig.newHostConfig()
                .withNetworkMode("container:" + sandbox)
                .withIpcMode("container:" + sandbox)
                .withBinds(binds(spec, n))
                .withInit(false)
                .withReadonlyRootfs(c.path("securityContext").path("readOnlyRootFilesystem").asBoolean(false));
        SecurityOptions.apply(host, c.path("securityContext"));
        JsonNode limits = c.path("resources").path("limits");
        if (limits.hasNonNull("memory")) {
            long bytes = Quantities.amount(limits.path("memory").asText()).longValue();
            host.withMemory(bytes).withMemorySwap(bytes);
        }
        if (limits.hasNonNull("cpu")) {
            host.withNanoCPUs(Quantities.amount(limits.path("cpu").asText()).movePointRight(9).longValue());
        }
        var cmd = docker.createContainerCmd(spec.image())
                .withName("k8s_" + spec.name() + "_" + spec.podName() + "_" + spec.namespace() + "_" + spec.podUid() + "_" + n)
                .withLabels(l)
                .withEnv(spec.env().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList())
                .withTty(c.path("tty").asBoolean(false))
                .withStdinOpen(c.path("stdin").asBoolean(false))
                .withStdInOnce(c.path("stdinOnce").asBoolean(false))
                .withAttachStdin(c.path("stdin").asBoolean(false))
                .withHostConfig(host);
        if (!spec.command().isEmpty()) {
            cmd = cmd.withEntrypoint(spec.command()).withCmd(spec.args());
        } else if (!spec.args().isEmpty()) {
            cmd = cmd.withCmd(spec.args());
        }
        if (c.hasNonNull("workingDir")) {
            cmd = cmd.withWorkingDir(c.path("workingDir").asText());
        }
        String user = user(c.path("securityContext"));
        if (user != null) {
            cmd = cmd.withUser(user);
        }
        String id = cmd.exec().getId();
        DockerContainer container = new DockerContainer(docker, clock, id, spec);
        containersByPod.computeIfAbsent(spec.podUid(), u -> new java.util.concurrent.CopyOnWriteArrayList<>()).add(container);
        return container;
    }

    /** runAsUser[:runAsGroup] as the engine takes it, or null for the image's user. */
    static String user(JsonNode securityContext) {
        if (!securityContext.hasNonNull("runAsUser")) {
            return securityContext.hasNonNull("runAsGroup") ? "0:" + securityContext.path("runAsGroup").asLong() : null;
        }
        String user = Long.toString(securityContext.path("runAsUser").asLong());
        return securityContext.hasNonNull("runAsGroup") ? user + ":" + securityContext.path("runAsGroup").asLong() : user;
    }

    private List<Bind> binds(ContainerSpec spec, int n) {
        List<Bind> binds = new ArrayList<>();
        Set<String> mounted = new java.util.HashSet<>();
        for (ContainerSpec.Mount m : spec.mounts()) {
            Path source = volumeRoot(spec.podUid(), m.volume());
            if (m.subPath() != null && !m.subPath().isEmpty()) {
                source = source.resolve(m.subPath());
                if (!Files.exists(source)) {
                    worldWritable(source);
                }
            }
            binds.add(new Bind(source.toString(), new Volume(m.mountPath()), m.readOnly() ? AccessMode.ro : AccessMode.rw));
            mounted.add(m.mountPath());
        }
        // the kubelet's /etc/hosts; resolv.conf stays the engine's (the cluster's DNS is not on the Docker network)
        String hosts = spec.files().get("/etc/hosts");
        if (hosts != null && !mounted.contains("/etc/hosts")) {
            Path file = podDir(spec.podUid()).resolve("containers").resolve(spec.name() + "-" + n).resolve("hosts");
            try {
                Files.createDirectories(file.getParent());
                Files.writeString(file, hosts);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            binds.add(new Bind(file.toString(), new Volume("/etc/hosts")));
        }
        return binds;
    }

    @Override
    public void exec(ContainerProcess container, List<String> command, Duration timeout, Consumer<ExecResult> done) {
        execs.run((DockerContainer) container, command, timeout, done);
    }

    @Override
    public ExecStream execStream(ContainerProcess container, List<String> command, boolean stdin, boolean tty,
                                 ExecListener listener) {
        return execs.stream((DockerContainer) container, command, stdin, tty, listener);
    }

    @Override
    public ExecStream attach(ContainerProcess container, boolean stdin, boolean tty, ExecListener listener) {
        return execs.attach((DockerContainer) container, stdin, tty, listener);
    }

    // ---- the pod's network, from this JVM

    @Override
    public boolean listening(ContainerProcess container, int port) {
        return connections.listening(((DockerContainer) container).podIp(), port);
    }

    @Override
    public HttpAnswer httpGet(ContainerProcess container, int port, String path) {
        return connections.httpGet(((DockerContainer) container).podIp(), port, path);
    }

    @Override
    public PortStream connect(ContainerProcess container, int port, Consumer<byte[]> fromContainer) {
        return connections.connect(((DockerContainer) container).podIp(), port, fromContainer);
    }

    // ---- volumes

    private Path podDir(String podUid) {
        return root.resolve("pods").resolve(podUid);
    }

    private Path volumeRoot(String podUid, String volumeName) {
        Path a = attached.getOrDefault(podUid, Map.of()).get(volumeName);
        if (a != null) {
            return a;
        }
        return worldWritable(podDir(podUid).resolve("volumes").resolve(volumeName));
    }

    @Override
    public VolumeDir volume(String podUid, String volumeName) {
        return new PathVolume(volumeRoot(podUid, volumeName), true);
    }

    /** The storage behind a hostPath on a node ({@code node/<node>/<path>}) or a PersistentVolume ({@code volume/<name>}). */
    public VolumeDir persistentVolume(String key) {
        return new PathVolume(root.resolve("storage").resolve(key), true);
    }

    @Override
    public String attach(String podUid, String volumeName, PersistentStorage storage) {
        Path path = root.resolve("storage").resolve(storage.key());
        String failure = PathVolume.prepare(path, storage, true);
        if (failure != null) {
            return failure;
        }
        attached.computeIfAbsent(podUid, u -> new ConcurrentHashMap<>()).put(volumeName, path);
        return null;
    }

    @Override
    public void deleteStorage(String key) {
        PathVolume.deleteTree(root.resolve("storage").resolve(key));
    }

    @Override
    public void removeVolumes(String podUid) {
        List<DockerContainer> containers = containersByPod.remove(podUid);
        if (containers != null) {
            for (DockerContainer c : containers) {
                c.detach();
                DockerEngine.removeQuietly(docker, c.engineId());
            }
        }
        sandboxes.remove(podUid);
        attached.remove(podUid);
        PathVolume.deleteTree(podDir(podUid));
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook runs
        }
        removeAll();
        try {
            docker.close();
        } catch (IOException ignored) {
            // closing
        }
    }

    /** Removes every container and the network of this runtime, and its directories. */
    private void removeAll() {
        connections.close();
        execs.close();
        for (List<DockerContainer> cs : containersByPod.values()) {
            cs.forEach(DockerContainer::detach);
        }
        try {
            for (Container c : docker.listContainersCmd().withShowAll(true)
                    .withLabelFilter(Map.of(DockerEngine.CLUSTER_LABEL, clusterId)).exec()) {
                DockerEngine.removeQuietly(docker, c.getId());
            }
            sandboxes.removeNetwork();
        } catch (RuntimeException e) {
            // the engine went away: the next runtime's start reaps what is left
        }
        PathVolume.deleteTree(root);
    }

    /** A folder every container user may write (the kubelet makes an emptyDir 0777). */
    private static Path worldWritable(Path dir) {
        try {
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, java.util.EnumSet.allOf(java.nio.file.attribute.PosixFilePermission.class));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
