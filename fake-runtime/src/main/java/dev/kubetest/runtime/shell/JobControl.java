package dev.kubetest.runtime.shell;

import dev.kubetest.runtime.shell.ShellSyntax.Node;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntConsumer;

/**
 * The applets that deal in processes: background jobs ({@code &}, {@code $!}), {@code kill}, {@code wait},
 * {@code jobs}, {@code ps}, {@code timeout} and {@code xargs}. Processes run on the cluster clock, so a
 * {@code timeout 5 sleep 60} ends after five simulated seconds.
 */
final class JobControl {
    private static final Map<String, Integer> SIGNALS = Map.of("HUP", 1, "INT", 2, "QUIT", 3, "KILL", 9, "USR1", 10,
            "USR2", 12, "TERM", 15, "0", 0);

    private JobControl() {}

    /** Runs {@code node} in the background of {@code ctx}: a new process whose PID becomes {@code $!}. */
    static void background(Node node, ShellContext ctx) {
        ShellContext job = ctx.subshell(ctx.stdout, "");
        int pid = ctx.processes().start(describe(node), signal -> deliver(job, signal, ctx.processes()));
        job.pid = pid;
        ctx.vars.put("!", Integer.toString(pid));
        ctx.jobs.add(pid);
        job.onExit = status -> ctx.processes().ended(pid, status); // an `exit` in the job ends it too
        ShellInterpreter.run(node, job, status -> ctx.processes().ended(pid, status));
    }

    private static void deliver(ShellContext job, String signal, ProcessTable table) {
        if (signal.equals("TERM") && job.trapsTerm()) {
            job.deliverTerm();
            return;
        }
        job.stop();
        table.ended(job.pid, 128 + SIGNALS.getOrDefault(signal, 15));
    }

    /** A command line for {@code ps} and {@code jobs}. */
    static String describe(Node node) {
        if (node instanceof ShellSyntax.Simple s) {
            List<String> words = new ArrayList<>();
            s.words().forEach(w -> words.add(w.raw()));
            return String.join(" ", words);
        }
        if (node instanceof ShellSyntax.Pipeline p && p.commands().size() == 1) {
            return describe(p.commands().get(0));
        }
        if (node instanceof ShellSyntax.AndOr a && a.parts().size() == 1) {
            return describe(a.parts().get(0));
        }
        return "sh";
    }

