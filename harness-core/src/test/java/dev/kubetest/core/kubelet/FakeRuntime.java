package dev.kubetest.core.kubelet;

import dev.kubetest.core.clock.Clock;
import dev.kubetest.core.runtime.ContainerProcess;
import dev.kubetest.core.runtime.ContainerRuntime;
import dev.kubetest.core.runtime.ContainerSpec;
import dev.kubetest.core.runtime.VolumeDir;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * A container runtime for kubelet tests, without a filesystem or a shell: every image pulls, a container runs
 * until it is stopped or the test makes it exit, httpGet probes answer as the test sets, exec and streams are
 * refused, volumes are kept in memory.
 */
public final class FakeRuntime implements ContainerRuntime {
    private final Clock clock;
    private final Map<String, FakeProcess> latest = new ConcurrentHashMap<>();
    private final List<ContainerSpec> created = new java.util.concurrent.CopyOnWriteArrayList<>();

    public FakeRuntime(Clock clock) {
        this.clock = clock;
    }

    private final java.util.Set<String> healthy = ConcurrentHashMap.newKeySet();

    /** Whether {@code pod}'s container {@code container} answers 200 to an httpGet probe (otherwise 503). */
    public void setHealthy(String pod, String container, boolean on) {
        if (on) {
            healthy.add(pod + "/" + container);
        } else {
            healthy.remove(pod + "/" + container);
        }
    }

    /** Every container the kubelet created, in order. */
    public List<ContainerSpec> created() {
        return created;
    }

    /** Makes the current process of {@code pod}'s container {@code container} exit with {@code code}. */
    public void exit(String pod, String container, int code) {
        FakeProcess p = latest.get(pod + "/" + container);
        if (p == null) {
            throw new IllegalStateException("no process for " + pod + "/" + container);
        }
        p.exit(code, code == 0 ? "Completed" : "Error");
    }

    final class FakeProcess implements ContainerProcess {
        private final String id;
        private final String key;
        private volatile Consumer<Exit> onExit;
        private volatile boolean running;

        FakeProcess(String id, String key) {
            this.id = id;
            this.key = key;
        }

        @Override public String id() { return id; }

        @Override public void start(Consumer<Exit> listener) {
            onExit = listener;
            running = true;
        }

        @Override public void stop(Duration grace) {
            exit(137, "Error");
        }

        @Override public void kill() {
            exit(137, "Error");
        }

        @Override public boolean running() { return running; }

        @Override public List<LogLine> logs() { return List.of(); }

        synchronized void exit(int code, String reason) {
            if (!running) {
                return;
            }
            running = false;
            onExit.accept(new Exit(code, reason, 0, clock.now()));
        }
    }

    @Override public boolean canPull(String image) { return true; }

    @Override public ContainerProcess create(ContainerSpec spec) {
        created.add(spec);
        String key = spec.podName() + "/" + spec.name();
        FakeProcess p = new FakeProcess("fake://" + created.size(), key);
        latest.put(key, p);
        return p;
    }

    @Override public void exec(ContainerProcess c, List<String> command, Duration timeout, Consumer<ExecResult> done) {
        done.accept(new ExecResult(126, "", "the fake runtime runs no commands"));
    }

    @Override public ExecStream execStream(ContainerProcess c, List<String> command, boolean stdin, boolean tty,
                                           ExecListener listener) {
        throw new UnsupportedOperationException("the fake runtime has no streams");
    }

    @Override public ExecStream attach(ContainerProcess c, boolean stdin, boolean tty, ExecListener listener) {
        throw new UnsupportedOperationException("the fake runtime has no streams");
    }

    @Override public boolean listening(ContainerProcess c, int port) { return false; }

    @Override public HttpAnswer httpGet(ContainerProcess c, int port, String path) {
        return healthy.contains(((FakeProcess) c).key) ? new HttpAnswer(200, null, "ok") : new HttpAnswer(503, null, "");
    }

    @Override public PortStream connect(ContainerProcess c, int port, Consumer<byte[]> fromContainer) {
        throw new UnsupportedOperationException("the fake runtime has no ports");
    }

    @Override public VolumeDir volume(String podUid, String volumeName) {
        Map<String, byte[]> files = new ConcurrentHashMap<>();
        return new VolumeDir() {
            @Override public void write(String path, byte[] data, int mode) { files.put(path, data); }
            @Override public void clear() { files.clear(); }
            @Override public List<String> files() { return new ArrayList<>(files.keySet()); }
            @Override public Optional<byte[]> read(String path) { return Optional.ofNullable(files.get(path)); }
        };
    }

    @Override public String attach(String podUid, String volumeName, PersistentStorage storage) {
        return storage.key();
    }

    @Override public void removeVolumes(String podUid) {}

    @Override public void close() {}
}
