package dev.kubetest.runtime.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.StreamType;
import com.github.dockerjava.api.model.WaitResponse;
import dev.kubetest.core.clock.Clock;
import dev.kubetest.core.runtime.ContainerProcess;
import dev.kubetest.core.runtime.ContainerSpec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * A container in the Docker engine: created in its pod's sandbox, its exit read from the engine (exit code,
 * OOMKilled), its output followed with the engine's timestamps, stopped with SIGTERM then SIGKILL after the grace
 * period on the cluster clock.
 */
final class DockerContainer implements ContainerProcess {
    private final DockerClient docker;
    private final Clock clock;
    private final String id;
    private final ContainerSpec spec;
    private final List<LogLine> logs = new ArrayList<>();
    private final AtomicBoolean started = new AtomicBoolean();
    private volatile boolean running;
    private volatile Clock.Timer killTimer;
    private volatile Closeable logFollower;

    interface Closeable extends java.io.Closeable {
        @Override
        void close();
    }

    DockerContainer(DockerClient docker, Clock clock, String id, ContainerSpec spec) {
        this.docker = docker;
        this.clock = clock;
        this.id = id;
        this.spec = spec;
    }

    ContainerSpec spec() {
        return spec;
    }

    /** The pod's IP: where probes and port-forwards reach the container. */
    String podIp() {
        return spec.podIp();
    }

    String engineId() {
        return id;
    }

    @Override
    public String id() {
        return "docker://" + id;
    }

    @Override
    public void start(Consumer<Exit> onExit) {
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("container " + spec.name() + " was already started");
        }
        try {
            docker.startContainerCmd(id).exec();
        } catch (RuntimeException e) {
            // the engine could not start it (a missing executable, say): it ends at once, as upstream's StartError
            synchronized (logs) {
                logs.add(new LogLine(clock.now(), "stderr", e.getMessage() == null ? e.toString() : e.getMessage().trim()));
            }
            onExit.accept(new Exit(128, "StartError", 0, clock.now()));
            return;
        }
        running = true;
        followLogs();
        docker.waitContainerCmd(id).exec(new ResultCallback.Adapter<WaitResponse>() {
            private final AtomicBoolean reported = new AtomicBoolean();

            @Override
            public void onComplete() {
                report();
            }

            @Override
            public void onError(Throwable t) {
                report();
            }

            private void report() {
                if (!reported.compareAndSet(false, true)) {
                    return;
                }
                running = false;
                Clock.Timer t = killTimer;
                if (t != null) {
                    t.cancel();
                }
                onExit.accept(exit());
            }
        });
    }

    private Exit exit() {
        try {
            InspectContainerResponse.ContainerState state = docker.inspectContainerCmd(id).exec().getState();
            int code = state.getExitCodeLong() == null ? 0 : state.getExitCodeLong().intValue();
            boolean oom = Boolean.TRUE.equals(state.getOOMKilled());
            String reason = oom ? "OOMKilled" : code == 0 ? "Completed" : "Error";
            return new Exit(code, reason, code > 128 && code < 160 ? code - 128 : 0, clock.now());
        } catch (RuntimeException e) {
            // removed under us (the cluster is closing): report it as killed
            return new Exit(137, "Error", 9, clock.now());
        }
    }

    private void followLogs() {
        ResultCallback.Adapter<Frame> follower = new ResultCallback.Adapter<>() {
            @Override
            public void onNext(Frame frame) {
                append(frame);
            }
        };
        docker.logContainerCmd(id).withStdOut(true).withStdErr(true).withFollowStream(true).withTimestamps(true)
                .exec(follower);
        logFollower = () -> {
            try {
                follower.close();
            } catch (IOException ignored) {
                // closing
            }
        };
    }

    private void append(Frame frame) {
        String text = new String(frame.getPayload(), StandardCharsets.UTF_8);
        String stream = frame.getStreamType() == StreamType.STDERR ? "stderr" : "stdout";
        synchronized (logs) {
            for (String line : text.split("\n")) {
                int space = line.indexOf(' ');
                Instant at = clock.now();
                if (space > 0) {
                    try {
                        at = Instant.parse(line.substring(0, space));
                        line = line.substring(space + 1);
                    } catch (java.time.format.DateTimeParseException e) {
                        // a continuation without a timestamp
                    }
                }
                logs.add(new LogLine(at, stream, line.endsWith("\r") ? line.substring(0, line.length() - 1) : line));
            }
        }
    }

    @Override
    public void stop(Duration grace) {
        if (!running) {
            return;
        }
        signal("SIGTERM");
        killTimer = clock.scheduleAfter(grace, this::kill);
    }

    @Override
    public void kill() {
        if (running) {
            signal("SIGKILL");
        }
    }

    private void signal(String signal) {
        try {
            docker.killContainerCmd(id).withSignal(signal).exec();
        } catch (RuntimeException e) {
            // it ended meanwhile
        }
    }

    @Override
    public boolean running() {
        return running;
    }

    @Override
    public Optional<byte[]> readFile(String path) {
        try (InputStream in = docker.copyArchiveFromContainerCmd(id, path).exec();
             TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
            TarArchiveEntry entry = tar.getNextEntry();
            if (entry == null || !entry.isFile()) {
                return Optional.empty();
            }
            return Optional.of(tar.readAllBytes());
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    @Override
    public void writeFile(String path, byte[] data) {
        int slash = path.lastIndexOf('/');
        String dir = slash <= 0 ? "/" : path.substring(0, slash);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
            TarArchiveEntry entry = new TarArchiveEntry(path.substring(slash + 1));
            entry.setSize(data.length);
            entry.setMode(0100644);
            tar.putArchiveEntry(entry);
            tar.write(data);
            tar.closeArchiveEntry();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        docker.copyArchiveToContainerCmd(id).withRemotePath(dir)
                .withTarInputStream(new ByteArrayInputStream(bytes.toByteArray())).exec();
    }

    @Override
    public List<LogLine> logs() {
        synchronized (logs) {
            return List.copyOf(logs);
        }
    }

    /** Stops following the output (the container is being removed). */
    void detach() {
        Closeable f = logFollower;
        if (f != null) {
            f.close();
        }
        Clock.Timer t = killTimer;
        if (t != null) {
            t.cancel();
        }
    }
}
