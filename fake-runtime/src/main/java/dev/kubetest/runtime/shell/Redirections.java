package dev.kubetest.runtime.shell;

import dev.kubetest.runtime.shell.ShellSyntax.Redirect;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.function.Consumer;

/**
 * A command's standard streams after its redirections ({@code > f}, {@code >> f}, {@code 2> f}, {@code 2>&1},
 * {@code >&2}, {@code < f}), for a simple command and for a compound one alike. {@code fromFile}: standard input
 * is a {@code <} file's contents (and not the process's input as it arrives).
 */
record Redirections(Consumer<String> out, Consumer<String> err, String in, StreamingInput input, boolean fromFile) {

    /** The shell's own streams. */
    static Redirections of(ShellContext ctx) {
        return new Redirections(ctx.stdout, ctx.stderr, ctx.stdin, ctx.input, false);
    }

    /** {@code redirects} applied in order to the shell's streams; a file that cannot be opened throws. */
    static Redirections apply(List<Redirect> redirects, ShellContext ctx) throws IOException {
        Redirections s = of(ctx);
        for (Redirect r : redirects) {
            s = switch (r.op()) {
                case ">", ">>" -> s.withOut(Builtins.fileSink(ctx, Expansion.word(r.target(), ctx), r.op().equals(">>")));
                case "2>", "2>>" -> s.withErr(Builtins.fileSink(ctx, Expansion.word(r.target(), ctx), r.op().equals("2>>")));
                case "2>&1" -> s.withErr(s.out);
                case ">&2" -> s.withOut(s.err);
                case "<" -> new Redirections(s.out, s.err, Files.readString(ctx.resolve(Expansion.word(r.target(), ctx)),
                        StandardCharsets.ISO_8859_1), null, true);
                default -> s;
            };
        }
        return s;
    }

    /** What the shell prints when a redirection's file cannot be opened. */
    static String cannotOpen(IOException e) {
        return "sh: can't open '" + e.getMessage() + "': No such file or directory\n";
    }

    /** Makes these the shell's streams. */
    void install(ShellContext ctx) {
        ctx.stdout = out;
        ctx.stderr = err;
        ctx.stdin = in;
        ctx.input = input;
    }

    private Redirections withOut(Consumer<String> o) {
        return new Redirections(o, err, in, input, fromFile);
    }

    private Redirections withErr(Consumer<String> e) {
        return new Redirections(out, e, in, input, fromFile);
    }
}
