package dev.kubetest.runtime.shell;

import java.util.ArrayList;
import java.util.List;

/**
 * The parsed form of a POSIX shell subset: lists with {@code ;}, {@code &}, {@code &&}, {@code ||}; pipelines;
 * {@code while}/{@code until}/{@code for}/{@code if}/{@code case}; simple commands with words and redirections.
 */
public final class ShellSyntax {
    private ShellSyntax() {}

    /** A node of the syntax tree. */
    public sealed interface Node permits Sequence, AndOr, Pipeline, Simple, While, For, If, Case, Group, Redirected {}

    /** Commands run one after another; {@code background[i]} marks those ended by {@code &}. */
    public record Sequence(List<Node> items, List<Boolean> background) implements Node {}

    /** {@code a && b || c}: operators between the parts. */
    public record AndOr(List<Node> parts, List<String> operators) implements Node {}

    public record Pipeline(List<Node> commands, boolean negated) implements Node {}

    /** A word keeps its raw text; quoting is resolved at expansion. */
    public record Word(String raw) {}

    /** A redirection: {@code >}, {@code >>}, {@code <}, {@code 2>}, {@code 2>>}, {@code 2>&1}, {@code >&2}. */
    public record Redirect(String op, Word target) {}

    public record Simple(List<Word> words, List<Redirect> redirects, List<String[]> assignments) implements Node {}

    public record While(Node condition, Node body, boolean until) implements Node {}

    public record For(String variable, List<Word> items, Node body) implements Node {}

    public record If(List<Node> conditions, List<Node> bodies, Node otherwise) implements Node {}

    public record Case(Word subject, List<List<Word>> patterns, List<Node> bodies) implements Node {}

    public record Group(Node body) implements Node {}

    /** A compound command with redirections after it ({@code while read l; do ...; done < file}). */
    public record Redirected(Node body, List<Redirect> redirects) implements Node {}

    /** A syntax error, with the shell's message. */
    public static final class SyntaxError extends RuntimeException {
        public SyntaxError(String message) {
            super(message);
        }
    }

    static List<String> splitTokens(String s) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        int i = 0;
        while (i < s.length()) {
            char ch = s.charAt(i);
            if (ch == '\'' ) {
                int end = s.indexOf('\'', i + 1);
                if (end < 0) {
                    throw new SyntaxError("Unterminated quoted string");
                }
                cur.append(s, i, end + 1);
                i = end + 1;
            } else if (ch == '"') {
                int j = i + 1;
                while (j < s.length() && s.charAt(j) != '"') {
                    if (s.charAt(j) == '\\') {
                        j++;
                    }
                    j++;
                }
                if (j >= s.length()) {
                    throw new SyntaxError("Unterminated quoted string");
                }
                cur.append(s, i, j + 1);
                i = j + 1;
            } else if (ch == '\\' && i + 1 < s.length()) {
                if (s.charAt(i + 1) == '\n') {
                    i += 2;
                } else {
                    cur.append(s, i, i + 2);
                    i += 2;
                }
            } else if (ch == '$' && i + 1 < s.length() && s.charAt(i + 1) == '(') {
                int depth = 0;
                int j = i + 1;
                do {
                    if (s.charAt(j) == '(') {
                        depth++;
                    } else if (s.charAt(j) == ')') {
                        depth--;
                    }
                    j++;
                } while (j < s.length() && depth > 0);
                cur.append(s, i, j);
                i = j;
            } else if (ch == '`') {
                int end = s.indexOf('`', i + 1);
                cur.append(s, i, end < 0 ? s.length() : end + 1);
                i = end < 0 ? s.length() : end + 1;
            } else if (ch == '#' && cur.length() == 0) {
                while (i < s.length() && s.charAt(i) != '\n') {
                    i++;
                }
            } else if (ch == ' ' || ch == '\t') {
                flush(cur, out);
                i++;
            } else if (ch == '\n') {
                flush(cur, out);
                out.add("\n");
                i++;
            } else if (s.startsWith("&&", i) || s.startsWith("||", i) || s.startsWith(";;", i) || s.startsWith(">>", i)
                    || s.startsWith("2>&1", i) || s.startsWith(">&2", i) || s.startsWith("2>>", i)) {
                String op = s.startsWith("2>&1", i) ? "2>&1" : s.startsWith("2>>", i) ? "2>>" : s.substring(i, i + (s.startsWith(">&2", i) ? 3 : 2));
                if (op.startsWith("2") && cur.length() > 0) {
                    cur.append(op);
                    i += op.length();
                    continue;
                }
                flush(cur, out);
                out.add(op);
                i += op.length();
            } else if (ch == '2' && cur.length() == 0 && i + 1 < s.length() && s.charAt(i + 1) == '>') {
                out.add("2>");
                i += 2;
            } else if (";&|<>()".indexOf(ch) >= 0) {
                flush(cur, out);
                out.add(String.valueOf(ch));
                i++;
            } else {
                cur.append(ch);
                i++;
            }
        }
        flush(cur, out);
        return out;
    }

    private static void flush(StringBuilder cur, List<String> out) {
        if (cur.length() > 0) {
            out.add(cur.toString());
            cur.setLength(0);
        }
    }
}
