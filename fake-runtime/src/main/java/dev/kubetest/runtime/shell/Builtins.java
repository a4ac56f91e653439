package dev.kubetest.runtime.shell;

import dev.kubetest.runtime.shell.ShellSyntax.Simple;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import java.util.stream.Stream;

/** The commands of the shell subset (busybox applets), each over the container's filesystem and clock. */
final class Builtins {
    private Builtins() {}

    static void run(Simple cmd, ShellContext ctx, IntConsumer finished) {
        ctx.writeFailed = false;
        IntConsumer done = status -> {
            int result = ctx.writeFailed && status == 0 ? 1 : status;
            ctx.writeFailed = false;
            ctx.afterCommand.run();
            finished.accept(result);
        };
        for (String[] a : cmd.assignments()) {
            ctx.vars.put(a[0], Expansion.word(new ShellSyntax.Word(a[1]), ctx));
        }
        List<String> argv = Expansion.words(cmd.words(), ctx);
        if (argv.isEmpty()) {
            done.accept(0);
            return;
        }
        Redirections streams;
        try {
            streams = Redirections.apply(cmd.redirects(), ctx);
        } catch (IOException e) {
            ctx.stderr.accept(Redirections.cannotOpen(e));
            done.accept(1);
            return;
        }
        Consumer<String> out = streams.out();
        Consumer<String> err = streams.err();
        String in = streams.in();
        StreamingInput stream = streams.input();
        String name = argv.get(0);
        if (name.contains("/") && !name.startsWith("./")) {
            name = name.substring(name.lastIndexOf('/') + 1);
        }
        List<String> args = argv.subList(1, argv.size());
        if (name.equals("read")) {
            ReadBuiltin.run(args, ctx, streams.fromFile() ? in : null, stream, err, () -> run(cmd, ctx, finished), done);
            return;
        }
        boolean nested = Set.of("sh", "bash", "ash").contains(name);
        if (stream != null && !nested && StdinReaders.reads(name, args)) {
            // the client is still sending: wait for what this command reads, then give it what arrived
            if (!stream.closed() && !StdinReaders.enough(name, args, stream.peek())) {
                stream.whenChanged(() -> run(cmd, ctx, finished));
                return;
            }
            in = in + stream.take();
        }
        Io io = new Io(out, err, in, nested ? stream : null);
        try {
            switch (name) {
                case "sleep" -> sleep(args, ctx, done);
                case "httpd" -> httpd(args, ctx, io, done);
                case "nc" -> {
                    if (args.stream().anyMatch(a -> a.startsWith("-") && a.contains("l"))) {
                        ncListen(args, ctx, io, done);
                    } else {
                        done.accept(Applets.run(name, args, ctx, io));
                    }
                }
                case "sh", "bash", "ash" -> nestedShell(args, ctx, io, done);
                case "wait" -> JobControl.waitFor(args, ctx, done);
                case "timeout" -> JobControl.timeout(args, ctx, io, done);
                case "xargs" -> JobControl.xargs(args, ctx, io, done);
                case "exec" -> {
                    if (args.isEmpty()) {
                        done.accept(0);
                        return;
                    }
                    // the command replaces the shell: when it ends, the shell's process ends with its status
                    Simple replacement = new Simple(cmd.words().subList(1, cmd.words().size()), cmd.redirects(), List.of());
                    run(replacement, ctx, status -> {
                        ctx.exited = true;
                        ctx.lastStatus = status & 255;
                        if (ctx.onExit != null) {
                            ctx.onExit.accept(ctx.lastStatus);
                        } else {
                            done.accept(status);
                        }
                    });
                }
                case "exit" -> {
                    ctx.exited = true;
                    int code = args.isEmpty() ? ctx.lastStatus : parseInt(args.get(0), 2);
                    ctx.lastStatus = code & 255;
                    if (ctx.onExit != null) {
                        ctx.onExit.accept(ctx.lastStatus);
                    }
                }
                default -> done.accept(Applets.run(name, args, ctx, io));
            }
        } catch (IOException e) {
            io.err().accept(name + ": " + e.getMessage() + "\n");
            done.accept(1);
        } catch (ShellSyntax.SyntaxError e) {
            io.err().accept(name + ": " + e.getMessage() + "\n");
            done.accept(2);
        } catch (NetApplets.TimedOut t) {
            Consumer<String> sink = t.toStdout ? io.out() : io.err();
            if (ctx.synchronous) {
                sink.accept(t.getMessage());
                done.accept(1);
                return;
            }
            ctx.waiting = ctx.clock.scheduleAfter(t.after, () -> {
                ctx.waiting = null;
                if (!ctx.exited) {
                    sink.accept(t.getMessage());
                    done.accept(1);
                }
            });
        }
    }

    /** Where a command writes and what it reads. */
    record Io(Consumer<String> out, Consumer<String> err, String in, StreamingInput stream) {
        Io(Consumer<String> out, Consumer<String> err, String in) {
            this(out, err, in, null);
        }
    }

    static Consumer<String> fileSink(ShellContext ctx, String target, boolean append) throws IOException {
        if (target.equals("/dev/null")) {
            return s -> { };
        }
        if (target.equals("/dev/stdout")) {
            return ctx.stdout;
        }
        if (target.equals("/dev/stderr")) {
            return ctx.stderr;
        }
        Path p = ctx.resolve(target);
        if (p.getParent() != null && !Files.isDirectory(p.getParent())) {
            throw new IOException(target);
        }
        if (!append) {
            Files.writeString(p, "");
        }
        return s -> {
            try {
                Files.writeString(p, s, StandardCharsets.ISO_8859_1, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            } catch (IOException e) {
                ctx.writeFailed = true;
                ctx.stderr.accept("sh: write error: " + errno(e) + "\n");
            }
        };
    }

    /** The C library's text for a failed file operation ({@code strerror}). */
    static String errno(IOException e) {
        String m = String.valueOf(e.getMessage());
        if (m.contains("disk space")) {
            return "No space left on device";
        }
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "No such file or directory";
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "Permission denied";
        }
        return m;
    }

