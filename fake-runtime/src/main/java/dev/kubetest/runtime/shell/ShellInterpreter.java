package dev.kubetest.runtime.shell;

import dev.kubetest.runtime.shell.ShellSyntax.AndOr;
import dev.kubetest.runtime.shell.ShellSyntax.Case;
import dev.kubetest.runtime.shell.ShellSyntax.For;
import dev.kubetest.runtime.shell.ShellSyntax.Group;
import dev.kubetest.runtime.shell.ShellSyntax.If;
import dev.kubetest.runtime.shell.ShellSyntax.Node;
import dev.kubetest.runtime.shell.ShellSyntax.Pipeline;
import dev.kubetest.runtime.shell.ShellSyntax.Sequence;
import dev.kubetest.runtime.shell.ShellSyntax.Simple;
import dev.kubetest.runtime.shell.ShellSyntax.While;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * Runs a parsed script. Every step takes a continuation, so {@code sleep} waits on the cluster clock without a
 * thread: a process is a chain of timers. Loops that never sleep are yielded every few thousand iterations.
 */
public final class ShellInterpreter {
    private static final int MAX_SYNC_ITERATIONS = 2000;

    private ShellInterpreter() {}

    /** Runs {@code node}; {@code done} receives its exit status (unless the process exits first). */
    public static void run(Node node, ShellContext ctx, IntConsumer done) {
        if (ctx.exited) {
            return;
        }
        if (node instanceof Sequence s) {
            sequence(s, 0, ctx, done);
        } else if (node instanceof AndOr a) {
            andOr(a, 0, 0, ctx, done);
        } else if (node instanceof Pipeline p) {
            pipeline(p, ctx, done);
        } else if (node instanceof Simple s) {
            Builtins.run(s, ctx, status -> {
                ctx.lastStatus = status;
                done.accept(status);
            });
        } else if (node instanceof While w) {
            loop(w, ctx, done, 0, 0);
        } else if (node instanceof For f) {
            forLoop(f, Expansion.words(f.items(), ctx), 0, ctx, done, 0);
        } else if (node instanceof If i) {
            ifChain(i, 0, ctx, done);
        } else if (node instanceof Case c) {
            caseOf(c, ctx, done);
        } else if (node instanceof Group g) {
            run(g.body(), ctx, done);
        } else if (node instanceof ShellSyntax.Redirected r) {
            redirected(r, ctx, done);
        }
    }

    /** A compound command's redirections hold while it runs, in this shell (its variables stay set). */
    private static void redirected(ShellSyntax.Redirected r, ShellContext ctx, IntConsumer done) {
        Redirections own = Redirections.of(ctx);
        try {
            Redirections.apply(r.redirects(), ctx).install(ctx);
        } catch (java.io.IOException e) {
            ctx.stderr.accept(Redirections.cannotOpen(e));
            done.accept(1);
            return;
        }
        run(r.body(), ctx, status -> {
            own.install(ctx);
            done.accept(status);
        });
    }

    private static void sequence(Sequence s, int i, ShellContext ctx, IntConsumer done) {
        if (i >= s.items().size()) {
            done.accept(ctx.lastStatus);
            return;
        }
        if (s.background().get(i)) {
            JobControl.background(s.items().get(i), ctx);
            ctx.lastStatus = 0;
            sequence(s, i + 1, ctx, done);
            return;
        }
        run(s.items().get(i), ctx, status -> {
            ctx.lastStatus = status;
            sequence(s, i + 1, ctx, done);
        });
    }

    private static void andOr(AndOr a, int i, int status, ShellContext ctx, IntConsumer done) {
        if (i >= a.parts().size()) {
            done.accept(status);
            return;
        }
        if (i > 0) {
            String op = a.operators().get(i - 1);
            if (op.equals("&&") && status != 0 || op.equals("||") && status == 0) {
                andOr(a, i + 1, status, ctx, done);
                return;
            }
        }
        run(a.parts().get(i), ctx, s -> {
            ctx.lastStatus = s;
            andOr(a, i + 1, s, ctx, done);
        });
    }

    private static void pipeline(Pipeline p, ShellContext ctx, IntConsumer done) {
        pipeStage(p, 0, ctx.stdin, ctx, status -> done.accept(p.negated() ? (status == 0 ? 1 : 0) : status));
    }

    private static void pipeStage(Pipeline p, int i, String input, ShellContext ctx, IntConsumer done) {
        boolean last = i == p.commands().size() - 1;
        StringBuilder captured = new StringBuilder();
        ShellContext stage = ctx.subshell(last ? ctx.stdout : captured::append, input);
        if (i == 0) {
            stage.input = ctx.input; // the first stage reads the process's own input, as it arrives
        }
        run(p.commands().get(i), stage, status -> {
            if (stage.exited && last) {
                ctx.exited = true;
            }
            if (last) {
                done.accept(status);
            } else {
                pipeStage(p, i + 1, captured.toString(), ctx, done);
            }
        });
    }

    private static void loop(While w, ShellContext ctx, IntConsumer done, int lastBody, int syncDepth) {
        if (ctx.exited) {
            return;
        }
        boolean[] sync = {true};
        run(w.condition(), ctx, cond -> {
            boolean go = w.until() ? cond != 0 : cond == 0;
            if (!go) {
                done.accept(lastBody);
                return;
            }
            run(w.body(), ctx, body -> {
                if (sync[0] && syncDepth > MAX_SYNC_ITERATIONS) {
                    ctx.waiting = ctx.clock.scheduleAfter(Duration.ofMillis(1), () -> loop(w, ctx, done, body, 0));
                } else {
                    loop(w, ctx, done, body, sync[0] ? syncDepth + 1 : 0);
                }
            });
        });
        sync[0] = false;
    }

    private static void forLoop(For f, List<String> items, int i, ShellContext ctx, IntConsumer done, int last) {
        if (i >= items.size() || ctx.exited) {
            done.accept(last);
            return;
        }
        ctx.vars.put(f.variable(), items.get(i));
        run(f.body(), ctx, status -> forLoop(f, items, i + 1, ctx, done, status));
    }

    private static void ifChain(If node, int i, ShellContext ctx, IntConsumer done) {
        if (i >= node.conditions().size()) {
            if (node.otherwise() != null) {
                run(node.otherwise(), ctx, done);
            } else {
                done.accept(0);
            }
            return;
        }
        run(node.conditions().get(i), ctx, status -> {
            if (status == 0) {
                run(node.bodies().get(i), ctx, done);
            } else {
                ifChain(node, i + 1, ctx, done);
            }
        });
    }

    private static void caseOf(Case c, ShellContext ctx, IntConsumer done) {
        String subject = Expansion.word(c.subject(), ctx);
        for (int i = 0; i < c.patterns().size(); i++) {
            for (var p : c.patterns().get(i)) {
                if (Expansion.glob(Expansion.word(p, ctx), subject)) {
                    run(c.bodies().get(i), ctx, done);
                    return;
                }
            }
        }
        done.accept(0);
    }

    /** Splits a command line as {@code sh -c} receives it from {@code command}/{@code args}. */
    public static List<String> argv(List<String> command, List<String> args) {
        List<String> all = new ArrayList<>(command);
        all.addAll(args);
        return all;
    }
}
