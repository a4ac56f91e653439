package dev.kubetest.runtime.shell;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * busybox {@code sed}: {@code -n}, {@code -e} (several), {@code -i}, {@code -E}/{@code -r}, scripts of commands
 * separated by {@code ;} or newlines, each with an optional address or range (a line number, {@code $}, or
 * {@code /regex/}); the commands {@code s} (flags {@code g}, {@code p}, {@code i}/{@code I}, a number), {@code d},
 * {@code p}, {@code q}, {@code =}, {@code a}, {@code i}, {@code c} and {@code y}.
 */
final class Sed {
    private Sed() {}

    /** An address: a line number, the last line, or a regex. */
    private record Address(int line, boolean last, Pattern regex) {
        boolean matches(int n, boolean isLast, String text) {
            return regex != null ? regex.matcher(text).find() : last ? isLast : n == line;
        }
    }

    /** One command with up to two addresses; {@code inRange} is the state of a range while lines pass. */
    private static final class Command {
        Address from;
        Address to;
        boolean negate;
        char op;
        Pattern regex;
        String replacement;
        boolean global;
        boolean print;
        int occurrence = 1;
        String text;
        String ySource;
        String yTarget;
        boolean inRange;

        boolean selects(int n, boolean last, String line) {
            boolean hit;
            if (from == null) {
                hit = true;
            } else if (to == null) {
                hit = from.matches(n, last, line);
            } else if (inRange) {
                hit = true;
                if (to.regex == null ? (to.last ? last : n >= to.line) : to.matches(n, last, line)) {
                    inRange = false;
                }
            } else if (from.matches(n, last, line)) {
                hit = true;
                inRange = !(to.regex == null && !to.last && to.line <= n);
            } else {
                hit = false;
            }
            return hit != negate;
        }
    }

