package dev.kubetest.runtime.shell;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** busybox's line filters: sort, uniq, cut, tr, and basename/dirname. Each returns the exit status. */
final class TextFilters {
    private TextFilters() {}

    /** The operands' files concatenated, or standard input when there are none (or "-"). */
    static String input(List<String> files, ShellContext ctx, Builtins.Io io, String applet) throws IOException {
        if (files.isEmpty()) {
            return io.in();
        }
        StringBuilder sb = new StringBuilder();
        for (String f : files) {
            if (f.equals("-")) {
                sb.append(io.in());
                continue;
            }
            Path p = ctx.resolve(f);
            if (!Files.isRegularFile(p)) {
                throw new IOException("can't open '" + f + "': No such file or directory");
            }
            sb.append(Files.readString(p, StandardCharsets.ISO_8859_1));
        }
        return sb.toString();
    }

    static int sort(List<String> a, ShellContext ctx, Builtins.Io io) throws IOException {
        boolean numeric = false;
        boolean reverse = false;
        boolean unique = false;
        int key = 0;
        String separator = null;
        List<String> files = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) {
            String x = a.get(i);
            if (x.equals("-k") && i + 1 < a.size()) {
                key = Builtins.parseInt(a.get(++i).split("[,.]")[0].replaceAll("[^0-9]", ""), 0);
            } else if (x.equals("-t") && i + 1 < a.size()) {
                separator = a.get(++i);
            } else if (x.startsWith("-t") && x.length() > 2) {
                separator = x.substring(2);
            } else if (x.startsWith("-k") && x.length() > 2) {
                key = Builtins.parseInt(x.substring(2).split("[,.]")[0].replaceAll("[^0-9]", ""), 0);
            } else if (x.startsWith("-") && x.length() > 1) {
                numeric |= x.contains("n");
                reverse |= x.contains("r");
                unique |= x.contains("u");
            } else {
                files.add(x);
            }
        }
        List<String> lines = new ArrayList<>(input(files, ctx, io, "sort").lines().toList());
        int k = key;
        String sep = separator;
        Comparator<String> byKey = Comparator.comparing(l -> field(l, k, sep));
        if (numeric) {
            byKey = Comparator.comparingDouble((String l) -> leadingNumber(field(l, k, sep))).thenComparing(Comparator.naturalOrder());
        } else {
            byKey = byKey.thenComparing(Comparator.naturalOrder());
        }
        lines.sort(reverse ? byKey.reversed() : byKey);
        StringBuilder out = new StringBuilder();
        String previous = null;
        for (String l : lines) {
            String compareKey = numeric ? String.valueOf(leadingNumber(field(l, k, sep))) : field(l, k, sep);
            if (unique && compareKey.equals(previous)) {
                continue;
            }
            previous = compareKey;
            out.append(l).append('\n');
        }
        io.out().accept(out.toString());
        return 0;
    }

    /** The key from field {@code key} (1-based; 0 is the whole line) to the end of the line. */
    private static String field(String line, int key, String separator) {
        if (key <= 1) {
            return key == 0 ? line : line.stripLeading();
        }
        String[] parts = separator == null ? line.trim().split("\\s+") : line.split(java.util.regex.Pattern.quote(separator), -1);
        if (key > parts.length) {
            return "";
        }
        return String.join(separator == null ? " " : separator, java.util.Arrays.copyOfRange(parts, key - 1, parts.length));
    }

    private static double leadingNumber(String s) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^\\s*(-?[0-9]*\\.?[0-9]+)").matcher(s);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    static int uniq(List<String> a, ShellContext ctx, Builtins.Io io) throws IOException {
        boolean count = false;
        boolean duplicates = false;
        boolean uniques = false;
        List<String> files = new ArrayList<>();
        for (String x : a) {
            if (x.startsWith("-") && x.length() > 1) {
                count |= x.contains("c");
                duplicates |= x.contains("d");
                uniques |= x.contains("u");
            } else {
                files.add(x);
            }
        }
        List<String> lines = input(files.isEmpty() ? List.of() : files.subList(0, 1), ctx, io, "uniq").lines().toList();
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < lines.size(); ) {
            int j = i;
            while (j < lines.size() && lines.get(j).equals(lines.get(i))) {
                j++;
            }
            int n = j - i;
            if (!(duplicates && n < 2) && !(uniques && n > 1)) {
                out.append(count ? String.format("%7d ", n) : "").append(lines.get(i)).append('\n');
            }
            i = j;
        }
        io.out().accept(out.toString());
        return 0;
    }

    static int cut(List<String> a, ShellContext ctx, Builtins.Io io) throws IOException {
        String delimiter = "\t";
        String fields = null;
        String chars = null;
        boolean onlyDelimited = false;
        List<String> files = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) {
            String x = a.get(i);
            if (x.equals("-d") && i + 1 < a.size()) {
                delimiter = a.get(++i);
            } else if (x.startsWith("-d")) {
                delimiter = x.substring(2);
            } else if (x.equals("-f") && i + 1 < a.size()) {
                fields = a.get(++i);
            } else if (x.startsWith("-f")) {
                fields = x.substring(2);
            } else if ((x.equals("-c") || x.equals("-b")) && i + 1 < a.size()) {
                chars = a.get(++i);
            } else if (x.startsWith("-c") || x.startsWith("-b")) {
                chars = x.substring(2);
            } else if (x.equals("-s")) {
                onlyDelimited = true;
            } else {
                files.add(x);
            }
        }
        if (fields == null && chars == null) {
            io.err().accept("cut: expected a list of bytes, characters, or fields\n");
            return 1;
        }
        StringBuilder out = new StringBuilder();
        for (String line : input(files, ctx, io, "cut").lines().toList()) {
            if (chars != null) {
                StringBuilder sb = new StringBuilder();
                for (int i = 1; i <= line.length(); i++) {
                    if (inList(chars, i)) {
                        sb.append(line.charAt(i - 1));
                    }
                }
                out.append(sb).append('\n');
                continue;
            }
            if (!line.contains(delimiter)) {
                if (!onlyDelimited) {
                    out.append(line).append('\n');
                }
                continue;
            }
            String[] parts = line.split(java.util.regex.Pattern.quote(delimiter), -1);
            List<String> kept = new ArrayList<>();
            for (int i = 1; i <= parts.length; i++) {
                if (inList(fields, i)) {
                    kept.add(parts[i - 1]);
                }
            }
            out.append(String.join(delimiter, kept)).append('\n');
        }
        io.out().accept(out.toString());
        return 0;
    }

    /** Whether position {@code n} is in a list such as {@code 1,3-5,7-}. */
    private static boolean inList(String list, int n) {
        for (String part : list.split(",")) {
            if (part.contains("-")) {
                String[] r = part.split("-", -1);
                int from = r[0].isEmpty() ? 1 : Builtins.parseInt(r[0], 1);
                int to = r[1].isEmpty() ? Integer.MAX_VALUE : Builtins.parseInt(r[1], Integer.MAX_VALUE);
                if (n >= from && n <= to) {
                    return true;
                }
            } else if (Builtins.parseInt(part, -1) == n) {
                return true;
            }
        }
        return false;
    }

    static int tr(List<String> a, Builtins.Io io) {
        boolean delete = false;
        boolean squeeze = false;
        List<String> sets = new ArrayList<>();
        for (String x : a) {
            if (x.startsWith("-") && x.length() > 1 && sets.isEmpty()) {
                delete |= x.contains("d");
                squeeze |= x.contains("s");
            } else {
                sets.add(x);
            }
        }
        if (sets.isEmpty()) {
            io.err().accept("tr: missing operand\n");
            return 1;
        }
        String from = expandSet(sets.get(0));
        String to = sets.size() > 1 ? expandSet(sets.get(1)) : "";
        StringBuilder out = new StringBuilder();
        char lastOut = 0;
        boolean haveLast = false;
        for (char c : io.in().toCharArray()) {
            int at = from.indexOf(c);
            char o = c;
            if (at >= 0) {
                if (delete) {
                    continue;
                }
                if (!to.isEmpty()) {
                    o = to.charAt(Math.min(at, to.length() - 1));
                }
            }
            String squeezeSet = to.isEmpty() ? from : to;
            if (squeeze && haveLast && o == lastOut && squeezeSet.indexOf(o) >= 0) {
                continue;
            }
            out.append(o);
            lastOut = o;
            haveLast = true;
        }
        io.out().accept(out.toString());
        return 0;
    }

    /** A tr set with its ranges ({@code a-z}), classes ({@code [:upper:]}) and escapes expanded. */
    static String expandSet(String set) {
        String s = set.replace("[:upper:]", "A-Z").replace("[:lower:]", "a-z").replace("[:digit:]", "0-9")
                .replace("[:alpha:]", "A-Za-z").replace("[:alnum:]", "A-Za-z0-9").replace("[:space:]", " \t\n\r\f\u000b")
                .replace("[:blank:]", " \t").replace("[:punct:]", "!-/:-@[-`{-~");
        s = TextApplets.unescape(s);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (i + 2 < s.length() && s.charAt(i + 1) == '-' && s.charAt(i + 2) >= c) {
                for (char x = c; x <= s.charAt(i + 2); x++) {
                    out.append(x);
                }
                i += 2;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    static int basename(List<String> a, Builtins.Io io) {
        if (a.isEmpty()) {
            io.err().accept("basename: missing operand\n");
            return 1;
        }
        String p = a.get(0);
        while (p.length() > 1 && p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        String base = p.equals("/") ? "/" : p.substring(p.lastIndexOf('/') + 1);
        if (a.size() > 1 && base.endsWith(a.get(1)) && !base.equals(a.get(1))) {
            base = base.substring(0, base.length() - a.get(1).length());
        }
        io.out().accept(base + "\n");
        return 0;
    }

    static int dirname(List<String> a, Builtins.Io io) {
        if (a.isEmpty()) {
            io.err().accept("dirname: missing operand\n");
            return 1;
        }
        String p = a.get(0);
        while (p.length() > 1 && p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        int slash = p.lastIndexOf('/');
        String dir = slash < 0 ? "." : slash == 0 ? "/" : p.substring(0, slash);
        while (dir.length() > 1 && dir.endsWith("/")) {
            dir = dir.substring(0, dir.length() - 1);
        }
        io.out().accept(dir + "\n");
        return 0;
    }
}
