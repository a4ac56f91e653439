package dev.kubetest.runtime.shell;

import dev.kubetest.runtime.shell.AwkLexer.Kind;
import dev.kubetest.runtime.shell.AwkLexer.Token;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses awk into {@link Awk.Item}s: patterns (BEGIN, END, expressions, regexes, ranges) with actions made of
 * print/printf (with {@code >} and {@code >>}), assignments, if/else, while, do, for and for-in, next, exit,
 * break, continue, delete and blocks; expressions with awk's precedence, juxtaposition as concatenation.
 */
final class AwkParser {
    private final List<Token> tokens;
    private int pos;
    /** Inside print's expression list, a top-level {@code >} is a redirection, not a comparison. */
    private boolean noGreater;

    private AwkParser(List<Token> tokens) {
        this.tokens = tokens;
    }

    static List<Awk.Item> parse(String program) {
        return new AwkParser(AwkLexer.tokens(program)).program();
    }

    private Token peek() {
        return tokens.get(pos);
    }

    private Token next() {
        return tokens.get(pos++);
    }

    private boolean accept(String s) {
        if (peek().is(s)) {
            pos++;
            return true;
        }
        return false;
    }

    private void expect(String s) {
        if (!accept(s)) {
            throw new IllegalArgumentException("syntax error at '" + peek().text() + "', expected '" + s + "'");
        }
    }

    private void newlines() {
        while (peek().kind() == Kind.NEWLINE) {
            pos++;
        }
    }

    private void terminators() {
        while (peek().kind() == Kind.NEWLINE || peek().is(";")) {
            pos++;
        }
    }

    private List<Awk.Item> program() {
        List<Awk.Item> items = new ArrayList<>();
        terminators();
        while (peek().kind() != Kind.EOF) {
            if (accept("BEGIN")) {
                newlines();
                items.add(new Awk.Item(Awk.Item.Type.BEGIN, null, null, block()));
            } else if (accept("END")) {
                newlines();
                items.add(new Awk.Item(Awk.Item.Type.END, null, null, block()));
            } else {
                Awk.Expr pattern = null;
                Awk.Expr to = null;
                if (!peek().is("{")) {
                    pattern = expr();
                    if (accept(",")) {
                        newlines();
                        to = expr();
                    }
                }
                Awk.Stmt action = peek().is("{") ? block() : null;
                items.add(new Awk.Item(to != null ? Awk.Item.Type.RANGE : Awk.Item.Type.MAIN, pattern, to, action));
            }
            terminators();
        }
        return items;
    }

    private Awk.Stmt block() {
        expect("{");
        List<Awk.Stmt> body = new ArrayList<>();
        terminators();
        while (!accept("}")) {
            body.add(statement());
            terminators();
        }
        return env -> {
            for (Awk.Stmt s : body) {
                s.run(env);
            }
        };
    }

    private Awk.Stmt simpleOrBlock() {
        newlines();
        if (peek().is("{")) {
            return block();
        }
        Awk.Stmt s = statement();
        if (peek().is(";")) {
            pos++;
        }
        return s;
    }

