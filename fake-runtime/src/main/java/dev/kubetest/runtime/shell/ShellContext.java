package dev.kubetest.runtime.shell;

import dev.kubetest.core.clock.Clock;
import java.nio.file.FileSystem;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The state of one shell process: its filesystem and working directory, variables, output sinks, standard
 * input, the cluster clock it sleeps on, and the timer it is waiting for (so that a signal can cut a sleep).
 */
public final class ShellContext {
    final FileSystem fs;
    Path cwd;
    final Map<String, String> vars;
    Consumer<String> stdout;
    Consumer<String> stderr;
    String stdin;
    /** The exec client's input while it is still open (null when {@link #stdin} is all there is). */
    StreamingInput input;
    final Clock clock;
    Clock.Timer waiting;
    boolean exited;
    boolean synchronous;
    java.util.function.IntConsumer onExit;
    int lastStatus;
    String termTrap;
    final Network network;
    /** The container's processes, shared by every shell in it. */
    private ProcessTable processes = new ProcessTable();
    /** This shell's PID ({@code $$}) and the PIDs of its background jobs in order ({@code %1}, {@code %2}...). */
    int pid = 1;
    /** The user and group the process runs as (securityContext runAsUser/runAsGroup, else the image's). */
    int uid;
    int gid;
    final java.util.List<Integer> jobs = new java.util.ArrayList<>();

    /**
     * A process with the environment {@code env} (text); {@code stdout}, {@code stderr} and {@code stdin} are byte
     * strings ({@link ShellText}).
     */
    public ShellContext(FileSystem fs, Map<String, String> env, Consumer<String> stdout, Consumer<String> stderr,
                        String stdin, Clock clock, Network network) {
        this.fs = fs;
        this.cwd = fs.getPath("/");
        this.vars = new LinkedHashMap<>();
        env.forEach((k, v) -> vars.put(ShellText.encode(k), ShellText.encode(v)));
        this.stdout = stdout;
        this.stderr = stderr;
        this.stdin = stdin == null ? "" : stdin;
        this.clock = clock;
        this.network = network;
    }

    /** The terminal's size as {rows, columns} when the process runs on one, else null. */
    volatile int[] terminal;

    /** The process runs on a terminal of this size (and is told again when it changes). */
    public void terminal(int columns, int rows) {
        this.terminal = new int[] {rows, columns};
    }

    /** Serves a directory over HTTP on a port of the container (busybox httpd); null where nothing can listen. */
    java.util.function.BiConsumer<Integer, Path> serve;

    public void serve(java.util.function.BiConsumer<Integer, Path> serve) {
        this.serve = serve;
    }

    /** Where {@code nc -l} waits for one connection, as a container's port; null where nothing can listen. */
    public interface Listen {
        /** Answers the next connection to {@code port} with {@code reply}, then calls {@code received} with what came in. */
        void once(int port, String reply, java.util.function.Consumer<String> received);
    }

    Listen listen;

    public void listen(Listen listen) {
        this.listen = listen;
    }

    /** Runs after every command (the container checks its memory: files on a tmpfs count). */
    Runnable afterCommand = () -> { };
    /** Set when a write to a file failed during the current command (its status becomes 1). */
    boolean writeFailed;

    public void afterCommand(Runnable check) {
        this.afterCommand = check;
    }

    /**
     * Asked before a command holds {@code bytes} in memory at once (dd's block): false when the container's memory
     * limit does not allow it (the OOM killer is then on its way, and the command stops).
     */
    java.util.function.LongPredicate allocation = bytes -> true;

    public void onAllocation(java.util.function.LongPredicate check) {
        this.allocation = check;
    }

    /** Sets the process's standard input (a byte string) before it runs. */
    /** Standard input that arrives while the process runs (an exec whose client keeps stdin open). */
    public void stdin(StreamingInput input) {
        this.input = input;
        this.stdin = "";
    }

    public void stdin(String bytes) {
        this.stdin = bytes;
    }

    public Consumer<String> stderr() {
        return stderr;
    }

    /** Sets what happens when the script calls {@code exit}. */
    public void onExit(java.util.function.IntConsumer handler) {
        this.onExit = handler;
    }

    /** Stops the process: no more commands run and the pending sleep is cancelled. */
    public void stop() {
        exited = true;
        if (waiting != null) {
            waiting.cancel();
        }
    }

    public boolean trapsTerm() {
        return termTrap != null;
    }

    /** SIGTERM with a trap: the pending sleep ends and the trap's commands run. */
    public void deliverTerm() {
        if (waiting != null) {
            waiting.cancel();
        }
        String trap = termTrap;
        termTrap = null;
        if (!trap.isEmpty()) {
            ShellInterpreter.run(ShellParser.parse(trap), this, status -> { });
        }
    }

    /** Joins the process table of the container this shell runs in. */
    public void processes(ProcessTable table) {
        this.processes = table;
    }

    public ProcessTable processes() {
        return processes;
    }

    /** The user and group the process runs as, as {@code id} reports them. */
    public void identity(int uid, int gid) {
        this.uid = uid;
        this.gid = gid;
    }

    /** This shell's PID, as {@code $$} says. */
    public void pid(int pid) {
        this.pid = pid;
    }

    ShellContext subshell(Consumer<String> out, String in) {
        ShellContext c = new ShellContext(fs, Map.of(), out, stderr, in, clock, network);
        c.processes = processes;
        c.pid = pid;
        c.uid = uid;
        c.gid = gid;
        c.vars.putAll(vars);
        c.terminal = terminal;
        c.afterCommand = afterCommand;
        c.allocation = allocation;
        c.serve = serve;
        c.listen = listen;
        c.cwd = cwd;
        c.mounts = mounts;
        return c;
    }

    private Map<String, Path> mounts = Map.of();

    /** Volume mounts: container paths under a mount path resolve into the pod's volume. */
    public void mounts(Map<String, Path> mounts) {
        this.mounts = mounts;
    }

    /** The file a (byte string) path names; file names are text, decoded from UTF-8. */
    Path resolve(String p) {
        return mapped(cwd.resolve(ShellText.decode(p)).normalize(), mounts);
    }

    /** {@code path} in the container, or in the volume mounted over it (the longest mount path wins). */
    public static Path mapped(Path path, Map<String, Path> mounts) {
        String s = path.toString();
        String best = null;
        for (String m : mounts.keySet()) {
            String prefix = m.endsWith("/") ? m.substring(0, m.length() - 1) : m;
            if ((s.equals(prefix) || s.startsWith(prefix + "/")) && (best == null || prefix.length() > best.length())) {
                best = prefix;
            }
        }
        if (best == null) {
            return path;
        }
        Path root = mounts.get(best.isEmpty() ? "/" : mounts.containsKey(best) ? best : best + "/");
        String rest = s.substring(best.length());
        return rest.isEmpty() || rest.equals("/") ? root : root.resolve(rest.substring(1));
    }
}
