package dev.kubetest.runtime.shell;

import dev.kubetest.runtime.shell.ShellSyntax.AndOr;
import dev.kubetest.runtime.shell.ShellSyntax.Case;
import dev.kubetest.runtime.shell.ShellSyntax.For;
import dev.kubetest.runtime.shell.ShellSyntax.Group;
import dev.kubetest.runtime.shell.ShellSyntax.If;
import dev.kubetest.runtime.shell.ShellSyntax.Node;
import dev.kubetest.runtime.shell.ShellSyntax.Pipeline;
import dev.kubetest.runtime.shell.ShellSyntax.Redirect;
import dev.kubetest.runtime.shell.ShellSyntax.Sequence;
import dev.kubetest.runtime.shell.ShellSyntax.Simple;
import dev.kubetest.runtime.shell.ShellSyntax.SyntaxError;
import dev.kubetest.runtime.shell.ShellSyntax.While;
import dev.kubetest.runtime.shell.ShellSyntax.Word;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** A recursive-descent parser for the shell subset. */
public final class ShellParser {
    private static final Set<String> TERMINATORS = Set.of("do", "done", "then", "elif", "else", "fi", "esac", ")", ";;", "}");
    private final List<String> t;
    private int pos;

    private ShellParser(List<String> tokens) {
        this.t = tokens;
    }

    public static Node parse(String script) {
        ShellParser p = new ShellParser(ShellSyntax.splitTokens(script));
        Node n = p.list();
        p.skipNewlines();
        if (p.pos < p.t.size()) {
            throw new SyntaxError("syntax error: unexpected \"" + p.t.get(p.pos) + "\"");
        }
        return n;
    }

    private String peek() {
        return pos < t.size() ? t.get(pos) : null;
    }

    private boolean at(String s) {
        return s.equals(peek());
    }

    private void expect(String s) {
        skipNewlines();
        if (!at(s)) {
            throw new SyntaxError("syntax error: unexpected " + (peek() == null ? "end of file" : "\"" + peek() + "\"")
                    + " (expecting \"" + s + "\")");
        }
        pos++;
    }

    private void skipNewlines() {
        while (at("\n")) {
            pos++;
        }
    }

    private Node list() {
        List<Node> items = new ArrayList<>();
        List<Boolean> bg = new ArrayList<>();
        while (true) {
            skipNewlines();
            String p = peek();
            if (p == null || TERMINATORS.contains(p)) {
                break;
            }
            items.add(andOr());
            boolean background = false;
            if (at("&")) {
                background = true;
                pos++;
            } else if (at(";")) {
                pos++;
            }
            bg.add(background);
        }
        return new Sequence(items, bg);
    }

    private Node andOr() {
        List<Node> parts = new ArrayList<>();
        List<String> ops = new ArrayList<>();
        parts.add(pipeline());
        while (at("&&") || at("||")) {
            ops.add(t.get(pos++));
            skipNewlines();
            parts.add(pipeline());
        }
        return parts.size() == 1 ? parts.get(0) : new AndOr(parts, ops);
    }

    private Node pipeline() {
        boolean negated = false;
        if (at("!")) {
            negated = true;
            pos++;
        }
        List<Node> cmds = new ArrayList<>();
        cmds.add(command());
        while (at("|")) {
            pos++;
            skipNewlines();
            cmds.add(command());
        }
        return cmds.size() == 1 && !negated ? cmds.get(0) : new Pipeline(cmds, negated);
    }

    private Node command() {
        Node c = compoundOrSimple();
        if (c instanceof ShellSyntax.Simple) {
            return c;
        }
        List<Redirect> redirects = new ArrayList<>();
        boolean more = true;
        while (more && peek() != null) {
            more = redirect(redirects);
        }
        return redirects.isEmpty() ? c : new ShellSyntax.Redirected(c, redirects);
    }

