package dev.kubetest.runtime.shell;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;

/**
 * busybox {@code awk}: {@code -F}, {@code -v}, program text, files or stdin; fields, NR, NF, FS, OFS, ORS, SUBSEP,
 * patterns and ranges, BEGIN/END, print/printf (to stdout or {@code >}/{@code >>} a file), arithmetic, string and
 * regex operators, arrays and the common built-in functions ({@link AwkFunctions}). User-defined functions and
 * getline are not supported. The state of one run.
 */
final class Awk {
    /** A value-producing node. */
    interface Expr {
        Object eval(Awk env);
    }

    /** A node that can be assigned. */
    interface Lvalue extends Expr {
        void set(Awk env, Object value);
    }

    /** A statement. */
    interface Stmt {
        void run(Awk env);
    }

    /** A pattern-action pair. */
    record Item(Type type, Expr pattern, Expr to, Stmt action) {
        enum Type { BEGIN, END, MAIN, RANGE }
    }

    /** Input text that looks like a number compares as one (POSIX's strnum). */
    record StrNum(String text) {}

    static final class Next extends RuntimeException {
        static final Next INSTANCE = new Next();

        private Next() {
            super(null, null, false, false);
        }
    }

    static final class Break extends RuntimeException {
        static final Break INSTANCE = new Break();

        private Break() {
            super(null, null, false, false);
        }
    }

    static final class Continue extends RuntimeException {
        static final Continue INSTANCE = new Continue();

        private Continue() {
            super(null, null, false, false);
        }
    }

    static final class Exit extends RuntimeException {
        final int code;

        Exit(int code) {
            super(null, null, false, false);
            this.code = code;
        }
    }

    record Variable(String name) implements Lvalue {
        @Override
        public Object eval(Awk env) {
            return env.get(name);
        }

        @Override
        public void set(Awk env, Object value) {
            env.setVar(name, value);
        }
    }

    record ArrayElement(String array, Expr key) implements Lvalue {
        @Override
        public Object eval(Awk env) {
            return env.array(array).computeIfAbsent(string(key.eval(env), env), k -> "");
        }

        @Override
        public void set(Awk env, Object value) {
            env.array(array).put(string(key.eval(env), env), value);
        }
    }

    record Field(Expr index) implements Lvalue {
        @Override
        public Object eval(Awk env) {
            return env.field((int) number(index.eval(env)));
        }

        @Override
        public void set(Awk env, Object value) {
            env.setField((int) number(index.eval(env)), string(value, env));
        }
    }

    /** {@code /re/} as a value matches $0; as the operand of ~, match, split or sub it is the regex itself. */
    record RegexLiteral(String regex) implements Expr {
        @Override
        public Object eval(Awk env) {
            return env.regex(this).matcher(string(env.field(0), env)).find() ? 1.0 : 0.0;
        }
    }

    private final Map<String, Object> vars = new HashMap<>();
    private final Map<String, Map<String, Object>> arrays = new HashMap<>();
    private final Map<String, Pattern> regexCache = new HashMap<>();
    private final List<String> fields = new ArrayList<>();
    private final StringBuilder out = new StringBuilder();
    private final Map<String, StringBuilder> files = new LinkedHashMap<>();
    private final Map<String, Boolean> appendFiles = new HashMap<>();
    double nr;

    private Awk() {
        vars.put("FS", " ");
        vars.put("OFS", " ");
        vars.put("ORS", "\n");
        vars.put("SUBSEP", "\u001c");
        vars.put("CONVFMT", "%.6g");
        vars.put("OFMT", "%.6g");
        fields.add("");
    }

