package dev.kubetest.runtime.simulated;

import dev.kubetest.core.clock.Clock;
import dev.kubetest.core.runtime.ContainerRuntime.ExecListener;
import dev.kubetest.core.runtime.ContainerRuntime.ExecStream;
import dev.kubetest.runtime.shell.InteractiveShell;
import dev.kubetest.runtime.shell.LineDiscipline;
import dev.kubetest.runtime.shell.ShellContext;
import dev.kubetest.runtime.shell.ShellInterpreter;
import dev.kubetest.runtime.shell.ShellParser;
import dev.kubetest.runtime.shell.ShellSyntax;
import dev.kubetest.runtime.shell.ShellText;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * An exec'd process in a simulated container with its streams connected to a client. A shell started without a
 * command ({@code sh}, {@code bash}, {@code sh -i}) and with stdin reads commands as they are typed
 * ({@link InteractiveShell}); any other command starts at once and reads its input as it arrives. With
 * a TTY, input goes through the terminal's {@link LineDiscipline}, stderr joins stdout, and LF leaves as CR LF.
 */
final class SimulatedExec {
    private static final Set<String> SHELLS = Set.of("sh", "ash", "bash", "/bin/sh", "/bin/ash", "/bin/bash", "/usr/bin/bash");

    private SimulatedExec() {}

    static ExecStream start(SimulatedContainer c, Clock clock, List<String> command, boolean stdin, boolean tty,
                            ExecListener listener) {
        AtomicBoolean ended = new AtomicBoolean();
        Consumer<String> raw = s -> listener.stdout(ShellText.bytes(s));
        Consumer<String> out = tty ? s -> raw.accept(s.replace("\n", "\r\n")) : raw;
        Consumer<String> err = tty ? out : s -> listener.stderr(ShellText.bytes(s));
        dev.kubetest.runtime.shell.ProcessTable table = c.processes();
        int[] pid = {0};
        IntConsumer exit = status -> {
            if (ended.compareAndSet(false, true)) {
                table.ended(pid[0], status);
                listener.exited(status);
            }
        };
        if (!c.running()) {
            err.accept("container not running\n");
            exit.accept(126);
            return idle(() -> { });
        }
        ShellContext ctx = new ShellContext(c.filesystem(), c.environment(), out, err, "", clock, c.network());
        ctx.identity(c.identity().uid(), c.identity().gid());
        ctx.mounts(c.mounts());
        // the exec'd process is in the container's table while it runs: ps shows it, kill signals it
        ctx.processes(table);
        pid[0] = table.start(String.join(" ", command), signal -> {
            ctx.stop();
            exit.accept(signal.equals("KILL") ? 137 : 143);
        });
        ctx.pid(pid[0]);
        ctx.afterCommand(c::checkMemory);
        ctx.onAllocation(c::checkAllocation);
        ctx.serve(c::serve);
        ctx.listen(c::listenOnce);
        if (tty) {
            ctx.terminal(80, 24);
        }
        if (stdin && isInteractiveShell(command)) {
            InteractiveShell shell = new InteractiveShell(ctx, tty, exit);
            LineDiscipline terminal = new LineDiscipline(tty, raw, shell::line, shell::endOfInput, shell::interrupt);
            shell.start();
            return stream(terminal, ctx, shell::kill);
        }
        if (!stdin) {
            run(ctx, command, exit);
            return idle(ctx::stop);
        }
        // The process starts at once and reads its input as the client sends it: a command that reads stdin waits
        // for what it needs (tar for its end-of-archive, anything else for the end of input), so a client that
        // keeps stdin open until the process exits (sh -c "tar -x ...; exit $e") sees it exit.
        dev.kubetest.runtime.shell.StreamingInput input = new dev.kubetest.runtime.shell.StreamingInput();
        ctx.stdin(input);
        run(ctx, command, exit);
        if (!tty) {
            return new ExecStream() {
                @Override
                public void write(byte[] data) {
                    input.append(ShellText.of(data));
                }

                @Override
                public void closeInput() {
                    input.close();
                }

                @Override
                public void cancel() {
                    ctx.stop(); // a command still waiting for input is never woken
                }
            };
        }
        LineDiscipline terminal = new LineDiscipline(true, raw, input::append, input::close, () -> {
            ctx.stop();
            exit.accept(130);
        });
        return stream(terminal, ctx, ctx::stop);
    }

    /** Runs {@code command} as given (no shell parsing of the words). */
    static void run(ShellContext ctx, List<String> command, IntConsumer exit) {
        StringBuilder script = new StringBuilder();
        for (String a : command) {
            script.append('\'').append(ShellText.encode(a).replace("'", "'\\''")).append("' ");
        }
        ctx.onExit(exit);
        try {
            ShellSyntax.Node node = ShellParser.parse(script.toString());
            ShellInterpreter.run(node, ctx, exit);
        } catch (ShellSyntax.SyntaxError e) {
            ctx.stderr().accept("sh: " + e.getMessage() + "\n");
            exit.accept(2);
        }
    }

    static boolean isInteractiveShell(List<String> command) {
        return !command.isEmpty() && SHELLS.contains(command.get(0))
                && (command.size() == 1 || command.size() == 2 && Set.of("-i", "-l", "-s").contains(command.get(1)));
    }

    private static ExecStream stream(LineDiscipline terminal, ShellContext ctx, Runnable cancel) {
        return new ExecStream() {
            @Override
            public void resize(int width, int height) {
                ctx.terminal(width, height);
            }

            @Override
            public void write(byte[] data) {
                synchronized (terminal) {
                    terminal.input(ShellText.of(data));
                }
            }

            @Override
            public void closeInput() {
                synchronized (terminal) {
                    terminal.close();
                }
            }

            @Override
            public void cancel() {
                cancel.run();
            }
        };
    }

    private static ExecStream idle(Runnable cancel) {
        return new ExecStream() {
            @Override
            public void write(byte[] data) {
                // the process reads no input
            }

            @Override
            public void closeInput() {
                // nothing to close
            }

            @Override
            public void cancel() {
                cancel.run();
            }
        };
    }
}