    /** Takes a redirection ({@code > f}, {@code >> f}, {@code < f}, {@code 2> f}, {@code 2>&1}, ...) if one is next. */
    private boolean redirect(List<Redirect> redirects) {
        String p = peek();
        if (p.equals(">") || p.equals(">>") || p.equals("<") || p.equals("2>") || p.equals("2>>")) {
            pos++;
            redirects.add(new Redirect(p, new Word(t.get(pos++))));
            return true;
        }
        if (p.equals("2>&1") || p.equals(">&2")) {
            pos++;
            redirects.add(new Redirect(p, null));
            return true;
        }
        return false;
    }

    private Node compoundOrSimple() {
        String p = peek();
        if (p == null) {
            throw new SyntaxError("syntax error: unexpected end of file");
        }
        switch (p) {
            case "while", "until" -> {
                pos++;
                Node cond = list();
                expect("do");
                Node body = list();
                expect("done");
                return new While(cond, body, p.equals("until"));
            }
            case "for" -> {
                pos++;
                String var = t.get(pos++);
                List<Word> items = new ArrayList<>();
                if (at("in")) {
                    pos++;
                    while (peek() != null && !at(";") && !at("\n")) {
                        items.add(new Word(t.get(pos++)));
                    }
                } else {
                    items.add(new Word("\"$@\""));
                }
                if (at(";")) {
                    pos++;
                }
                expect("do");
                Node body = list();
                expect("done");
                return new For(var, items, body);
            }
            case "if" -> {
                pos++;
                List<Node> conds = new ArrayList<>();
                List<Node> bodies = new ArrayList<>();
                conds.add(list());
                expect("then");
                bodies.add(list());
                Node otherwise = null;
                while (true) {
                    skipNewlines();
                    if (at("elif")) {
                        pos++;
                        conds.add(list());
                        expect("then");
                        bodies.add(list());
                    } else if (at("else")) {
                        pos++;
                        otherwise = list();
                    } else {
                        break;
                    }
                }
                expect("fi");
                return new If(conds, bodies, otherwise);
            }
            case "case" -> {
                pos++;
                Word subject = new Word(t.get(pos++));
                expect("in");
                List<List<Word>> patterns = new ArrayList<>();
                List<Node> bodies = new ArrayList<>();
                skipNewlines();
                while (!at("esac")) {
                    if (at("(")) {
                        pos++;
                    }
                    List<Word> pats = new ArrayList<>();
                    pats.add(new Word(t.get(pos++)));
                    while (at("|")) {
                        pos++;
                        pats.add(new Word(t.get(pos++)));
                    }
                    expect(")");
                    patterns.add(pats);
                    bodies.add(list());
                    if (at(";;")) {
                        pos++;
                    }
                    skipNewlines();
                }
                expect("esac");
                return new Case(subject, patterns, bodies);
            }
            case "(", "{" -> {
                pos++;
                Node body = list();
                expect(p.equals("(") ? ")" : "}");
                return new Group(body);
            }
            default -> {
                return simple();
            }
        }
    }

    private Node simple() {
        List<Word> words = new ArrayList<>();
        List<Redirect> redirects = new ArrayList<>();
        List<String[]> assignments = new ArrayList<>();
        while (true) {
            String p = peek();
            if (p == null || p.equals("\n") || p.equals(";") || p.equals("&") || p.equals("&&") || p.equals("||")
                    || p.equals("|") || p.equals(")") || p.equals(";;") || (TERMINATORS.contains(p) && words.isEmpty() && !p.equals("}"))) {
                break;
            }
            if (p.equals("}") && words.isEmpty()) {
                break;
            }
            if (redirect(redirects)) {
                continue;
            }
            if (words.isEmpty() && p.matches("[A-Za-z_][A-Za-z0-9_]*=.*")) {
                pos++;
                assignments.add(new String[] {p.substring(0, p.indexOf('=')), p.substring(p.indexOf('=') + 1)});
            } else {
                pos++;
                words.add(new Word(p));
            }
        }
        if (words.isEmpty() && assignments.isEmpty() && redirects.isEmpty()) {
            throw new SyntaxError("syntax error: unexpected \"" + peek() + "\"");
        }
        return new Simple(words, redirects, assignments);
    }
}
