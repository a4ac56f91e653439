package dev.kubetest.runtime.shell;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.IntConsumer;

/**
 * {@code sh} reading commands from its input as they arrive ({@code kubectl exec -it pod -- sh}, or
 * {@code kubectl run -it} / {@code attach} to a shell container with {@code stdin: true}): each complete command
 * runs in one shell process, so variables and the working directory carry over; lines typed while a command runs
 * wait their turn; a command left open ({@code if ...} without {@code fi}) asks for more with PS2. With a
 * terminal the prompt is busybox's ({@code / # }). The shell ends with {@code exit}, or at end of input with the
 * status of the last command.
 */
public final class InteractiveShell {
    private final ShellContext ctx;
    private final boolean prompt;
    private final IntConsumer exit;
    private final StringBuilder pending = new StringBuilder();
    private final Deque<String> queued = new ArrayDeque<>();
    private boolean running;
    private boolean endOfInput;
    private boolean ended;

    /** {@code prompt}: whether to print prompts (a terminal); {@code exit} gets the shell's exit status once. */
    public InteractiveShell(ShellContext ctx, boolean prompt, IntConsumer exit) {
        this.ctx = ctx;
        this.prompt = prompt;
        this.exit = exit;
        ctx.onExit(this::finish);
    }

    public synchronized void start() {
        prompt(false);
    }

    /** One complete line of input (with its LF). */
    public synchronized void line(String line) {
        if (ended) {
            return;
        }
        if (running) {
            queued.add(line);
        } else {
            process(line);
        }
    }

    /** Ctrl-C: what was typed of an unfinished command is dropped. */
    public synchronized void interrupt() {
        pending.setLength(0);
        if (!running) {
            prompt(false);
        }
    }

    public synchronized void endOfInput() {
        endOfInput = true;
        if (!running && queued.isEmpty()) {
            finish(ctx.lastStatus);
        }
    }

    /** The client left: the shell and whatever it runs stop. */
    public void kill() {
        ctx.stop();
        finish(129);
    }

    private void process(String line) {
        pending.append(line);
        ShellSyntax.Node node;
        try {
            node = ShellParser.parse(pending.toString());
        } catch (ShellSyntax.SyntaxError e) {
            if (e.getMessage().contains("end of file") || e.getMessage().contains("Unterminated")) {
                prompt(true);
                return;
            }
            pending.setLength(0);
            ctx.stderr.accept("sh: " + e.getMessage() + "\n");
            ctx.lastStatus = 2;
            prompt(false);
            return;
        }
        pending.setLength(0);
        running = true;
        ShellInterpreter.run(node, ctx, status -> commandDone());
    }

    private synchronized void commandDone() {
        running = false;
        if (ended || ctx.exited) {
            return;
        }
        prompt(false);
        while (!running && !queued.isEmpty() && !ended) {
            process(queued.poll());
        }
        if (!running && endOfInput && queued.isEmpty()) {
            finish(ctx.lastStatus);
        }
    }

    private void prompt(boolean continuation) {
        if (prompt && !ended) {
            ctx.stdout.accept(continuation ? "> " : ShellText.encode(ctx.cwd.toString()) + " # ");
        }
    }

    private void finish(int status) {
        synchronized (this) {
            if (ended) {
                return;
            }
            ended = true;
        }
        exit.accept(status);
    }
}
