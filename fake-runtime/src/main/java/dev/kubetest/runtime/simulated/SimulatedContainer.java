package dev.kubetest.runtime.simulated;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import dev.kubetest.core.clock.Clock;
import dev.kubetest.core.runtime.ContainerProcess;
import dev.kubetest.core.runtime.ContainerRuntime;
import dev.kubetest.core.runtime.ContainerSpec;
import dev.kubetest.runtime.shell.ShellContext;
import dev.kubetest.runtime.shell.ShellInterpreter;
import dev.kubetest.runtime.shell.ShellParser;
import dev.kubetest.runtime.shell.InteractiveShell;
import dev.kubetest.runtime.shell.LineDiscipline;
import dev.kubetest.runtime.shell.ShellSyntax;
import dev.kubetest.runtime.shell.ShellText;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * One simulated container: its own Jimfs filesystem with the image's files, a program chosen by image profile
 * (a shell script, a server, or a long-running generic process), logs, and signals on the cluster clock.
 */
public final class SimulatedContainer implements ContainerProcess {
    /**
     * Unix filesystems with POSIX permissions (volumes carry modes). Blocks of 1 KiB rather than Jimfs's 8 KiB, and
     * no cache of freed blocks: a container's files are mostly small (hosts, resolv.conf, tokens, configs), and at
     * 8 KiB each of them cost a running pod ~150 KB of heap.
     */
    static final Configuration FS_CONFIG = Configuration.unix().toBuilder()
            .setAttributeViews("basic", "owner", "posix", "unix").setWorkingDirectory("/")
            .setBlockSize(1024).setMaxCacheSize(0).build();
    private final ContainerSpec spec;
    private final Clock clock;
    private final ImageProfile profile;
    private final FileSystem fs;
    private final String id = dev.kubetest.core.api.Uids.containerId();
    private final ContainerOutput output;
    /** The main process's terminal or pipe for attached clients' input ({@code stdin: true}), or null. */
    private LineDiscipline input;
    private final Set<Integer> ports = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** One-shot listeners of {@code nc -l}, by port: each answers one connection. */
    private final Map<Integer, java.util.Deque<NcListener>> ncListeners = new java.util.concurrent.ConcurrentHashMap<>();

    /** A waiting {@code nc -l}: its reply, and where what the peer sends goes. */
    record NcListener(String reply, Consumer<String> received) {}

    /** Directories a shell serves over HTTP (busybox httpd), by port. */
    private final Map<Integer, Path> served = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile boolean running;
    private Consumer<Exit> onExit;
    private ShellContext shell;
    /** The container's processes as ps and kill see them: the main one is PID 1. */
    private final dev.kubetest.runtime.shell.ProcessTable processes = new dev.kubetest.runtime.shell.ProcessTable();
    private Clock.Timer killTimer;

    private final Map<String, Path> mounts;

    private final Behavior behavior;
    private volatile java.time.Instant startedAt;
    private volatile boolean healthy = true;
    private final List<Clock.Timer> behaviorTimers = new ArrayList<>();

    private final dev.kubetest.runtime.shell.Network network;

    /** Mounted memory-backed emptyDirs: what they store counts toward this container's memory. */
    private final List<Path> memoryMounts;

    SimulatedContainer(ContainerSpec spec, Clock clock, Map<String, Path> mounts, Behavior behavior, SimulatedNetwork network,
                       List<Path> memoryMounts) {
        this.behavior = behavior;
        this.memoryMounts = List.copyOf(memoryMounts);
        this.network = network.from(this);
        this.mounts = Map.copyOf(mounts);
        this.spec = spec;
        this.clock = clock;
        this.profile = ImageProfile.of(spec.image());
        this.fs = Jimfs.newFileSystem(FS_CONFIG);
        this.output = new ContainerOutput(clock, spec.container().path("tty").asBoolean(false));
        seed();
        ports.addAll(profile.ports());
        if (EchoServers.isEcho(profile.repository())) {
            ports.add(EchoServers.port(profile.repository(), spec));
        }
        spec.container().path("ports").forEach(p -> ports.add(p.path("containerPort").asInt()));
    }