    private Awk.Stmt statement() {
        Token t = peek();
        if (t.is("{")) {
            return block();
        }
        if (accept("if")) {
            expect("(");
            Awk.Expr cond = expr();
            expect(")");
            Awk.Stmt then = simpleOrBlock();
            int save = pos;
            terminators();
            if (accept("else")) {
                Awk.Stmt otherwise = simpleOrBlock();
                return env -> {
                    if (Awk.truthy(cond.eval(env))) {
                        then.run(env);
                    } else {
                        otherwise.run(env);
                    }
                };
            }
            pos = save;
            return env -> {
                if (Awk.truthy(cond.eval(env))) {
                    then.run(env);
                }
            };
        }
        if (accept("while")) {
            expect("(");
            Awk.Expr cond = expr();
            expect(")");
            Awk.Stmt body = simpleOrBlock();
            return env -> Awk.loop(env, () -> Awk.truthy(cond.eval(env)), body, null);
        }
        if (accept("do")) {
            Awk.Stmt body = simpleOrBlock();
            terminators();
            expect("while");
            expect("(");
            Awk.Expr cond = expr();
            expect(")");
            return env -> {
                body.run(env);
                Awk.loop(env, () -> Awk.truthy(cond.eval(env)), body, null);
            };
        }
        if (accept("for")) {
            expect("(");
            if (peek().kind() == Kind.NAME && tokens.get(pos + 1).is("in")) {
                String var = next().text();
                pos++;
                String array = next().text();
                expect(")");
                Awk.Stmt body = simpleOrBlock();
                return env -> Awk.forIn(env, var, array, body);
            }
            Awk.Stmt init = peek().is(";") ? env -> { } : simple();
            expect(";");
            newlines();
            Awk.Expr cond = peek().is(";") ? env -> 1.0 : expr();
            expect(";");
            newlines();
            Awk.Stmt step = peek().is(")") ? env -> { } : simple();
            expect(")");
            Awk.Stmt body = simpleOrBlock();
            return env -> {
                init.run(env);
                Awk.loop(env, () -> Awk.truthy(cond.eval(env)), body, step);
            };
        }
        if (accept("next")) {
            return env -> {
                throw Awk.Next.INSTANCE;
            };
        }
        if (accept("break")) {
            return env -> {
                throw Awk.Break.INSTANCE;
            };
        }
        if (accept("continue")) {
            return env -> {
                throw Awk.Continue.INSTANCE;
            };
        }
        if (accept("exit")) {
            Awk.Expr code = peek().kind() == Kind.NEWLINE || peek().is(";") || peek().is("}") ? null : expr();
            return env -> {
                throw new Awk.Exit(code == null ? 0 : (int) Awk.number(code.eval(env)));
            };
        }
        if (accept("delete")) {
            String array = next().text();
            if (accept("[")) {
                Awk.Expr key = subscript();
                return env -> env.array(array).remove(Awk.string(key.eval(env), env));
            }
            return env -> env.array(array).clear();
        }
        return simple();
    }

    private Awk.Stmt simple() {
        if (accept("print")) {
            List<Awk.Expr> args = printArgs();
            Awk.Expr target = redirect();
            boolean appendTo = append;
            return env -> env.print(args, target, appendTo);
        }
        if (accept("printf")) {
            List<Awk.Expr> args = printArgs();
            Awk.Expr target = redirect();
            boolean appendTo = append;
            return env -> env.printf(args, target, appendTo);
        }
        Awk.Expr e = expr();
        return e::eval;
    }

    private boolean append;

    private Awk.Expr redirect() {
        append = false;
        if (accept(">")) {
            return primaryConcat();
        }
        if (accept(">>")) {
            append = true;
            return primaryConcat();
        }
        return null;
    }

    private Awk.Expr primaryConcat() {
        return concatenation();
    }

    private List<Awk.Expr> printArgs() {
        List<Awk.Expr> args = new ArrayList<>();
        if (peek().kind() == Kind.NEWLINE || peek().is(";") || peek().is("}") || peek().is(">") || peek().is(">>")
                || peek().kind() == Kind.EOF) {
            return args;
        }
        boolean saved = noGreater;
        noGreater = true;
        boolean parens = peek().is("(") && closesGroup();
        if (parens) {
            pos++;
            noGreater = false;
        }
        args.add(expr());
        while (accept(",")) {
            newlines();
            args.add(expr());
        }
        if (parens) {
            expect(")");
        }
        noGreater = saved;
        return args;
    }

    /** Whether the parenthesis at the cursor closes right before the end of the print statement. */
    private boolean closesGroup() {
        int depth = 0;
        for (int i = pos; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            if (t.is("(")) {
                depth++;
            } else if (t.is(")") && --depth == 0) {
                Token after = tokens.get(i + 1);
                return after.kind() == Kind.NEWLINE || after.is(";") || after.is("}") || after.is(">") || after.is(">>")
                        || after.kind() == Kind.EOF;
            }
        }
        return false;
    }

