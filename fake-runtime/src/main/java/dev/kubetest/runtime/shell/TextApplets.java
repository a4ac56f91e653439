package dev.kubetest.runtime.shell;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The text-processing pieces of the applets: escapes as echo -e and printf read them, printf, grep. */
final class TextApplets {
    private TextApplets() {}

    /** Backslash escapes as echo -e and printf read them: \\n \\t \\r \\a \\b \\f \\v \\\\, octal \\NNN (\\0NNN) and hex \\xHH. */
    static String unescape(String s) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\' || i + 1 >= s.length()) {
                out.append(c);
                continue;
            }
            char n = s.charAt(++i);
            switch (n) {
                case 'n' -> out.append('\n');
                case 't' -> out.append('\t');
                case 'r' -> out.append('\r');
                case 'a' -> out.append((char) 7);
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'v' -> out.append((char) 11);
                case 'x' -> {
                    int end = i + 1;
                    while (end < s.length() && end < i + 3 && Character.digit(s.charAt(end), 16) >= 0) {
                        end++;
                    }
                    out.append(end > i + 1 ? (char) Integer.parseInt(s.substring(i + 1, end), 16) : 'x');
                    i = end - 1;
                }
                default -> {
                    if (n >= '0' && n <= '7') {
                        int start = n == '0' ? i + 1 : i;
                        int end = start;
                        while (end < s.length() && end < start + 3 && s.charAt(end) >= '0' && s.charAt(end) <= '7') {
                            end++;
                        }
                        out.append(end > start ? (char) (Integer.parseInt(s.substring(start, end), 8) & 0xff) : (char) 0);
                        i = end - 1;
                    } else {
                        out.append('\\').append(n);
                    }
                }
            }
        }
        return out.toString();
    }

    static String printf(String format, List<String> args) {
        StringBuilder out = new StringBuilder();
        int argi = 0;
        do {
            for (int i = 0; i < format.length(); i++) {
                char c = format.charAt(i);
                if (c == '\\' && i + 1 < format.length()) {
                    int end = i + 2;
                    char n = format.charAt(i + 1);
                    if (n >= '0' && n <= '7' || n == 'x') {
                        while (end < format.length() && end < i + 5 && Character.digit(format.charAt(end), n == 'x' ? 16 : 8) >= 0) {
                            end++;
                        }
                    }
                    out.append(n == '\\' ? "\\" : unescape(format.substring(i, end)));
                    i = end - 1;
                } else if (c == '%' && i + 1 < format.length()) {
                    char n = format.charAt(++i);
                    if (n == '%') {
                        out.append('%');
                    } else {
                        String arg = argi < args.size() ? args.get(argi++) : "";
                        out.append(n == 'd' ? Long.toString(arg.isEmpty() ? 0 : Long.parseLong(arg.trim())) : arg);
                    }
                } else {
                    out.append(c);
                }
            }
        } while (argi > 0 && argi < args.size());
        return out.toString();
    }

    /** grep with -q -v -c -i -n -F (and -E, the default): exit 0 when a line matched, 1 when none, 2 on error. */
    static int grep(List<String> a, ShellContext ctx, Builtins.Io io) throws IOException {
        String flags = "";
        List<String> rest = new ArrayList<>();
        for (String x : a) {
            if (x.startsWith("-") && x.length() > 1 && rest.isEmpty()) {
                flags += x.substring(1);
            } else {
                rest.add(x);
            }
        }
        if (rest.isEmpty()) {
            io.err().accept("BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\nUsage: grep [-HhnlLoqvsrRiwFE] PATTERN [FILE]...\n");
            return 2;
        }
        String text;
        if (rest.size() > 1) {
            Path file = ctx.resolve(rest.get(1));
            if (!Files.isRegularFile(file)) {
                io.err().accept("grep: " + rest.get(1) + ": No such file or directory\n");
                return 2;
            }
            text = Files.readString(file, StandardCharsets.ISO_8859_1);
        } else {
            text = io.in();
        }
        String pattern = flags.contains("F") ? java.util.regex.Pattern.quote(rest.get(0)) : rest.get(0);
        java.util.regex.Pattern pat = java.util.regex.Pattern.compile(pattern,
                flags.contains("i") ? java.util.regex.Pattern.CASE_INSENSITIVE : 0);
        int count = 0;
        List<String> lines = text.lines().toList();
        StringBuilder out = new StringBuilder();
        for (int n = 0; n < lines.size(); n++) {
            String line = lines.get(n);
            if (pat.matcher(line).find() != flags.contains("v")) {
                count++;
                out.append(flags.contains("n") ? (n + 1) + ":" : "").append(line).append('\n');
            }
        }
        if (!flags.contains("q")) {
            io.out().accept(flags.contains("c") ? count + "\n" : out.toString());
        }
        return count > 0 ? 0 : 1;
    }
}