    /**
     * busybox {@code httpd [-f] [-p [IP:]PORT] [-h HOME]}: serves the files under HOME (default the working
     * directory) on PORT (default 80) for as long as the container runs; with {@code -f} it stays in the
     * foreground, else it returns at once as a daemon would.
     */
    private static void httpd(List<String> args, ShellContext ctx, Io io, IntConsumer done) {
        int port = 80;
        String home = ".";
        boolean foreground = false;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("-f")) {
                foreground = true;
            } else if (a.equals("-p") && i + 1 < args.size()) {
                String v = args.get(++i);
                port = parseInt(v.substring(v.lastIndexOf(':') + 1), -1);
            } else if (a.equals("-h") && i + 1 < args.size()) {
                home = args.get(++i);
            } else if (a.startsWith("-") && a.contains("f")) {
                foreground = true;
            }
        }
        Path root = ctx.resolve(home);
        if (port <= 0 || ctx.serve == null) {
            io.err().accept("httpd: bind: Address not available\n");
            done.accept(1);
            return;
        }
        if (!Files.isDirectory(root)) {
            io.err().accept("httpd: can't change directory to '" + home + "': No such file or directory\n");
            done.accept(1);
            return;
        }
        ctx.serve.accept(port, root);
        if (foreground) {
            sleep(List.of("infinity"), ctx, done);
        } else {
            done.accept(0);
        }
    }

    /**
     * {@code nc -l [-p] PORT}: waits for one connection on the container's port, answers it with its standard
     * input, prints what the peer sent, and exits 0 (a shell loop around it makes a one-reply-per-connection server).
     */
    private static void ncListen(List<String> args, ShellContext ctx, Io io, IntConsumer done) {
        int port = -1;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.startsWith("-") && a.endsWith("p") && i + 1 < args.size()) {
                port = parseInt(args.get(++i), -1);
            } else if (!a.startsWith("-")) {
                port = parseInt(a, -1);
            }
        }
        if (port <= 0 || ctx.listen == null) {
            io.err().accept("nc: bind: Address not available\n");
            done.accept(1);
            return;
        }
        ctx.listen.once(port, io.in(), request -> {
            io.out().accept(request);
            done.accept(0);
        });
    }

    static int parseInt(String s, int dflt) {
        try {
            return Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            return dflt;
        }
    }

    /** {@code sleep 30}, {@code 1.5}, {@code 2m}, {@code infinity}: waits on the cluster clock. */
    private static void sleep(List<String> args, ShellContext ctx, IntConsumer done) {
        Duration total = Duration.ZERO;
        for (String a : args) {
            Duration d = duration(a);
            if (d == null) {
                ctx.stderr.accept("sleep: invalid number '" + a + "'\n");
                done.accept(1);
                return;
            }
            total = total.plus(d);
        }
        if (args.isEmpty()) {
            ctx.stderr.accept("BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\nUsage: sleep [N]...\n");
            done.accept(1);
            return;
        }
        if (ctx.synchronous) {
            done.accept(0);
            return;
        }
        ctx.waiting = ctx.clock.scheduleAfter(total, () -> {
            ctx.waiting = null;
            if (!ctx.exited) {
                done.accept(0);
            }
        });
    }

    static Duration duration(String a) {
        if (a.equals("infinity") || a.equals("inf")) {
            return Duration.ofDays(36500);
        }
        char unit = a.isEmpty() ? 's' : a.charAt(a.length() - 1);
        String number = Character.isLetter(unit) ? a.substring(0, a.length() - 1) : a;
        double v;
        try {
            v = Double.parseDouble(number);
        } catch (NumberFormatException e) {
            return null;
        }
        long factor = switch (Character.isLetter(unit) ? unit : 's') {
            case 's' -> 1000;
            case 'm' -> 60_000;
            case 'h' -> 3_600_000;
            case 'd' -> 86_400_000;
            default -> -1;
        };
        return factor < 0 ? null : Duration.ofMillis((long) (v * factor));
    }

    private static void nestedShell(List<String> args, ShellContext ctx, Io io, IntConsumer done) {
        if (args.size() >= 2 && args.get(0).equals("-c")) {
            ShellContext sub = ctx.subshell(io.out(), io.in());
            sub.input = io.stream();
            sub.stderr = io.err();
            sub.onExit = done::accept;
            ShellInterpreter.run(ShellParser.parse(args.get(1)), sub, done);
        } else if (!args.isEmpty() && Files.exists(ctx.resolve(args.get(0)))) {
            try {
                String script = Files.readString(ctx.resolve(args.get(0)), StandardCharsets.ISO_8859_1);
                ShellContext sub = ctx.subshell(io.out(), io.in());
                sub.onExit = done::accept;
                ShellInterpreter.run(ShellParser.parse(script), sub, done);
            } catch (IOException e) {
                done.accept(127);
            }
        } else if (args.isEmpty() || args.get(0).equals("-s") || args.get(0).equals("-i")) {
            ShellContext sub = ctx.subshell(io.out(), "");
            sub.stderr = io.err();
            sub.onExit = done::accept;
            ShellInterpreter.run(ShellParser.parse(io.in()), sub, done);
        } else {
            io.err().accept("sh: can't open '" + args.get(0) + "': No such file or directory\n");
            done.accept(2);
        }
    }

    static List<Path> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> out = new ArrayList<>(s.toList());
            out.sort(null);
            return out;
        }
    }
}