    Awk.Expr expr() {
        return ternary();
    }

    private Awk.Expr ternary() {
        Awk.Expr cond = or();
        if (accept("?")) {
            newlines();
            Awk.Expr a = ternary();
            newlines();
            expect(":");
            newlines();
            Awk.Expr b = ternary();
            return env -> Awk.truthy(cond.eval(env)) ? a.eval(env) : b.eval(env);
        }
        if (cond instanceof Awk.Lvalue lv) {
            for (String op : new String[] {"=", "+=", "-=", "*=", "/=", "%=", "^="}) {
                if (accept(op)) {
                    newlines();
                    Awk.Expr value = ternary();
                    return env -> {
                        Object v = op.equals("=") ? value.eval(env)
                                : Awk.arithmetic(op.substring(0, 1), lv.eval(env), value.eval(env));
                        lv.set(env, v);
                        return v;
                    };
                }
            }
        }
        return cond;
    }

    private Awk.Expr or() {
        Awk.Expr left = and();
        while (accept("||")) {
            newlines();
            Awk.Expr l = left;
            Awk.Expr r = and();
            left = env -> Awk.truthy(l.eval(env)) || Awk.truthy(r.eval(env)) ? 1.0 : 0.0;
        }
        return left;
    }

    private Awk.Expr and() {
        Awk.Expr left = in();
        while (accept("&&")) {
            newlines();
            Awk.Expr l = left;
            Awk.Expr r = in();
            left = env -> Awk.truthy(l.eval(env)) && Awk.truthy(r.eval(env)) ? 1.0 : 0.0;
        }
        return left;
    }

    private Awk.Expr in() {
        Awk.Expr left = match();
        while (peek().is("in") && tokens.get(pos + 1).kind() == Kind.NAME) {
            pos++;
            String array = next().text();
            Awk.Expr key = left;
            left = env -> env.array(array).containsKey(Awk.string(key.eval(env), env)) ? 1.0 : 0.0;
        }
        return left;
    }

    private Awk.Expr match() {
        Awk.Expr left = comparison();
        while (peek().is("~") || peek().is("!~")) {
            boolean negate = next().text().equals("!~");
            Awk.Expr l = left;
            Awk.Expr re = comparison();
            left = env -> env.regex(re).matcher(Awk.string(l.eval(env), env)).find() != negate ? 1.0 : 0.0;
        }
        return left;
    }

    private Awk.Expr comparison() {
        Awk.Expr left = concatenation();
        for (String op : new String[] {"<", "<=", "==", "!=", ">", ">="}) {
            if (op.equals(">") && noGreater) {
                continue;
            }
            if (accept(op)) {
                Awk.Expr l = left;
                Awk.Expr r = concatenation();
                return env -> Awk.compare(op, l.eval(env), r.eval(env), env) ? 1.0 : 0.0;
            }
        }
        return left;
    }

    private Awk.Expr concatenation() {
        Awk.Expr left = additive();
        while (startsOperand()) {
            Awk.Expr l = left;
            Awk.Expr r = additive();
            left = env -> Awk.string(l.eval(env), env) + Awk.string(r.eval(env), env);
        }
        return left;
    }

    private boolean startsOperand() {
        Token t = peek();
        return switch (t.kind()) {
            case NUMBER, STRING, REGEX, NAME, FUNC, BUILTIN -> true;
            case OP -> t.is("$") || t.is("(") || t.is("!") || t.is("++") || t.is("--");
            default -> false;
        };
    }

    private Awk.Expr additive() {
        Awk.Expr left = multiplicative();
        while (peek().is("+") || peek().is("-")) {
            String op = next().text();
            Awk.Expr l = left;
            Awk.Expr r = multiplicative();
            left = env -> Awk.arithmetic(op, l.eval(env), r.eval(env));
        }
        return left;
    }

    private Awk.Expr multiplicative() {
        Awk.Expr left = unary();
        while (peek().is("*") || peek().is("/") || peek().is("%")) {
            String op = next().text();
            Awk.Expr l = left;
            Awk.Expr r = unary();
            left = env -> Awk.arithmetic(op, l.eval(env), r.eval(env));
        }
        return left;
    }

