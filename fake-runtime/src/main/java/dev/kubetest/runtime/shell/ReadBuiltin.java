package dev.kubetest.runtime.shell;

import java.util.ArrayList;
import java.util.List;

/**
 * The shell's {@code read [-r] [-p prompt] [-t secs] [name...]} (the prompt on stderr, on a terminal only): one
 * line of standard input, split into fields at blanks and assigned to the names (the last name takes the rest of
 * the line; none: {@code REPLY}). Without {@code -r} a backslash escapes the next character and a
 * backslash-newline joins lines. The status is 0 for a line ended by a newline and 1 at the end of input. The splitting is a pure function ({@link #assign}).
 */
final class ReadBuiltin {
    private ReadBuiltin() {}

    /** What {@code read}'s options ask for. */
    record Options(boolean raw, String prompt, List<String> names) {}

    static Options options(List<String> args) {
        boolean raw = false;
        String prompt = null;
        List<String> names = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (names.isEmpty() && a.startsWith("-") && a.length() > 1) {
                if (a.contains("r")) {
                    raw = true;
                }
                if ((a.endsWith("p") || a.endsWith("t") || a.endsWith("u") || a.endsWith("n")) && i + 1 < args.size()) {
                    if (a.endsWith("p")) {
                        prompt = args.get(i + 1);
                    }
                    i++;
                }
                continue;
            }
            names.add(a);
        }
        return new Options(raw, prompt, names.isEmpty() ? List.of("REPLY") : List.copyOf(names));
    }

    /** Whether {@code input} holds a whole logical line (a line ending in a backslash goes on, without -r). */
    static boolean complete(String input, boolean raw) {
        return lineEnd(input, raw) >= 0;
    }

    /** The length of the first logical line of {@code input}, with its newline (all of it when there is none). */
    static int lineLength(String input, boolean raw) {
        int end = lineEnd(input, raw);
        return end < 0 ? input.length() : end;
    }

    /** Where the first logical line ends (just after its newline), or -1 when it has not ended. */
    private static int lineEnd(String input, boolean raw) {
        int nl = input.indexOf('\n');
        while (nl >= 0 && !raw && escapedNewline(input, nl)) {
            nl = input.indexOf('\n', nl + 1);
        }
        return nl < 0 ? -1 : nl + 1;
    }

    private static boolean escapedNewline(String s, int nl) {
        int backslashes = 0;
        for (int i = nl - 1; i >= 0 && s.charAt(i) == '\\'; i--) {
            backslashes++;
        }
        return backslashes % 2 == 1;
    }

    /**
     * The values for {@code names} from one line (its newline, if any, already removed): fields split at blanks,
     * leading and trailing blanks dropped, the last name taking the rest of the line as it stands.
     */
    static List<String> assign(String line, List<String> names, boolean raw) {
        // mark escaped characters so they neither split fields nor are trimmed
        StringBuilder text = new StringBuilder();
        List<Boolean> literal = new ArrayList<>();
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (!raw && c == '\\' && i + 1 < line.length()) {
                char next = line.charAt(++i);
                if (next != '\n') {
                    text.append(next);
                    literal.add(true);
                }
                continue;
            }
            if (!raw && c == '\\') {
                continue;
            }
            text.append(c);
            literal.add(false);
        }
        List<String> values = new ArrayList<>();
        int i = 0;
        int n = text.length();
        for (int k = 0; k < names.size(); k++) {
            while (i < n && blank(text, literal, i)) {
                i++;
            }
            if (k == names.size() - 1) {
                int end = n;
                while (end > i && blank(text, literal, end - 1)) {
                    end--;
                }
                values.add(text.substring(i, end));
                break;
            }
            int start = i;
            while (i < n && !blank(text, literal, i)) {
                i++;
            }
            values.add(text.substring(start, i));
        }
        return values;
    }

    private static boolean blank(StringBuilder text, List<Boolean> literal, int i) {
        char c = text.charAt(i);
        return !literal.get(i) && (c == ' ' || c == '\t' || c == '\n');
    }

    /**
     * Reads one line: from {@code file} (a redirect's contents) when given, else from the process's input as it
     * arrives ({@code stream}; {@code retry} runs again once more has come), else from the shell's standard input,
     * which the line is taken from so that the next reader gets the next line.
     */
    static void run(List<String> args, ShellContext ctx, String file, StreamingInput stream,
                    java.util.function.Consumer<String> err, Runnable retry, java.util.function.IntConsumer done) {
        Options o = options(args);
        String line;
        if (file != null) {
            line = file.substring(0, lineLength(file, o.raw()));
        } else if (stream != null) {
            String arrived = stream.peek();
            if (!stream.closed() && !complete(arrived, o.raw())) {
                stream.whenChanged(retry);
                return;
            }
            line = stream.take(lineLength(arrived, o.raw()));
        } else {
            line = ctx.stdin.substring(0, lineLength(ctx.stdin, o.raw()));
            ctx.stdin = ctx.stdin.substring(line.length());
        }
        if (o.prompt() != null && ctx.terminal != null && file == null) {
            // the prompt is shown on a terminal only, as busybox does
            err.accept(o.prompt());
        }
        done.accept(apply(ctx, o, line));
    }

    /** Assigns one line read (with its newline when it had one) and answers the status. */
    static int apply(ShellContext ctx, Options o, String line) {
        boolean ended = line.endsWith("\n");
        String body = ended ? line.substring(0, line.length() - 1) : line;
        List<String> values = assign(body, o.names(), o.raw());
        for (int k = 0; k < o.names().size(); k++) {
            ctx.vars.put(o.names().get(k), k < values.size() ? values.get(k) : "");
        }
        return ended ? 0 : 1;
    }
}