    static int run(List<String> a, ShellContext ctx, Builtins.Io io) throws IOException {
        Awk env = new Awk();
        String program = null;
        List<String> files = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) {
            String x = a.get(i);
            if (x.equals("-F") && i + 1 < a.size()) {
                env.vars.put("FS", TextApplets.unescape(a.get(++i)));
            } else if (x.startsWith("-F")) {
                env.vars.put("FS", TextApplets.unescape(x.substring(2)));
            } else if (x.equals("-v") && i + 1 < a.size()) {
                String assignment = a.get(++i);
                int eq = assignment.indexOf('=');
                env.vars.put(assignment.substring(0, eq), new StrNum(TextApplets.unescape(assignment.substring(eq + 1))));
            } else if (program == null) {
                program = x;
            } else {
                files.add(x);
            }
        }
        if (program == null) {
            io.err().accept("awk: no program\n");
            return 2;
        }
        List<Item> items;
        try {
            items = AwkParser.parse(program);
        } catch (RuntimeException e) {
            io.err().accept("awk: cmd. line:1: " + e.getMessage() + "\n");
            return 2;
        }
        int status = 0;
        try {
            try {
                env.runItems(items, Item.Type.BEGIN);
                boolean onlyBegin = items.stream().allMatch(it -> it.type() == Item.Type.BEGIN);
                if (!onlyBegin) {
                    boolean[] inRange = new boolean[items.size()];
                    for (String f : files.isEmpty() ? List.of("-") : files) {
                        String text;
                        if (f.equals("-")) {
                            text = io.in();
                        } else if (f.contains("=") && !f.startsWith("/")) {
                            env.vars.put(f.substring(0, f.indexOf('=')), new StrNum(f.substring(f.indexOf('=') + 1)));
                            continue;
                        } else {
                            Path p = ctx.resolve(f);
                            if (!Files.isRegularFile(p)) {
                                io.err().accept("awk: cannot open \"" + f + "\" (No such file or directory)\n");
                                status = 2;
                                continue;
                            }
                            text = Files.readString(p, StandardCharsets.ISO_8859_1);
                        }
                        env.vars.put("FILENAME", f.equals("-") ? "" : f);
                        for (String line : text.lines().toList()) {
                            env.record(line, items, inRange);
                        }
                    }
                }
            } catch (Exit e) {
                status = e.code;
            }
            try {
                env.runItems(items, Item.Type.END);
            } catch (Exit e) {
                status = e.code;
            }
        } catch (ArithmeticException e) {
            io.err().accept("awk: " + e.getMessage() + "\n");
            status = 2;
        }
        io.out().accept(env.out.toString());
        for (Map.Entry<String, StringBuilder> f : env.files.entrySet()) {
            Path p = ctx.resolve(f.getKey());
            Files.writeString(p, f.getValue(), StandardCharsets.ISO_8859_1, StandardOpenOption.CREATE,
                    env.appendFiles.getOrDefault(f.getKey(), false) ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING);
        }
        return status;
    }

    private void runItems(List<Item> items, Item.Type type) {
        for (Item it : items) {
            if (it.type() == type) {
                it.action().run(this);
            }
        }
    }

    private void record(String line, List<Item> items, boolean[] inRange) {
        nr++;
        setField(0, line);
        try {
            for (int i = 0; i < items.size(); i++) {
                Item it = items.get(i);
                boolean selected;
                switch (it.type()) {
                    case MAIN -> selected = it.pattern() == null || truthy(it.pattern().eval(this));
                    case RANGE -> {
                        if (!inRange[i]) {
                            inRange[i] = truthy(it.pattern().eval(this));
                        }
                        selected = inRange[i];
                        if (inRange[i] && truthy(it.to().eval(this))) {
                            inRange[i] = false;
                        }
                    }
                    default -> selected = false;
                }
                if (!selected) {
                    continue;
                }
                if (it.action() == null) {
                    out.append(fields.get(0)).append(string(get("ORS"), this));
                } else {
                    it.action().run(this);
                }
            }
        } catch (Next n) {
            // the next record
        }
    }

    // ---------------------------------------------------------------- state

    Object get(String name) {
        return switch (name) {
            case "NR", "FNR" -> nr;
            case "NF" -> (double) (fields.size() - 1);
            default -> vars.getOrDefault(name, "");
        };
    }

    void setVar(String name, Object value) {
        if (name.equals("NF")) {
            int nf = (int) number(value);
            while (fields.size() - 1 > nf) {
                fields.remove(fields.size() - 1);
            }
            while (fields.size() - 1 < nf) {
                fields.add("");
            }
            rebuild();
        } else if (name.equals("NR")) {
            nr = number(value);
        } else {
            vars.put(name, value);
        }
    }

    Map<String, Object> array(String name) {
        return arrays.computeIfAbsent(name, k -> new LinkedHashMap<>());
    }

    String subsep() {
        return string(get("SUBSEP"), this);
    }

    Object field(int i) {
        if (i < 0) {
            throw new ArithmeticException("trying to access out of range field " + i);
        }
        return i < fields.size() ? new StrNum(fields.get(i)) : new StrNum("");
    }

    void setField(int i, String value) {
        if (i == 0) {
            fields.clear();
            fields.add(value);
            fields.addAll(split(value, string(get("FS"), this)));
            return;
        }
        while (fields.size() <= i) {
            fields.add("");
        }
        fields.set(i, value);
        rebuild();
    }

    private void rebuild() {
        fields.set(0, String.join(string(get("OFS"), this), fields.subList(1, fields.size())));
    }

    /** Splits as awk does: FS " " on runs of blanks (leading ones ignored), one character literally, else a regex. */
    List<String> split(String text, String fs) {
        List<String> out = new ArrayList<>();
        if (fs.equals(" ")) {
            for (String p : text.trim().split("[ \t\n]+")) {
                if (!p.isEmpty()) {
                    out.add(p);
                }
            }
            return out;
        }
        if (text.isEmpty()) {
            return out;
        }
        Pattern p = fs.length() == 1 && fs.charAt(0) != '\\' ? Pattern.compile(Pattern.quote(fs)) : regex(fs);
        for (String part : p.split(text, -1)) {
            out.add(part);
        }
        return out;
    }

    Pattern regex(Expr e) {
        if (e instanceof RegexLiteral r) {
            return regex(r.regex());
        }
        return regex(string(e.eval(this), this));
    }

    Pattern regex(String ere) {
        return regexCache.computeIfAbsent(ere, r -> Regexes.compile(r, true, false));
    }

    // ---------------------------------------------------------------- output

    void print(List<Expr> args, Expr target, boolean append) {
        StringBuilder line = new StringBuilder();
        if (args.isEmpty()) {
            line.append(fields.get(0));
        }
        for (int i = 0; i < args.size(); i++) {
            if (i > 0) {
                line.append(string(get("OFS"), this));
            }
            Object v = args.get(i).eval(this);
            line.append(v instanceof Double d ? format(d, string(get("OFMT"), this)) : string(v, this));
        }
        line.append(string(get("ORS"), this));
        sink(target, append).append(line);
    }

    void printf(List<Expr> args, Expr target, boolean append) {
        if (args.isEmpty()) {
            return;
        }
        List<Object> values = new ArrayList<>();
        for (int i = 1; i < args.size(); i++) {
            values.add(args.get(i).eval(this));
        }
        sink(target, append).append(AwkFunctions.sprintf(string(args.get(0).eval(this), this), values, this));
    }

    private StringBuilder sink(Expr target, boolean append) {
        if (target == null) {
            return out;
        }
        String file = string(target.eval(this), this);
        if (file.equals("/dev/stdout") || file.equals("-")) {
            return out;
        }
        appendFiles.putIfAbsent(file, append);
        return files.computeIfAbsent(file, f -> new StringBuilder());
    }

    // ---------------------------------------------------------------- values

    static boolean truthy(Object v) {
        if (v instanceof Double d) {
            return d != 0;
        }
        if (v instanceof StrNum s) {
            Double n = numeric(s.text());
            return n != null ? n != 0 : !s.text().isEmpty();
        }
        return !String.valueOf(v).isEmpty();
    }

    static double number(Object v) {
        if (v instanceof Double d) {
            return d;
        }
        String s = v instanceof StrNum sn ? sn.text() : String.valueOf(v);
        java.util.regex.Matcher m = Pattern.compile("^\\s*[-+]?(\\d+\\.?\\d*([eE][-+]?\\d+)?|\\.\\d+([eE][-+]?\\d+)?)").matcher(s);
        return m.find() ? Double.parseDouble(m.group().trim()) : 0;
    }

    /** The number a whole string spells (surrounding blanks allowed), or null. */
    static Double numeric(String s) {
        String t = s.trim();
        if (t.isEmpty() || !t.matches("[-+]?(\\d+\\.?\\d*([eE][-+]?\\d+)?|\\.\\d+([eE][-+]?\\d+)?)")) {
            return null;
        }
        return Double.parseDouble(t);
    }

    static String string(Object v, Awk env) {
        if (v instanceof Double d) {
            return format(d, env == null ? "%.6g" : string(env.get("CONVFMT"), null));
        }
        if (v instanceof StrNum s) {
            return s.text();
        }
        return String.valueOf(v);
    }

    /** A number as awk prints it: integers without a fraction, others with CONVFMT/OFMT ({@code %.6g}). */
    static String format(double d, String fmt) {
        if (d == Math.rint(d) && Math.abs(d) < 1e16) {
            return Long.toString((long) d);
        }
        return AwkFunctions.sprintf(fmt, List.of(d), null);
    }

    static Object arithmetic(String op, Object a, Object b) {
        double x = number(a);
        double y = number(b);
        return switch (op) {
            case "+" -> x + y;
            case "-" -> x - y;
            case "*" -> x * y;
            case "/" -> {
                if (y == 0) {
                    throw new ArithmeticException("division by zero");
                }
                yield x / y;
            }
            case "%" -> {
                if (y == 0) {
                    throw new ArithmeticException("division by zero in %");
                }
                yield x % y;
            }
            default -> Math.pow(x, y);
        };
    }

    static boolean compare(String op, Object a, Object b, Awk env) {
        int c;
        Double x = numericValue(a);
        Double y = numericValue(b);
        if (x != null && y != null) {
            c = Double.compare(x, y);
        } else {
            c = string(a, env).compareTo(string(b, env));
        }
        return switch (op) {
            case "<" -> c < 0;
            case "<=" -> c <= 0;
            case ">" -> c > 0;
            case ">=" -> c >= 0;
            case "==" -> c == 0;
            default -> c != 0;
        };
    }

    private static Double numericValue(Object v) {
        if (v instanceof Double d) {
            return d;
        }
        if (v instanceof StrNum s) {
            return numeric(s.text());
        }
        return null;
    }

    static void loop(Awk env, BooleanSupplier cond, Stmt body, Stmt step) {
        while (cond.getAsBoolean()) {
            try {
                body.run(env);
            } catch (Break b) {
                return;
            } catch (Continue c) {
                // next iteration
            }
            if (step != null) {
                step.run(env);
            }
        }
    }

    static void forIn(Awk env, String var, String array, Stmt body) {
        for (String key : new ArrayList<>(env.array(array).keySet())) {
            env.setVar(var, new StrNum(key));
            try {
                body.run(env);
            } catch (Break b) {
                return;
            } catch (Continue c) {
                // next key
            }
        }
    }
}