    static int kill(List<String> a, ShellContext ctx, Builtins.Io io) {
        String signal = "TERM";
        List<String> targets = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) {
            String x = a.get(i);
            if (x.equals("-l")) {
                io.out().accept("HUP INT QUIT ILL TRAP ABRT BUS FPE KILL USR1 SEGV USR2 PIPE ALRM TERM\n");
                return 0;
            } else if (x.equals("-s") && i + 1 < a.size()) {
                signal = signalName(a.get(++i));
            } else if (x.startsWith("-") && x.length() > 1 && targets.isEmpty()) {
                signal = signalName(x.substring(1));
            } else {
                targets.add(x);
            }
        }
        if (signal == null) {
            io.err().accept("sh: kill: bad signal name\n");
            return 1;
        }
        int status = 0;
        for (String t : targets) {
            int pid = t.startsWith("%") ? jobPid(ctx, t) : Builtins.parseInt(t, -1);
            ProcessTable.Process p = pid < 0 ? null : ctx.processes().get(pid);
            if (p == null) {
                io.err().accept("sh: kill: can't kill pid " + t + ": No such process\n");
                status = 1;
            } else if (!signal.equals("0")) {
                p.signals.signal(signal);
            }
        }
        return status;
    }

    private static String signalName(String s) {
        String upper = s.toUpperCase(java.util.Locale.ROOT).replaceFirst("^SIG", "");
        if (SIGNALS.containsKey(upper)) {
            return upper;
        }
        for (Map.Entry<String, Integer> e : SIGNALS.entrySet()) {
            if (Integer.toString(e.getValue()).equals(s)) {
                return e.getKey();
            }
        }
        return null;
    }

    private static int jobPid(ShellContext ctx, String spec) {
        int n = Builtins.parseInt(spec.substring(1), -1);
        return n >= 1 && n <= ctx.jobs.size() ? ctx.jobs.get(n - 1) : -1;
    }

    /** {@code wait [PID...]}: until the named jobs (or all of this shell's) have ended; the last one's status. */
    static void waitFor(List<String> a, ShellContext ctx, IntConsumer done) {
        List<Integer> pids = new ArrayList<>();
        if (a.isEmpty()) {
            pids.addAll(ctx.jobs);
        } else {
            for (String x : a) {
                pids.add(x.startsWith("%") ? jobPid(ctx, x) : Builtins.parseInt(x, -1));
            }
        }
        waitNext(pids, 0, a.isEmpty() ? 0 : 127, ctx, done);
    }

    private static void waitNext(List<Integer> pids, int i, int last, ShellContext ctx, IntConsumer done) {
        if (i >= pids.size()) {
            done.accept(last);
            return;
        }
        ctx.processes().whenEnded(pids.get(i), status -> waitNext(pids, i + 1, status, ctx, done));
    }

    static int jobs(ShellContext ctx, Builtins.Io io) {
        StringBuilder out = new StringBuilder();
        for (int n = 0; n < ctx.jobs.size(); n++) {
            ProcessTable.Process p = ctx.processes().get(ctx.jobs.get(n));
            if (p != null) {
                out.append(String.format("[%d]%s  Running                 %s%n", n + 1, n == ctx.jobs.size() - 1 ? "+" : " ",
                        p.command));
            }
        }
        io.out().accept(out.toString());
        return 0;
    }

    /** busybox {@code ps}: PID, user, CPU time and command of every process of the container. */
    static int ps(ShellContext ctx, Builtins.Io io) {
        StringBuilder out = new StringBuilder("PID   USER     TIME  COMMAND\n");
        for (ProcessTable.Process p : ctx.processes().live()) {
            out.append(String.format("%5d %-8s %5s %s%n", p.pid, "root", "0:00", p.command));
        }
        io.out().accept(out.toString());
        return 0;
    }

    /** {@code timeout [-s SIG] DURATION COMMAND [ARG...]}: 124 when the command is still running at the deadline. */
    static void timeout(List<String> a, ShellContext ctx, Builtins.Io io, IntConsumer done) {
        int i = 0;
        while (i < a.size() && a.get(i).startsWith("-") && a.get(i).length() > 1) {
            i += a.get(i).equals("-s") || a.get(i).equals("-k") ? 2 : 1;
        }
        if (i + 1 >= a.size()) {
            io.err().accept("BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\n"
                    + "Usage: timeout [-s SIG] [-k KILL_SECS] SECS PROG ARGS\n");
            done.accept(1);
            return;
        }
        Duration limit = Builtins.duration(a.get(i));
        if (limit == null) {
            io.err().accept("timeout: invalid time interval '" + a.get(i) + "'\n");
            done.accept(125);
            return;
        }
        ShellContext sub = ctx.subshell(io.out(), io.in());
        sub.stderr = io.err();
        AtomicBoolean over = new AtomicBoolean();
        dev.kubetest.core.clock.Clock.Timer timer = ctx.clock.scheduleAfter(limit, () -> {
            if (over.compareAndSet(false, true)) {
                sub.stop();
                done.accept(124);
            }
        });
        runWords(a.subList(i + 1, a.size()), sub, status -> {
            if (over.compareAndSet(false, true)) {
                timer.cancel();
                done.accept(status);
            }
        });
    }

    /** {@code xargs [-n N] [-I REPL] [COMMAND [ARG...]]}: runs the command with the words of its input. */
    static void xargs(List<String> a, ShellContext ctx, Builtins.Io io, IntConsumer done) {
        int perCommand = Integer.MAX_VALUE;
        String replace = null;
        int i = 0;
        while (i < a.size() && a.get(i).startsWith("-")) {
            switch (a.get(i)) {
                case "-n" -> perCommand = Math.max(1, Builtins.parseInt(a.get(++i), 1));
                case "-I" -> replace = a.get(++i);
                default -> { }
            }
            i++;
        }
        List<String> command = a.size() > i ? a.subList(i, a.size()) : List.of("echo");
        List<List<String>> runs = new ArrayList<>();
        if (replace != null) {
            for (String line : io.in().lines().toList()) {
                String r = replace;
                runs.add(command.stream().map(w -> w.replace(r, line)).toList());
            }
        } else {
            List<String> words = new ArrayList<>();
            for (String w : io.in().trim().split("\\s+")) {
                if (!w.isEmpty()) {
                    words.add(w);
                }
            }
            if (words.isEmpty() && perCommand == Integer.MAX_VALUE) {
                runs.add(command);
            }
            for (int from = 0; from < words.size(); from += perCommand) {
                List<String> argv = new ArrayList<>(command);
                argv.addAll(words.subList(from, Math.min(words.size(), from + perCommand)));
                runs.add(argv);
            }
        }
        ShellContext sub = ctx.subshell(io.out(), "");
        sub.stderr = io.err();
        xargsNext(runs, 0, 0, sub, done);
    }

    private static void xargsNext(List<List<String>> runs, int i, int worst, ShellContext sub, IntConsumer done) {
        if (i >= runs.size()) {
            done.accept(worst);
            return;
        }
        runWords(runs.get(i), sub, status -> xargsNext(runs, i + 1,
                status == 0 ? worst : status == 127 || status == 126 ? status : Math.max(worst, 123), sub, done));
    }

    /** Runs a command given as words (no further shell parsing of them). */
    static void runWords(List<String> words, ShellContext ctx, IntConsumer done) {
        StringBuilder script = new StringBuilder();
        for (String w : words) {
            script.append('\'').append(w.replace("'", "'\\''")).append("' ");
        }
        ShellInterpreter.run(ShellParser.parse(script.toString()), ctx, done);
    }
}
