package dev.kubetest.runtime.simulated;

import dev.kubetest.runtime.volume.PathVolume;
import dev.kubetest.core.clock.Clock;
import dev.kubetest.core.runtime.ContainerProcess;
import dev.kubetest.core.runtime.ContainerRuntime;
import dev.kubetest.core.runtime.ContainerSpec;
import dev.kubetest.runtime.shell.ShellContext;
import dev.kubetest.runtime.shell.ShellText;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The default runtime: containers are simulated processes on Jimfs filesystems and the cluster clock. Every
 * image can be "pulled" except those a test marks missing ({@link #removeImage}) and references whose name says
 * they do not exist ({@code does-not-exist}, {@code nonexistent}, {@code notfound}).
 */
public final class SimulatedRuntime implements ContainerRuntime {
    private final Clock clock;
    private final Set<String> missing = ConcurrentHashMap.newKeySet();
    private final Map<String, java.nio.file.FileSystem> podVolumes = new ConcurrentHashMap<>();
    /** The containers made for each pod (by pod UID), for snapshots of their own files; forgotten with the pod. */
    private final Map<String, List<SimulatedContainer>> containers = new ConcurrentHashMap<>();
    /** hostPath trees per node and claim volumes: one filesystem that outlives every pod. */
    /** Made on first use: a cluster that never mounts a hostPath or claim loads no filesystem at boot. */
    private volatile java.nio.file.FileSystem persistent;
    private final Map<String, Map<String, Path>> attached = new ConcurrentHashMap<>();
    private final Map<String, Behavior> behaviors = new ConcurrentHashMap<>();
    private final SimulatedNetwork network = new SimulatedNetwork();
    /** Memory-backed emptyDirs: a Jimfs of the tmpfs's size per volume, by pod. */
    private final Map<String, Map<String, java.nio.file.FileSystem>> tmpfs = new ConcurrentHashMap<>();

    /** Gives every container of {@code image} a behaviour (an annotation on the pod still wins). */
    public void behavior(String image, Behavior behavior) {
        behaviors.put(image, behavior);
    }

    public SimulatedRuntime(Clock clock) {
        this.clock = clock;
    }

    private java.nio.file.FileSystem persistent() {
        java.nio.file.FileSystem fs = persistent;
        if (fs == null) {
            synchronized (this) {
                if (persistent == null) {
                    persistent = com.google.common.jimfs.Jimfs.newFileSystem(SimulatedContainer.FS_CONFIG);
                }
                fs = persistent;
            }
        }
        return fs;
    }

    /** Makes {@code image} unpullable (ErrImagePull, then ImagePullBackOff). */
    public void removeImage(String image) {
        missing.add(image);
    }

    @Override
    public boolean canPull(String image) {
        String lower = image.toLowerCase();
        return !missing.contains(image) && !lower.contains("does-not-exist") && !lower.contains("doesnotexist")
                && !lower.contains("nonexistent") && !lower.contains("notfound") && !lower.contains("not-found");
    }

    /**
     * Images run as root, as most public images do, except the conventional non-root ones: a {@code nonroot} tag
     * (distroless: 65532) and the {@code -unprivileged} builds (nginx's: 101).
     */
    @Override
    public String imageUser(String image) {
        return defaultUser(image);
    }

    static String defaultUser(String image) {
        String repository = dev.kubetest.core.runtime.ImageReferences.repository(image);
        String tag = image.contains("@") ? "" : image.substring(image.lastIndexOf('/') + 1).contains(":")
                ? image.substring(image.lastIndexOf(':') + 1) : "";
        if (tag.equals("nonroot") || tag.startsWith("nonroot-") || tag.endsWith("-nonroot")) {
            return "65532";
        }
        return repository.endsWith("-unprivileged") ? "101" : "";
    }

    @Override
    public String pullError(String image) {
        String full = dev.kubetest.core.runtime.ImageReferences.normalize(image);
        return "rpc error: code = NotFound desc = failed to pull and unpack image \"" + full
                + "\": failed to resolve reference \"" + full + "\": "
                + dev.kubetest.core.runtime.ImageReferences.repository(image) + ": not found";
    }

    @Override
    public ContainerProcess create(ContainerSpec spec) {
        Map<String, Path> mounts = new java.util.LinkedHashMap<>();
        for (ContainerSpec.Mount m : spec.mounts()) {
            Path attachedRoot = attached.getOrDefault(spec.podUid(), Map.of()).get(m.volume());
            Path root = attachedRoot != null ? attachedRoot : ((PathVolume) volume(spec.podUid(), m.volume())).root();
            mounts.put(m.mountPath(), m.subPath().isEmpty() ? root : root.resolve(m.subPath()));
        }
        java.util.Collection<java.nio.file.FileSystem> memory = tmpfs.getOrDefault(spec.podUid(), Map.of()).values();
        List<Path> memoryMounts = mounts.values().stream().filter(p -> memory.contains(p.getFileSystem())).toList();
        SimulatedContainer c = new SimulatedContainer(spec, clock, mounts,
                Behavior.of(spec.name(), spec.podAnnotations(), behaviors.get(spec.image())), network, memoryMounts);
        network.register(c);
        containers.computeIfAbsent(spec.podUid(), u -> new java.util.concurrent.CopyOnWriteArrayList<>()).add(c);
        return c;
    }

    @Override
    public String attach(String podUid, String volumeName, PersistentStorage storage) {
        Path path = persistent().getPath("/" + storage.key());
        String failure = PathVolume.prepare(path, storage, false);
        if (failure != null) {
            return failure;
        }
        attached.computeIfAbsent(podUid, u -> new ConcurrentHashMap<>()).put(volumeName, path);
        return null;
    }

    @Override
    public void deleteStorage(String key) {
        PathVolume.deleteTree(persistent().getPath("/" + key));
    }

    /** The storage behind a hostPath on a node, or a PersistentVolume, as a test sees it (directories only). */
    public dev.kubetest.core.runtime.VolumeDir persistentVolume(String key) {
        return new PathVolume(persistent().getPath("/" + key));
    }

    @Override
    public dev.kubetest.core.runtime.VolumeDir volume(String podUid, String volumeName) {
        Path attachedRoot = attached.getOrDefault(podUid, Map.of()).get(volumeName);
        if (attachedRoot != null && Files.isDirectory(attachedRoot)) {
            return new PathVolume(attachedRoot);
        }
        java.nio.file.FileSystem fs = podVolumes.computeIfAbsent(podUid,
                u -> com.google.common.jimfs.Jimfs.newFileSystem(SimulatedContainer.FS_CONFIG));
        return new PathVolume(fs.getPath("/volumes", volumeName));
    }

    @Override
    public NetworkReply exchange(ContainerProcess from, String host, int port, byte[] request) {
        dev.kubetest.runtime.shell.Network net = from == null ? network.outside() : network.from((SimulatedContainer) from);
        dev.kubetest.runtime.shell.Network.Reply r = net.exchange(ShellText.of(host.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                port, ShellText.of(request));
        return new NetworkReply(r.address(), r.resolved(), r.connected(), ShellText.bytes(r.data()), r.timedOut());
    }

    @Override
    public TlsReply exchangeTls(ContainerProcess from, String host, int port, String serverName, byte[] request) {
        return network.exchangeTls((SimulatedContainer) from, host, port, serverName, request);
    }

    @Override
    public void clusterNetwork(dev.kubetest.core.runtime.ClusterNetwork cluster) {
        network.cluster(cluster);
    }

    /** Volume files for a cluster snapshot: persistent storage, each pod's emptyDirs, each memory-backed emptyDir. */
    private record VolumeFiles(Map<String, byte[]> persistent, Map<String, Map<String, byte[]>> pods,
                               Map<String, Map<String, Map<String, byte[]>>> tmpfs, Map<String, Map<String, byte[]>> layers) {}

    @Override
    public synchronized Object snapshotVolumes() {
        Map<String, byte[]> kept = persistent == null ? Map.of() : FileTrees.copy(persistent.getPath("/"));
        Map<String, Map<String, byte[]>> pods = new java.util.HashMap<>();
        podVolumes.forEach((uid, fs) -> pods.put(uid, FileTrees.copy(fs.getPath("/"))));
        Map<String, Map<String, Map<String, byte[]>>> memory = new java.util.HashMap<>();
        tmpfs.forEach((uid, volumes) -> volumes.forEach((name, fs) ->
                memory.computeIfAbsent(uid, u -> new java.util.HashMap<>()).put(name, FileTrees.copy(fs.getPath("/")))));
        // each running container's own files (its writable layer), by container ID
        Map<String, Map<String, byte[]>> layers = new java.util.HashMap<>();
        containers.values().forEach(list -> list.stream().filter(SimulatedContainer::running)
                .forEach(c -> layers.put(c.id(), FileTrees.copy(c.filesystem().getPath("/")))));
        return new VolumeFiles(kept, pods, memory, layers);
    }

    /**
     * Puts the files back: persistent storage as it was; each pod's emptyDirs as they were, made again for a pod
     * deleted since (its UID comes back with it); memory-backed emptyDirs of pods still here; and the own files of
     * each container that has run since the snapshot.
     */
    @Override
    public synchronized void restoreVolumes(Object snapshot) {
        if (!(snapshot instanceof VolumeFiles files)) {
            return;
        }
        if (persistent != null || !files.persistent().isEmpty()) {
            FileTrees.restore(persistent().getPath("/"), files.persistent());
        }
        files.pods().forEach((uid, tree) -> FileTrees.restore(podVolumes.computeIfAbsent(uid,
                u -> com.google.common.jimfs.Jimfs.newFileSystem(SimulatedContainer.FS_CONFIG)).getPath("/"), tree));
        files.tmpfs().forEach((uid, volumes) -> volumes.forEach((name, tree) -> {
            java.nio.file.FileSystem fs = tmpfs.getOrDefault(uid, Map.of()).get(name);
            if (fs != null) {
                FileTrees.restore(fs.getPath("/"), tree);
            }
        }));
        // a container that ran through the test gets its own files back (one that restarted has a fresh layer anyway)
        containers.values().forEach(list -> list.stream().filter(SimulatedContainer::running).forEach(c -> {
            Map<String, byte[]> layer = files.layers().get(c.id());
            if (layer != null) {
                FileTrees.restore(c.filesystem().getPath("/"), layer);
            }
        }));
    }

    @Override
    public void tmpfs(String podUid, String volumeName, long sizeBytes) {
        tmpfs.computeIfAbsent(podUid, u -> new ConcurrentHashMap<>()).computeIfAbsent(volumeName, n -> {
            com.google.common.jimfs.Configuration.Builder config = SimulatedContainer.FS_CONFIG.toBuilder().setBlockSize(4096);
            if (sizeBytes > 0) {
                config.setMaxSize(Math.max(4096, sizeBytes));
            }
            java.nio.file.FileSystem fs = com.google.common.jimfs.Jimfs.newFileSystem(config.build());
            attached.computeIfAbsent(podUid, u -> new ConcurrentHashMap<>()).put(volumeName, fs.getPath("/"));
            return fs;
        });
    }

    @Override
    public void removeVolumes(String podUid) {
        network.forget(podUid);
        containers.remove(podUid);
        attached.remove(podUid);
        for (java.nio.file.FileSystem fs : tmpfs.getOrDefault(podUid, Map.of()).values()) {
            try {
                fs.close();
            } catch (java.io.IOException ignored) {
                // in memory
            }
        }
        tmpfs.remove(podUid);
        java.nio.file.FileSystem fs = podVolumes.remove(podUid);
        if (fs != null) {
            try {
                fs.close();
            } catch (java.io.IOException ignored) {
                // in memory
            }
        }
    }

    @Override
    public void exec(ContainerProcess container, List<String> command, Duration timeout, Consumer<ExecResult> done) {
        SimulatedContainer c = (SimulatedContainer) container;
        if (!c.running()) {
            done.accept(new ExecResult(126, "", "container not running\n"));
            return;
        }
        StringBuilder out = new StringBuilder();
        StringBuilder err = new StringBuilder();
        AtomicBoolean finished = new AtomicBoolean();
        ShellContext ctx = new ShellContext(c.filesystem(), c.environment(), s -> {
            synchronized (out) {
                out.append(s);
            }
        }, s -> {
            synchronized (out) {
                err.append(s);
            }
        }, "", clock, c.network());
        ctx.identity(c.identity().uid(), c.identity().gid());
        ctx.mounts(c.mounts());
        ctx.processes(c.processes());
        Clock.Timer[] timer = {null};
        java.util.function.BiConsumer<Integer, String> finish = (status, extra) -> {
            if (finished.compareAndSet(false, true)) {
                if (timer[0] != null) {
                    timer[0].cancel();
                }
                synchronized (out) {
                    done.accept(new ExecResult(status, ShellText.decode(out.toString()), ShellText.decode(err + extra)));
                }
            }
        };
        if (timeout != null) {
            timer[0] = clock.scheduleAfter(timeout, () -> {
                ctx.stop();
                finish.accept(-1, "command timed out\n");
            });
        }
        SimulatedExec.run(ctx, command, status -> finish.accept(status, ""));
    }

    @Override
    public ExecStream execStream(ContainerProcess container, List<String> command, boolean stdin, boolean tty,
                                 ExecListener listener) {
        return SimulatedExec.start((SimulatedContainer) container, clock, command, stdin, tty, listener);
    }

    @Override
    public ExecStream attach(ContainerProcess container, boolean stdin, boolean tty, ExecListener listener) {
        return ((SimulatedContainer) container).attach(stdin, listener);
    }

    @Override
    public boolean listening(ContainerProcess container, int port) {
        SimulatedContainer c = (SimulatedContainer) container;
        return c.running() && c.reachable() && c.listensOn(port);
    }

    @Override
    public HttpAnswer httpGet(ContainerProcess container, int port, String path) {
        if (!listening(container, port)) {
            return null;
        }
        SimulatedContainer c = (SimulatedContainer) container;
        SimulatedContainer.NcListener nc = c.takeListener(port);
        SimulatedHttp.Answer a = nc != null ? SimulatedHttp.raw(nc, "GET " + path + " HTTP/1.1\r\nHost: " + c.spec().podIp()
                + ":" + port + "\r\nUser-Agent: kube-probe/1.32\r\nAccept: */*\r\nConnection: close\r\n\r\n")
                : SimulatedHttp.answer(c, port, path);
        return new HttpAnswer(a.status(), a.location(), new String(a.body(), java.nio.charset.StandardCharsets.UTF_8));
    }

    @Override
    public PortStream connect(ContainerProcess container, int port, Consumer<byte[]> fromContainer) {
        if (!listening(container, port)) {
            return null;
        }
        return new SimulatedHttp.Connection((SimulatedContainer) container, port, fromContainer);
    }

    @Override
    public void close() {
        // nothing outlives the cluster: filesystems are in memory
        try {
            if (persistent != null) {
                persistent.close();
            }
        } catch (java.io.IOException ignored) {
            // in memory
        }
    }
}