    static int run(List<String> a, ShellContext ctx, Builtins.Io io) throws IOException {
        boolean quiet = false;
        boolean inPlace = false;
        boolean extended = false;
        List<String> scripts = new ArrayList<>();
        List<String> files = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) {
            String x = a.get(i);
            switch (x) {
                case "-n", "--quiet", "--silent" -> quiet = true;
                case "-i" -> inPlace = true;
                case "-E", "-r" -> extended = true;
                case "-e" -> scripts.add(i + 1 < a.size() ? a.get(++i) : "");
                default -> {
                    if (x.startsWith("-") && x.length() > 1 && !x.equals("-")) {
                        quiet |= x.contains("n");
                        inPlace |= x.contains("i");
                        extended |= x.contains("E") || x.contains("r");
                    } else if (scripts.isEmpty() && files.isEmpty() && !a.contains("-e")) {
                        scripts.add(x);
                    } else {
                        files.add(x);
                    }
                }
            }
        }
        List<Command> program;
        try {
            program = parse(String.join("\n", scripts), extended);
        } catch (IllegalArgumentException e) {
            io.err().accept("sed: " + e.getMessage() + "\n");
            return 1;
        }
        if (inPlace) {
            for (String f : files) {
                Path p = ctx.resolve(f);
                if (!Files.isRegularFile(p)) {
                    io.err().accept("sed: " + f + ": No such file or directory\n");
                    return 4;
                }
                StringBuilder out = new StringBuilder();
                edit(program, Files.readString(p, StandardCharsets.ISO_8859_1), quiet, out);
                Files.writeString(p, out, StandardCharsets.ISO_8859_1);
            }
            return 0;
        }
        StringBuilder text = new StringBuilder();
        if (files.isEmpty()) {
            text.append(io.in());
        }
        for (String f : files) {
            Path p = ctx.resolve(f);
            if (!Files.isRegularFile(p)) {
                io.err().accept("sed: " + f + ": No such file or directory\n");
                return 2;
            }
            text.append(Files.readString(p, StandardCharsets.ISO_8859_1));
        }
        StringBuilder out = new StringBuilder();
        edit(program, text.toString(), quiet, out);
        io.out().accept(out.toString());
        return 0;
    }

    /** Runs the program over the text's lines, appending what it prints to {@code out}. */
    static void edit(List<Command> program, String text, boolean quiet, StringBuilder out) {
        List<String> lines = new ArrayList<>(text.lines().toList());
        boolean trailingNewline = text.endsWith("\n");
        program.forEach(c -> c.inRange = false);
        for (int n = 1; n <= lines.size(); n++) {
            String line = lines.get(n - 1);
            boolean last = n == lines.size();
            boolean deleted = false;
            boolean quit = false;
            List<String> appended = new ArrayList<>();
            for (Command c : program) {
                if (!c.selects(n, last, line)) {
                    continue;
                }
                switch (c.op) {
                    case 's' -> {
                        String replaced = substitute(c, line);
                        if (replaced != null) {
                            line = replaced;
                            if (c.print) {
                                out.append(line).append('\n');
                            }
                        }
                    }
                    case 'd' -> deleted = true;
                    case 'p' -> out.append(line).append('\n');
                    case '=' -> out.append(n).append('\n');
                    case 'a' -> appended.add(c.text);
                    case 'i' -> out.append(c.text).append('\n');
                    case 'c' -> {
                        out.append(c.text).append('\n');
                        deleted = true;
                    }
                    case 'y' -> {
                        StringBuilder sb = new StringBuilder(line);
                        for (int k = 0; k < sb.length(); k++) {
                            int at = c.ySource.indexOf(sb.charAt(k));
                            if (at >= 0) {
                                sb.setCharAt(k, c.yTarget.charAt(at));
                            }
                        }
                        line = sb.toString();
                    }
                    case 'q' -> quit = true;
                    default -> { }
                }
                if (deleted || quit) {
                    break;
                }
            }
            if (!deleted && !quiet) {
                out.append(line).append(last && !trailingNewline && appended.isEmpty() ? "" : "\n");
            }
            appended.forEach(t -> out.append(t).append('\n'));
            if (quit) {
                return;
            }
        }
    }

    private static String substitute(Command c, String line) {
        Matcher m = c.regex.matcher(line);
        StringBuilder sb = new StringBuilder();
        int count = 0;
        boolean any = false;
        int at = 0;
        while (m.find()) {
            count++;
            if (count >= c.occurrence && (c.global || count == c.occurrence)) {
                sb.append(line, at, m.start());
                sb.append(expand(c.replacement, m));
                at = m.end();
                any = true;
                if (!c.global) {
                    break;
                }
            }
            if (m.end() == m.start() && m.end() >= line.length()) {
                break;
            }
        }
        if (!any) {
            return null;
        }
        sb.append(line.substring(at));
        return sb.toString();
    }

    /** A Java-form replacement ($0, $1..) applied to the current match. */
    private static String expand(String replacement, Matcher m) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < replacement.length(); i++) {
            char c = replacement.charAt(i);
            if (c == '\\' && i + 1 < replacement.length()) {
                out.append(replacement.charAt(++i));
            } else if (c == '$' && i + 1 < replacement.length() && Character.isDigit(replacement.charAt(i + 1))) {
                int g = replacement.charAt(++i) - '0';
                String v = g <= m.groupCount() ? m.group(g) : "";
                out.append(v == null ? "" : v);
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    static List<Command> parse(String script, boolean extended) {
        List<Command> out = new ArrayList<>();
        int[] pos = {0};
        while (true) {
            skip(script, pos, " \t\n;");
            if (pos[0] >= script.length()) {
                return out;
            }
            Command c = new Command();
            c.from = address(script, pos, extended);
            if (c.from != null && pos[0] < script.length() && script.charAt(pos[0]) == ',') {
                pos[0]++;
                c.to = address(script, pos, extended);
            }
            skip(script, pos, " \t");
            if (pos[0] < script.length() && script.charAt(pos[0]) == '!') {
                c.negate = true;
                pos[0]++;
                skip(script, pos, " \t");
            }
            if (pos[0] >= script.length()) {
                throw new IllegalArgumentException("missing command");
            }
            c.op = script.charAt(pos[0]++);
            switch (c.op) {
                case 's' -> {
                    char delim = script.charAt(pos[0]++);
                    String regex = until(script, pos, delim);
                    c.replacement = Regexes.replacement(until(script, pos, delim));
                    boolean ignoreCase = false;
                    while (pos[0] < script.length() && "gpiI0123456789".indexOf(script.charAt(pos[0])) >= 0) {
                        char f = script.charAt(pos[0]++);
                        if (f == 'g') {
                            c.global = true;
                        } else if (f == 'p') {
                            c.print = true;
                        } else if (f == 'i' || f == 'I') {
                            ignoreCase = true;
                        } else {
                            c.occurrence = f - '0';
                        }
                    }
                    c.regex = Regexes.compile(regex, extended, ignoreCase);
                }
                case 'y' -> {
                    char delim = script.charAt(pos[0]++);
                    c.ySource = until(script, pos, delim);
                    c.yTarget = until(script, pos, delim);
                    if (c.ySource.length() != c.yTarget.length()) {
                        throw new IllegalArgumentException("strings for y command are different lengths");
                    }
                }
                case 'a', 'i', 'c' -> {
                    if (pos[0] < script.length() && script.charAt(pos[0]) == '\\') {
                        pos[0]++;
                    }
                    skip(script, pos, " \t\n");
                    int end = script.indexOf('\n', pos[0]);
                    end = end < 0 ? script.length() : end;
                    c.text = script.substring(pos[0], end);
                    pos[0] = end;
                }
                case 'd', 'p', 'q', '=' -> { }
                default -> throw new IllegalArgumentException("unsupported command " + c.op);
            }
            out.add(c);
        }
    }

    private static Address address(String s, int[] pos, boolean extended) {
        if (pos[0] >= s.length()) {
            return null;
        }
        char c = s.charAt(pos[0]);
        if (Character.isDigit(c)) {
            int start = pos[0];
            while (pos[0] < s.length() && Character.isDigit(s.charAt(pos[0]))) {
                pos[0]++;
            }
            return new Address(Integer.parseInt(s.substring(start, pos[0])), false, null);
        }
        if (c == '$') {
            pos[0]++;
            return new Address(0, true, null);
        }
        if (c == '/' || c == '\\') {
            char delim = c == '\\' ? s.charAt(++pos[0]) : '/';
            pos[0]++;
            return new Address(0, false, Regexes.compile(until(s, pos, delim), extended, false));
        }
        return null;
    }

    /** The text up to an unescaped {@code delim} (an escaped delimiter loses its backslash); moves past it. */
    private static String until(String s, int[] pos, char delim) {
        StringBuilder sb = new StringBuilder();
        while (pos[0] < s.length() && s.charAt(pos[0]) != delim) {
            char c = s.charAt(pos[0]);
            if (c == '\\' && pos[0] + 1 < s.length()) {
                char n = s.charAt(pos[0] + 1);
                if (n == delim) {
                    sb.append(n);
                } else {
                    sb.append(c).append(n);
                }
                pos[0] += 2;
                continue;
            }
            sb.append(c);
            pos[0]++;
        }
        if (pos[0] >= s.length()) {
            throw new IllegalArgumentException("unmatched '" + delim + "'");
        }
        pos[0]++;
        return sb.toString();
    }

    private static void skip(String s, int[] pos, String chars) {
        while (pos[0] < s.length() && chars.indexOf(s.charAt(pos[0])) >= 0) {
            pos[0]++;
        }
    }
}
