package dev.kubetest.runtime.shell;

import dev.kubetest.runtime.shell.ShellSyntax.Word;
import java.util.ArrayList;
import java.util.List;

/**
 * Word expansion: quotes, {@code $VAR}, {@code ${VAR}}, {@code ${VAR:-default}}, {@code $?}, {@code $$},
 * {@code $(cmd)} and backquotes (run at once: a {@code sleep} inside does not wait), {@code $((arithmetic))},
 * and field splitting of unquoted expansions.
 */
final class Expansion {
    private Expansion() {}

    static List<String> words(List<Word> words, ShellContext ctx) {
        List<String> out = new ArrayList<>();
        for (Word w : words) {
            out.addAll(fields(w.raw(), ctx));
        }
        return out;
    }

    static String word(Word w, ShellContext ctx) {
        return String.join(" ", fields(w.raw(), ctx));
    }

    /** Expands one raw word into fields (an unquoted empty expansion gives none). */
    static List<String> fields(String raw, ShellContext ctx) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        boolean any = false;
        int i = 0;
        while (i < raw.length()) {
            char ch = raw.charAt(i);
            if (ch == '\'') {
                int end = raw.indexOf('\'', i + 1);
                cur.append(raw, i + 1, end);
                quoted = true;
                i = end + 1;
            } else if (ch == '"') {
                int j = i + 1;
                StringBuilder inner = new StringBuilder();
                while (j < raw.length() && raw.charAt(j) != '"') {
                    char c = raw.charAt(j);
                    if (c == '\\' && j + 1 < raw.length() && "\"\\$`".indexOf(raw.charAt(j + 1)) >= 0) {
                        inner.append(raw.charAt(j + 1));
                        j += 2;
                    } else if (c == '$' || c == '`') {
                        int[] next = {j};
                        inner.append(dollar(raw, next, ctx));
                        j = next[0];
                    } else {
                        inner.append(c);
                        j++;
                    }
                }
                cur.append(inner);
                quoted = true;
                i = j + 1;
            } else if (ch == '\\' && i + 1 < raw.length()) {
                cur.append(raw.charAt(i + 1));
                i += 2;
            } else if (ch == '$' || ch == '`') {
                int[] next = {i};
                String value = dollar(raw, next, ctx);
                i = next[0];
                String[] parts = value.split("[ \\t\\n]+", -1);
                for (int p = 0; p < parts.length; p++) {
                    if (p > 0) {
                        if (cur.length() > 0 || quoted) {
                            out.add(cur.toString());
                        }
                        cur.setLength(0);
                        quoted = false;
                    }
                    cur.append(parts[p]);
                }
                any = true;
            } else {
                cur.append(ch);
                i++;
            }
        }
        if (cur.length() > 0 || quoted || !any && raw.isEmpty()) {
            out.add(cur.toString());
        }
        return out;
    }

    /** Expands the {@code $...} or backquote at {@code pos[0]}, moving it past. */
    private static String dollar(String raw, int[] pos, ShellContext ctx) {
        int i = pos[0];
        if (raw.charAt(i) == '`') {
            int end = raw.indexOf('`', i + 1);
            pos[0] = end < 0 ? raw.length() : end + 1;
            return substitute(raw.substring(i + 1, end < 0 ? raw.length() : end), ctx);
        }
        if (i + 1 >= raw.length()) {
            pos[0] = i + 1;
            return "$";
        }
        char n = raw.charAt(i + 1);
        if (raw.startsWith("$((", i)) {
            int end = raw.indexOf("))", i);
            pos[0] = end + 2;
            return Long.toString(Arithmetic.eval(raw.substring(i + 3, end), ctx.vars));
        }
        if (n == '(') {
            int depth = 0;
            int j = i + 1;
            do {
                if (raw.charAt(j) == '(') {
                    depth++;
                } else if (raw.charAt(j) == ')') {
                    depth--;
                }
                j++;
            } while (j < raw.length() && depth > 0);
            pos[0] = j;
            return substitute(raw.substring(i + 2, j - 1), ctx);
        }
        if (n == '{') {
            int end = raw.indexOf('}', i);
            pos[0] = end + 1;
            String expr = raw.substring(i + 2, end);
            int op = expr.indexOf(":-");
            if (op >= 0) {
                String v = ctx.vars.get(expr.substring(0, op));
                return v == null || v.isEmpty() ? expr.substring(op + 2) : v;
            }
            if (expr.startsWith("#")) {
                return Integer.toString(ctx.vars.getOrDefault(expr.substring(1), "").length());
            }
            return ctx.vars.getOrDefault(expr, "");
        }
        if (n == '?') {
            pos[0] = i + 2;
            return Integer.toString(ctx.lastStatus);
        }
        if (n == '$') {
            pos[0] = i + 2;
            return Integer.toString(ctx.pid);
        }
        if (n == '!') {
            pos[0] = i + 2;
            return ctx.vars.getOrDefault("!", "");
        }
        int j = i + 1;
        while (j < raw.length() && (Character.isLetterOrDigit(raw.charAt(j)) || raw.charAt(j) == '_')) {
            j++;
        }
        if (j == i + 1) {
            pos[0] = i + 1;
            return "$";
        }
        pos[0] = j;
        return ctx.vars.getOrDefault(raw.substring(i + 1, j), "");
    }

    private static String substitute(String script, ShellContext ctx) {
        StringBuilder out = new StringBuilder();
        ShellContext sub = ctx.subshell(out::append, "");
        sub.synchronous = true;
        ShellInterpreter.run(ShellParser.parse(script), sub, status -> ctx.lastStatus = status);
        String s = out.toString();
        while (s.endsWith("\n")) {
            s = s.substring(0, s.length() - 1);
        }
        return s;
    }

    /** Shell pattern matching with {@code *}, {@code ?} and {@code [..]}. */
    static boolean glob(String pattern, String text) {
        StringBuilder regex = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            switch (c) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                case '[', ']' -> regex.append(c);
                default -> regex.append(java.util.regex.Pattern.quote(String.valueOf(c)));
            }
        }
        return text.matches(regex.toString());
    }
}
