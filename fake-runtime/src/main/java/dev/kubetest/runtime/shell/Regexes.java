package dev.kubetest.runtime.shell;

import java.util.regex.Pattern;

/**
 * POSIX regular expressions as busybox's sed, grep and awk read them, turned into Java's: basic (BRE, where
 * {@code \( \) \{ \} \+ \? \|} are the operators and the bare characters literal) and extended (ERE, close to
 * Java's), bracket classes such as {@code [[:digit:]]} included. Pure.
 */
final class Regexes {
    private Regexes() {}

    static Pattern compile(String posix, boolean extended, boolean ignoreCase) {
        String java = extended ? ere(posix) : bre(posix);
        return Pattern.compile(java, ignoreCase ? Pattern.CASE_INSENSITIVE : 0);
    }

    /** BRE to Java: swap the meaning of escaped and bare grouping, interval and alternation characters. */
    static String bre(String s) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '[') {
                i = bracket(s, i, out);
                continue;
            }
            if (c == '\\' && i + 1 < s.length()) {
                char n = s.charAt(++i);
                switch (n) {
                    case '(', ')', '{', '}', '+', '?', '|' -> out.append(n);
                    case 'n' -> out.append("\\n");
                    case 't' -> out.append("\\t");
                    default -> out.append('\\').append(n);
                }
                continue;
            }
            switch (c) {
                case '(', ')', '{', '}', '+', '?', '|' -> out.append('\\').append(c);
                case '*' -> out.append(i == 0 || s.charAt(i - 1) == '^' && i == 1 ? "\\*" : "*");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** ERE to Java: bracket classes, and a literal brace where it cannot start an interval. */
    static String ere(String s) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '[') {
                i = bracket(s, i, out);
            } else if (c == '\\' && i + 1 < s.length()) {
                out.append(c).append(s.charAt(++i));
            } else if (c == '{' && !(i + 1 < s.length() && Character.isDigit(s.charAt(i + 1)))) {
                out.append("\\{");
            } else if (c == '}' && out.lastIndexOf("{") <= out.lastIndexOf("}")) {
                out.append("\\}");
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** Copies a bracket expression starting at {@code i} as a Java class; returns the index of its closing ']'. */
    private static int bracket(String s, int i, StringBuilder out) {
        StringBuilder cls = new StringBuilder("[");
        int j = i + 1;
        if (j < s.length() && s.charAt(j) == '^') {
            cls.append('^');
            j++;
        }
        if (j < s.length() && s.charAt(j) == ']') {
            cls.append("\\]");
            j++;
        }
        for (; j < s.length() && s.charAt(j) != ']'; j++) {
            char c = s.charAt(j);
            if (c == '[' && j + 1 < s.length() && s.charAt(j + 1) == ':') {
                int end = s.indexOf(":]", j + 2);
                if (end > 0) {
                    cls.append(posixClass(s.substring(j + 2, end)));
                    j = end + 1;
                    continue;
                }
            }
            if (c == '\\' || c == '[' || c == '&' && j + 1 < s.length() && s.charAt(j + 1) == '&') {
                cls.append('\\');
            }
            cls.append(c);
        }
        if (j >= s.length()) {
            out.append("\\[");
            return i;
        }
        out.append(cls).append(']');
        return j;
    }

    private static String posixClass(String name) {
        return switch (name) {
            case "digit" -> "0-9";
            case "alpha" -> "A-Za-z";
            case "alnum" -> "A-Za-z0-9";
            case "upper" -> "A-Z";
            case "lower" -> "a-z";
            case "space" -> " \\t\\n\\r\\f\\x0B";
            case "blank" -> " \\t";
            case "punct" -> "!-/:-@\\[-`{-~";
            case "xdigit" -> "0-9A-Fa-f";
            default -> "";
        };
    }

    /** A sed replacement as Java's: {@code &} the match, {@code \1}..{@code \9} groups, {@code \n} a newline. */
    static String replacement(String sed) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < sed.length(); i++) {
            char c = sed.charAt(i);
            if (c == '\\' && i + 1 < sed.length()) {
                char n = sed.charAt(++i);
                if (Character.isDigit(n)) {
                    out.append('$').append(n);
                } else if (n == 'n') {
                    out.append('\n');
                } else if (n == 't') {
                    out.append('\t');
                } else if (n == '$') {
                    out.append("\\$");
                } else {
                    out.append(n == '\\' ? "\\\\" : String.valueOf(n));
                }
            } else if (c == '&') {
                out.append("$0");
            } else if (c == '$') {
                out.append("\\$");
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