    private void seed() {
        try {
            for (String d : List.of("/tmp", "/etc", "/var/log", "/root", "/home", "/usr/share/nginx/html", "/data", "/bin")) {
                Files.createDirectories(fs.getPath(d));
            }
            Files.writeString(fs.getPath("/etc/hostname"), spec.hostname() + "\n");
            Files.writeString(fs.getPath("/etc/hosts"), "127.0.0.1\tlocalhost\n" + spec.podIp() + "\t" + spec.hostname() + "\n");
            // the kubelet's own files (/etc/hosts, /etc/resolv.conf) over the image's
            for (Map.Entry<String, String> f : spec.files().entrySet()) {
                Files.createDirectories(fs.getPath(f.getKey()).getParent());
                Files.writeString(fs.getPath(f.getKey()), f.getValue());
            }
            if (profile.repository().endsWith("nginx")) {
                Files.writeString(fs.getPath("/usr/share/nginx/html/index.html"), "<!DOCTYPE html>\n<html>\n<head>\n"
                        + "<title>Welcome to nginx!</title>\n</head>\n<body>\n<h1>Welcome to nginx!</h1>\n</body>\n</html>\n");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String id() {
        return "containerd://" + id.substring(0, 64);
    }

    /** Starts serving {@code root} over HTTP on {@code port} (busybox httpd in the container's shell). */
    void serve(int port, Path root) {
        served.put(port, root);
        ports.add(port);
    }

    void listenOnce(int port, String reply, Consumer<String> received) {
        ncListeners.computeIfAbsent(port, p -> new java.util.concurrent.ConcurrentLinkedDeque<>()).add(new NcListener(reply, received));
    }

    /** Takes the {@code nc -l} waiting on {@code port}, if any. */
    NcListener takeListener(int port) {
        java.util.Deque<NcListener> waiting = ncListeners.get(port);
        return waiting == null ? null : waiting.poll();
    }

    /** Whether something in the container accepts connections on {@code port}. */
    boolean listensOn(int port) {
        java.util.Deque<NcListener> waiting = ncListeners.get(port);
        return ports.contains(port) || waiting != null && !waiting.isEmpty();
    }

    /** The directory served on {@code port} by a shell's httpd, or null. */
    Path served(int port) {
        return served.get(port);
    }

    Behavior behavior() {
        return behavior;
    }

    /** The pod network as this container sees it. */
    dev.kubetest.runtime.shell.Network network() {
        return network;
    }

    public FileSystem filesystem() {
        return fs;
    }

    dev.kubetest.runtime.shell.ProcessTable processes() {
        return processes;
    }

    public ImageProfile profile() {
        return profile;
    }

    public Set<Integer> ports() {
        return ports;
    }

    Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        env.put("HOSTNAME", spec.hostname());
        env.put("HOME", "/root");
        env.putAll(spec.env());
        return env;
    }

    /** Whether the container answers on its ports: false before ready-after, after unhealthy-after, or when told. */
    public boolean reachable() {
        if (!healthy) {
            return false;
        }
        java.time.Instant now = clock.now();
        if (behavior.readyAfter() != null && now.isBefore(startedAt.plus(behavior.readyAfter()))) {
            return false;
        }
        return behavior.unhealthyAfter() == null || now.isBefore(startedAt.plus(behavior.unhealthyAfter()));
    }

    /** Makes the container stop (or start again) answering its probes and connections. */
    public void setHealthy(boolean healthy) {
        this.healthy = healthy;
    }

    @Override
    public synchronized void start(Consumer<Exit> onExit) {
        this.onExit = onExit;
        this.running = true;
        this.startedAt = clock.now();
        if (behavior.crashOnStart()) {
            output.print("stderr", "simulated crash on start\n");
            clock.scheduleAfter(java.time.Duration.ZERO, () -> exit(behavior.exitCode(), 0));
            return;
        }
        if (behavior.exitAfter() != null) {
            behaviorTimers.add(clock.scheduleAfter(behavior.exitAfter(), () -> exit(behavior.exitCode(), 0)));
        }
        if (behavior.oomAfter() != null) {
            behaviorTimers.add(clock.scheduleAfter(behavior.oomAfter(), this::oomKill));
        }
        if (behavior.memory() != null && MemoryLimit.exceeded(behavior.memory(), spec.container())) {
            behaviorTimers.add(clock.scheduleAfter(java.time.Duration.ZERO, this::oomKill));
        }
        if (behavior.writePath() != null) {
            writeFile(behavior.writePath(), behavior.writeContent().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        if (behavior.log() != null) {
            logLine();
        }
        List<String> argv = new ArrayList<>(spec.command());
        argv.addAll(spec.args());
        // PID 1 ignores signals it has no handler for, as init does in a container's PID namespace
        processes.main(argv.isEmpty() ? profile.repository() : String.join(" ", argv), signal -> {
            ShellContext main = shell;
            if (main != null && main.trapsTerm() && !signal.equals("KILL")) {
                main.deliverTerm();
            }
        });
        switch (profile.kind()) {
            case SERVER -> serverStartupLogs();
            case GENERIC -> {
                if (!argv.isEmpty() && isShell(argv.get(0))) {
                    runShell(argv);
                } else if (StressProgram.isStress(argv)) {
                    runStress(StressProgram.parse(argv));
                }
            }
            default -> runShell(argv.isEmpty() ? profile.defaultCommand() : argv);
        }
    }

    /** Prints the behaviour's line, and again every {@code log-every} until the process ends. */
    private void logLine() {
        synchronized (this) {
            if (!running) {
                return;
            }
        }
        output.print("stdout", behavior.log() + "\n");
        if (behavior.logEvery() != null) {
            clock.scheduleAfter(behavior.logEvery(), this::logLine);
        }
    }

    /** stress holds its workers' memory: over the memory limit the container is OOMKilled at once. */
    private void runStress(StressProgram stress) {
        output.print("stdout", stress.dispatchLine() + "\n");
        if (stress.vm() > 0 && MemoryLimit.exceeded(Long.toString(stress.memoryBytes()), spec.container())) {
            behaviorTimers.add(clock.scheduleAfter(Duration.ZERO, this::oomKill));
        } else if (stress.timeout() != null) {
            behaviorTimers.add(clock.scheduleAfter(stress.timeout(), () -> {
                output.print("stdout", "stress: info: [1] successful run completed in " + stress.timeout().toSeconds() + "s\n");
                exit(0, 0);
            }));
        }
    }

    private static boolean isShell(String cmd) {
        String c = cmd.substring(cmd.lastIndexOf('/') + 1);
        return c.equals("sh") || c.equals("bash") || c.equals("ash");
    }

    private void serverStartupLogs() {
        String repo = profile.repository();
        if (repo.endsWith("nginx")) {
            output.print("stdout", "/docker-entrypoint.sh: Configuration complete; ready for start up\n");
            output.print("stderr", "nginx: [notice] start worker processes\n");
        } else if (repo.endsWith("coredns")) {
            String tag = spec.image().contains(":") ? spec.image().substring(spec.image().lastIndexOf(':') + 2) : "1.11.3";
            output.print("stdout", ".:53\n[INFO] plugin/reload: Running configuration SHA512 = "
                    + "1b226df79860026c6a52e67daa10d7f0d57ec5b023288ec00c5e05f93523c894564e15b91770d3a07ae1cfbe861d15b37d4a0027e69c546ab112970993a3b03b\n"
                    + "CoreDNS-" + tag + "\nlinux/amd64, go1.22.2, a6338e9\n");
        } else if (repo.endsWith("kube-proxy")) {
            output.print("stderr", "I1205 00:00:00.000000       1 server_linux.go:66] \"Using iptables proxy\"\n"
                    + "I1205 00:00:00.000000       1 shared_informer.go:320] Caches are synced for service config\n");
        } else if (EchoServers.isEcho(repo)) {
            output.print("stdout", EchoServers.startupLog(repo, spec));
        } else if (repo.endsWith("redis")) {
            output.print("stdout", "1:M * Ready to accept connections tcp\n");
        } else if (repo.endsWith("postgres")) {
            output.print("stdout", "LOG:  database system is ready to accept connections\n");
        } else if (repo.endsWith("mysql") || repo.endsWith("mariadb")) {
            output.print("stdout", "[Server] /usr/sbin/mysqld: ready for connections.\n");
        }
    }

    private void runShell(List<String> argv) {
        StringBuilder script = new StringBuilder();
        for (String a : argv) {
            script.append('\'').append(ShellText.encode(a).replace("'", "'\\''")).append("' ");
        }
        shell = new ShellContext(fs, environment(), s -> output.write("stdout", s), s -> output.write("stderr", s),
                "", clock, network);
        shell.processes(processes);
        shell.identity(identity().uid(), identity().gid());
        shell.onExit(this::exited);
        shell.mounts(mounts);
        shell.afterCommand(this::checkMemory);
        shell.onAllocation(this::checkAllocation);
        shell.serve(this::serve);
        shell.listen(this::listenOnce);
        if (spec.container().path("tty").asBoolean(false)) {
            shell.terminal(80, 24);
        }
        if (spec.container().path("stdin").asBoolean(false) && SimulatedExec.isInteractiveShell(argv)) {
            InteractiveShell interactive = new InteractiveShell(shell, spec.container().path("tty").asBoolean(false), this::exited);
            input = new LineDiscipline(spec.container().path("tty").asBoolean(false), output::echo, interactive::line,
                    interactive::endOfInput, interactive::interrupt);
            interactive.start();
            return;
        }
        if (spec.container().path("stdin").asBoolean(false)) {
            // a script's own input: what attached clients send, read by read, cat and the rest as it arrives
            dev.kubetest.runtime.shell.StreamingInput streamed = new dev.kubetest.runtime.shell.StreamingInput();
            shell.stdin(streamed);
            boolean tty = spec.container().path("tty").asBoolean(false);
            input = new LineDiscipline(tty, output::echo, streamed::append, streamed::close, () -> {
                shell.stop();
                exited(130);
            });
        }
        ShellSyntax.Node node;
        try {
            node = ShellParser.parse(script.toString());
        } catch (ShellSyntax.SyntaxError e) {
            output.write("stderr", "sh: " + e.getMessage() + "\n");
            exited(2);
            return;
        }
        ShellInterpreter.run(node, shell, this::exited);
    }

    private void exited(int code) {
        exit(code, 0);
    }

    /**
     * The memory cgroup's check after a command: files on the container's tmpfs mounts (and a behaviour's declared
     * memory) over its memory limit bring the OOM killer.
     */
    void checkMemory() {
        if (memoryMounts.isEmpty() || !running) {
            return;
        }
        long used = 0;
        for (Path root : memoryMounts) {
            used += new dev.kubetest.runtime.volume.PathVolume(root).usedBytes();
        }
        if (behavior.memory() != null) {
            used += dev.kubetest.core.meta.Quantities.amount(behavior.memory()).longValue();
        }
        if (MemoryLimit.exceeded(Long.toString(used), spec.container())) {
            clock.scheduleAfter(Duration.ZERO, this::oomKill);
        }
    }

    /** A command allocating {@code bytes} at once (dd's block): over the memory limit with the tmpfs files, OOMKilled. */
    boolean checkAllocation(long bytes) {
        if (!running) {
            return true;
        }
        long used = bytes;
        for (Path root : memoryMounts) {
            used += new dev.kubetest.runtime.volume.PathVolume(root).usedBytes();
        }
        if (MemoryLimit.exceeded(Long.toString(used), spec.container())) {
            // at once, before the command's own exit is reported
            oomKill();
            return false;
        }
        return true;
    }

    /** Killed by the kernel for memory: exit 137, reason OOMKilled. */
    public void oomKill() {
        exit(137, 0, "OOMKilled");
    }

    private void exit(int code, int signal) {
        exit(code, signal, code == 0 ? "Completed" : "Error");
    }

    private void exit(int code, int signal, String reason) {
        Consumer<Exit> listener;
        synchronized (this) {
            if (!running) {
                return;
            }
            running = false;
            if (shell != null) {
                shell.stop();
            }
            if (killTimer != null) {
                killTimer.cancel();
            }
            behaviorTimers.forEach(Clock.Timer::cancel);
            listener = onExit;
        }
        output.end(code);
        if (listener != null) {
            listener.accept(new Exit(code, reason, signal, clock.now()));
        }
    }

    /** Ends the process as the kernel would: an exit code of its own, or 128 + signal. */
    public void exitWith(int code) {
        exit(code, 0);
    }

    @Override
    public void stop(Duration grace) {
        synchronized (this) {
            if (!running) {
                return;
            }
            killTimer = clock.scheduleAfter(grace, this::kill);
        }
        if (profile.kind() == ImageProfile.Kind.SERVER) {
            exit(0, 0);
        } else if (shell != null) {
            // a shell or applet is PID 1: SIGTERM reaches it only through a trap; without one the kernel drops it,
            // as for a namespace's init, and the process ends with SIGKILL when the grace period is over
            if (shell.trapsTerm()) {
                shell.deliverTerm();
            }
        } else {
            exit(143, 0);
        }
    }

    @Override
    public void kill() {
        exit(137, 0);
    }

    @Override
    public boolean running() {
        return running;
    }

    @Override
    public List<LogLine> logs() {
        return output.logs();
    }

    /**
     * A client attaches: it sees the output from now on and, with {@code stdin} and the container's
     * {@code stdin: true}, types into the main process. The client's end of input ends the process's input when the
     * container has {@code stdinOnce} and no TTY, and the attach then lasts until the container ends; otherwise it
     * detaches the client at once and the process keeps its input open (as the CRI runtimes and Docker do).
     */
    ContainerRuntime.ExecStream attach(boolean stdin, ContainerRuntime.ExecListener client) {
        ContainerRuntime.ExecListener listener = endingOnce(client);
        output.attach(listener);
        if (!running) {
            output.detach(listener);
            listener.exited(0);
        }
        boolean once = spec.container().path("stdinOnce").asBoolean(false);
        boolean tty = spec.container().path("tty").asBoolean(false);
        return new ContainerRuntime.ExecStream() {
            @Override
            public void write(byte[] data) {
                LineDiscipline in = input;
                if (stdin && in != null) {
                    synchronized (in) {
                        in.input(ShellText.of(data));
                    }
                }
            }

            @Override
            public void closeInput() {
                LineDiscipline in = input;
                if (!stdin || in == null) {
                    return;
                }
                if (once && !tty) {
                    synchronized (in) {
                        in.close();
                    }
                } else {
                    output.detach(listener);
                    listener.exited(0);
                }
            }

            @Override
            public void resize(int width, int height) {
                ShellContext sh = shell;
                if (tty && sh != null) {
                    sh.terminal(width, height);
                }
            }

            @Override
            public void cancel() {
                output.detach(listener);
            }
        };
    }

    /** A listener told of the end once, whether the container ended or the client was detached first. */
    private static ContainerRuntime.ExecListener endingOnce(ContainerRuntime.ExecListener client) {
        java.util.concurrent.atomic.AtomicBoolean ended = new java.util.concurrent.atomic.AtomicBoolean();
        return new ContainerRuntime.ExecListener() {
            @Override
            public void stdout(byte[] data) {
                client.stdout(data);
            }

            @Override
            public void stderr(byte[] data) {
                client.stderr(data);
            }

            @Override
            public void exited(int exitCode) {
                if (ended.compareAndSet(false, true)) {
                    client.exited(exitCode);
                }
            }
        };
    }

    /** The user and group the container's processes run as. */
    ContainerIdentity identity() {
        return ContainerIdentity.of(spec.container().path("securityContext"), SimulatedRuntime.defaultUser(spec.image()));
    }

    ContainerSpec spec() {
        return spec;
    }

    Map<String, Path> mounts() {
        return mounts;
    }

    /** A path as the container sees it: under a mount it is in the pod's volume. */
    Path path(String p) {
        return ShellContext.mapped(fs.getPath(p), mounts);
    }

    @Override
    public java.util.Optional<byte[]> readFile(String path) {
        try {
            Path p = path(path);
            return Files.isRegularFile(p) ? java.util.Optional.of(Files.readAllBytes(p)) : java.util.Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void writeFile(String path, byte[] data) {
        try {
            Path p = path(path);
            if (p.getParent() != null) {
                Files.createDirectories(p.getParent());
            }
            Files.write(p, data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
