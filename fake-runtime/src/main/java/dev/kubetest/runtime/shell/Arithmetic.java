package dev.kubetest.runtime.shell;

import java.util.Map;

/** {@code $((...))} and {@code expr}: integer arithmetic with + - * / % and parentheses, variables by name. Pure. */
final class Arithmetic {
    private final String s;
    private final Map<String, String> vars;
    private int pos;

    private Arithmetic(String s, Map<String, String> vars) {
        this.s = s;
        this.vars = vars;
    }

    static long eval(String expr, Map<String, String> vars) {
        Arithmetic a = new Arithmetic(expr, vars);
        long v = a.sum();
        a.skip();
        return v;
    }

    private void skip() {
        while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
            pos++;
        }
    }

    private long sum() {
        long v = product();
        while (true) {
            skip();
            if (pos < s.length() && (s.charAt(pos) == '+' || s.charAt(pos) == '-')) {
                char op = s.charAt(pos++);
                long r = product();
                v = op == '+' ? v + r : v - r;
            } else {
                return v;
            }
        }
    }

    private long product() {
        long v = atom();
        while (true) {
            skip();
            if (pos < s.length() && "*/%".indexOf(s.charAt(pos)) >= 0) {
                char op = s.charAt(pos++);
                long r = atom();
                v = op == '*' ? v * r : op == '/' ? (r == 0 ? 0 : v / r) : (r == 0 ? 0 : v % r);
            } else {
                return v;
            }
        }
    }

    private long atom() {
        skip();
        if (pos < s.length() && s.charAt(pos) == '(') {
            pos++;
            long v = sum();
            skip();
            pos++;
            return v;
        }
        if (pos < s.length() && s.charAt(pos) == '-') {
            pos++;
            return -atom();
        }
        int start = pos;
        if (pos < s.length() && s.charAt(pos) == '$') {
            pos++;
            start++;
        }
        while (pos < s.length() && (Character.isLetterOrDigit(s.charAt(pos)) || s.charAt(pos) == '_')) {
            pos++;
        }
        String tok = s.substring(start, pos);
        if (tok.isEmpty()) {
            return 0;
        }
        if (Character.isDigit(tok.charAt(0))) {
            return Long.parseLong(tok);
        }
        try {
            return Long.parseLong(vars.getOrDefault(tok, "0").trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