    private Awk.Expr unary() {
        if (accept("!")) {
            Awk.Expr e = unary();
            return env -> Awk.truthy(e.eval(env)) ? 0.0 : 1.0;
        }
        if (accept("-")) {
            Awk.Expr e = unary();
            return env -> -Awk.number(e.eval(env));
        }
        if (accept("+")) {
            Awk.Expr e = unary();
            return env -> Awk.number(e.eval(env));
        }
        return power();
    }

    private Awk.Expr power() {
        Awk.Expr base = postfix();
        if (accept("^")) {
            Awk.Expr exp = unary();
            return env -> Math.pow(Awk.number(base.eval(env)), Awk.number(exp.eval(env)));
        }
        return base;
    }

    private Awk.Expr postfix() {
        if (peek().is("++") || peek().is("--")) {
            double delta = next().text().equals("++") ? 1 : -1;
            Awk.Lvalue lv = (Awk.Lvalue) primary();
            return env -> {
                double v = Awk.number(lv.eval(env)) + delta;
                lv.set(env, v);
                return v;
            };
        }
        Awk.Expr e = primary();
        if (e instanceof Awk.Lvalue lv && (peek().is("++") || peek().is("--"))) {
            double delta = next().text().equals("++") ? 1 : -1;
            return env -> {
                double v = Awk.number(lv.eval(env));
                lv.set(env, v + delta);
                return v;
            };
        }
        return e;
    }

    private Awk.Expr subscript() {
        List<Awk.Expr> keys = new ArrayList<>();
        keys.add(expr());
        while (accept(",")) {
            keys.add(expr());
        }
        expect("]");
        if (keys.size() == 1) {
            return keys.get(0);
        }
        return env -> {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < keys.size(); i++) {
                if (i > 0) {
                    sb.append(env.subsep());
                }
                sb.append(Awk.string(keys.get(i).eval(env), env));
            }
            return sb.toString();
        };
    }

    private Awk.Expr primary() {
        Token t = next();
        switch (t.kind()) {
            case NUMBER -> {
                double v = Double.parseDouble(t.text());
                return env -> v;
            }
            case STRING -> {
                String v = t.text();
                return env -> v;
            }
            case REGEX -> {
                String re = t.text();
                return new Awk.RegexLiteral(re);
            }
            case NAME -> {
                String name = t.text();
                if (accept("[")) {
                    Awk.Expr key = subscript();
                    return new Awk.ArrayElement(name, key);
                }
                return new Awk.Variable(name);
            }
            case BUILTIN -> {
                List<Awk.Expr> args = new ArrayList<>();
                if (accept("(")) {
                    if (!accept(")")) {
                        boolean saved = noGreater;
                        noGreater = false;
                        args.add(expr());
                        while (accept(",")) {
                            newlines();
                            args.add(expr());
                        }
                        noGreater = saved;
                        expect(")");
                    }
                }
                return AwkFunctions.call(t.text(), args);
            }
            case OP -> {
                if (t.is("$")) {
                    Awk.Expr index = postfixOperandOfField();
                    return new Awk.Field(index);
                }
                if (t.is("(")) {
                    boolean saved = noGreater;
                    noGreater = false;
                    Awk.Expr e = expr();
                    noGreater = saved;
                    expect(")");
                    return e;
                }
                if (t.is("-")) {
                    Awk.Expr e = primary();
                    return env -> -Awk.number(e.eval(env));
                }
                throw new IllegalArgumentException("syntax error at '" + t.text() + "'");
            }
            default -> throw new IllegalArgumentException("syntax error at '" + t.text() + "'");
        }
    }

    /** {@code $} binds tighter than anything but grouping: {@code $NF-1} is {@code ($NF)-1}. */
    private Awk.Expr postfixOperandOfField() {
        if (peek().is("++") || peek().is("--") || peek().is("-")) {
            return unary();
        }
        return primary();
    }
}
