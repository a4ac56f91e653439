package dev.kubetest.runtime.shell;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/** busybox's file applets over the container's filesystem: find, md5sum/sha256sum, stat, ln, chmod, du, df. */
final class FileApplets {
    private static final PosixFilePermission[] BITS = {
        PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
        PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
        PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ};

    private FileApplets() {}

    /** {@code find [PATH...] [-name GLOB] [-iname GLOB] [-type f|d|l] [-maxdepth N] [-mindepth N] [-print]}. */
    static int find(List<String> a, ShellContext ctx, Builtins.Io io) throws IOException {
        List<String> roots = new ArrayList<>();
        int i = 0;
        while (i < a.size() && !a.get(i).startsWith("-") && !a.get(i).equals("!")) {
            roots.add(a.get(i++));
        }
        if (roots.isEmpty()) {
            roots.add(".");
        }
        String name = null;
        boolean ignoreCase = false;
        String type = null;
        int maxDepth = Integer.MAX_VALUE;
        int minDepth = 0;
        for (; i < a.size(); i++) {
            switch (a.get(i)) {
                case "-name" -> name = a.get(++i);
                case "-iname" -> {
                    name = a.get(++i);
                    ignoreCase = true;
                }
                case "-type" -> type = a.get(++i);
                case "-maxdepth" -> maxDepth = Builtins.parseInt(a.get(++i), Integer.MAX_VALUE);
                case "-mindepth" -> minDepth = Builtins.parseInt(a.get(++i), 0);
                case "-print" -> { }
                default -> {
                    io.err().accept("find: unrecognized: " + a.get(i) + "\n");
                    return 1;
                }
            }
        }
        int status = 0;
        StringBuilder out = new StringBuilder();
        for (String root : roots) {
            Path start = ctx.resolve(root);
            if (!Files.exists(start, LinkOption.NOFOLLOW_LINKS)) {
                io.err().accept("find: " + root + ": No such file or directory\n");
                status = 1;
                continue;
            }
            try (Stream<Path> walk = Files.walk(start, maxDepth)) {
                for (Path p : walk.sorted().toList()) {
                    int depth = start.relativize(p).toString().isEmpty() ? 0 : start.relativize(p).getNameCount();
                    if (depth < minDepth) {
                        continue;
                    }
                    String base = p.getFileName() == null ? "/" : p.getFileName().toString();
                    if (depth == 0) {
                        base = root.replaceAll("/+$", "").replaceAll(".*/", "");
                    }
                    if (name != null && !Expansion.glob(ignoreCase ? name.toLowerCase() : name,
                            ignoreCase ? base.toLowerCase() : base)) {
                        continue;
                    }
                    if (type != null && !matchesType(p, type)) {
                        continue;
                    }
                    String shown = depth == 0 ? root
                            : (root.endsWith("/") ? root : root + "/") + start.relativize(p).toString();
                    out.append(shown).append('\n');
                }
            }
        }
        io.out().accept(out.toString());
        return status;
    }

    private static boolean matchesType(Path p, String type) {
        return switch (type) {
            case "f" -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS);
            case "d" -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS);
            case "l" -> Files.isSymbolicLink(p);
            default -> false;
        };
    }

    /** {@code md5sum}/{@code sha256sum [-c] [FILE...]}: digests of files or stdin, in coreutils' format. */
    static int digest(String algorithm, List<String> a, ShellContext ctx, Builtins.Io io) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IOException(e.getMessage());
        }
        List<String> files = a.stream().filter(x -> !x.startsWith("-") || x.equals("-")).toList();
        if (a.contains("-c")) {
            return check(md, files, ctx, io);
        }
        if (files.isEmpty()) {
            io.out().accept(hex(md, io.in()) + "  -\n");
            return 0;
        }
        int status = 0;
        for (String f : files) {
            Path p = ctx.resolve(f);
            if (f.equals("-")) {
                io.out().accept(hex(md, io.in()) + "  -\n");
            } else if (!Files.isRegularFile(p)) {
                io.err().accept(algorithm.toLowerCase().replace("-", "") + "sum: can't open '" + f
                        + "': No such file or directory\n");
                status = 1;
            } else {
                io.out().accept(hex(md, Files.readString(p, StandardCharsets.ISO_8859_1)) + "  " + f + "\n");
            }
        }
        return status;
    }

    private static int check(MessageDigest md, List<String> files, ShellContext ctx, Builtins.Io io) throws IOException {
        String list = TextFilters.input(files, ctx, io, "sum");
        int failed = 0;
        for (String line : list.lines().toList()) {
            String[] parts = line.trim().split("\\s+\\*?", 2);
            if (parts.length < 2) {
                continue;
            }
            Path p = ctx.resolve(parts[1]);
            boolean ok = Files.isRegularFile(p) && hex(md, Files.readString(p, StandardCharsets.ISO_8859_1)).equals(parts[0]);
            io.out().accept(parts[1] + ": " + (ok ? "OK" : "FAILED") + "\n");
            failed += ok ? 0 : 1;
        }
        return failed == 0 ? 0 : 1;
    }

    private static String hex(MessageDigest md, String bytes) {
        md.reset();
        return HexFormat.of().formatHex(md.digest(bytes.getBytes(StandardCharsets.ISO_8859_1)));
    }

    /** {@code stat [-c FORMAT] FILE...}: %n %s %a %A %F %U %G %u %g %Y %i %h, or busybox's default layout. */
    static int stat(List<String> a, ShellContext ctx, Builtins.Io io) throws IOException {
        String format = null;
        List<String> files = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) {
            if ((a.get(i).equals("-c") || a.get(i).equals("--format")) && i + 1 < a.size()) {
                format = a.get(++i);
            } else if (a.get(i).startsWith("-c") && a.get(i).length() > 2) {
                format = a.get(i).substring(2);
            } else {
                files.add(a.get(i));
            }
        }
        int status = 0;
        for (String f : files) {
            Path p = ctx.resolve(f);
            if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                io.err().accept("stat: can't stat '" + f + "': No such file or directory\n");
                status = 1;
                continue;
            }
            String fmt = format != null ? format
                    : "  File: %n\n  Size: %s\tBlocks: %b\tIO Block: 4096\t%F\nAccess: (%a/%A)\tUid: (%u/%U)\tGid: (%g/%G)\n";
            io.out().accept(render(fmt, f, p) + (format != null ? "\n" : ""));
        }
        return status;
    }

    private static String render(String fmt, String shown, Path p) throws IOException {
        StringBuilder out = new StringBuilder();
        long size = Files.isDirectory(p) ? 4096 : Files.size(p);
        int mode = mode(p);
        for (int i = 0; i < fmt.length(); i++) {
            char c = fmt.charAt(i);
            if (c != '%' || i + 1 >= fmt.length()) {
                out.append(c);
                continue;
            }
            char k = fmt.charAt(++i);
            switch (k) {
                case 'n' -> out.append(shown);
                case 's' -> out.append(size);
                case 'b' -> out.append((size + 511) / 512);
                case 'a' -> out.append(Integer.toOctalString(mode));
                case 'A' -> out.append(symbolic(p, mode));
                case 'F' -> out.append(Files.isSymbolicLink(p) ? "symbolic link" : Files.isDirectory(p) ? "directory"
                        : size == 0 ? "regular empty file" : "regular file");
                case 'U', 'G' -> out.append("root");
                case 'u', 'g' -> out.append('0');
                case 'Y' -> out.append(Files.getLastModifiedTime(p).toInstant().getEpochSecond());
                case 'h' -> out.append(1);
                case 'i' -> out.append(Math.abs(p.toString().hashCode()));
                case '%' -> out.append('%');
                default -> out.append('%').append(k);
            }
        }
        return out.toString();
    }

    static int mode(Path p) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(p, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
        if (view == null) {
            return Files.isDirectory(p) ? 0755 : 0644;
        }
        Set<PosixFilePermission> perms = view.readAttributes().permissions();
        int mode = 0;
        for (int b = 0; b < BITS.length; b++) {
            if (perms.contains(BITS[b])) {
                mode |= 1 << b;
            }
        }
        return mode;
    }

    private static String symbolic(Path p, int mode) {
        StringBuilder s = new StringBuilder(Files.isSymbolicLink(p) ? "l" : Files.isDirectory(p) ? "d" : "-");
        String rwx = "rwxrwxrwx";
        for (int b = 8; b >= 0; b--) {
            s.append((mode & (1 << b)) != 0 ? rwx.charAt(8 - b) : '-');
        }
        return s.toString();
    }

    /** {@code chmod [-R] MODE FILE...}: octal modes and symbolic ones ({@code u+x}, {@code go-w}, {@code a=r}). */
    static int chmod(List<String> a, ShellContext ctx, Builtins.Io io) throws IOException {
        boolean recursive = a.contains("-R");
        List<String> rest = a.stream().filter(x -> !x.equals("-R")).toList();
        if (rest.size() < 2) {
            io.err().accept("chmod: missing operand\n");
            return 1;
        }
        String spec = rest.get(0);
        int status = 0;
        for (String f : rest.subList(1, rest.size())) {
            Path p = ctx.resolve(f);
            if (!Files.exists(p)) {
                io.err().accept("chmod: " + f + ": No such file or directory\n");
                status = 1;
                continue;
            }
            List<Path> targets = new ArrayList<>();
            if (recursive) {
                try (Stream<Path> walk = Files.walk(p)) {
                    walk.forEach(targets::add);
                }
            } else {
                targets.add(p);
            }
            for (Path t : targets) {
                Integer mode = applyMode(spec, mode(t));
                if (mode == null) {
                    io.err().accept("chmod: invalid mode '" + spec + "'\n");
                    return 1;
                }
                setMode(t, mode);
            }
        }
        return status;
    }

    /** The mode after applying {@code spec} to {@code current}, or null when the spec is not a mode. */
    static Integer applyMode(String spec, int current) {
        if (spec.matches("[0-7]{1,4}")) {
            return Integer.parseInt(spec, 8) & 07777;
        }
        int mode = current;
        for (String clause : spec.split(",")) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("([ugoa]*)([-+=])([rwxX]*)").matcher(clause);
            if (!m.matches()) {
                return null;
            }
            String who = m.group(1).isEmpty() ? "a" : m.group(1);
            int bits = 0;
            for (char c : m.group(3).toCharArray()) {
                bits |= c == 'r' ? 4 : c == 'w' ? 2 : 1;
            }
            int mask = 0;
            int value = 0;
            for (char w : who.toCharArray()) {
                int shift = w == 'u' ? 6 : w == 'g' ? 3 : w == 'o' ? 0 : -1;
                if (shift < 0) {
                    mask |= 0777;
                    value |= bits << 6 | bits << 3 | bits;
                } else {
                    mask |= 7 << shift;
                    value |= bits << shift;
                }
            }
            switch (m.group(2)) {
                case "+" -> mode |= value;
                case "-" -> mode &= ~value;
                default -> mode = (mode & ~mask) | value;
            }
        }
        return mode;
    }

    static void setMode(Path p, int mode) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(p, PosixFileAttributeView.class);
        if (view == null) {
            return;
        }
        Set<PosixFilePermission> perms = EnumSet.noneOf(PosixFilePermission.class);
        for (int b = 0; b < BITS.length; b++) {
            if ((mode & (1 << b)) != 0) {
                perms.add(BITS[b]);
            }
        }
        view.setPermissions(perms);
    }

    /** {@code ln [-s] [-f] TARGET LINK}: a symbolic link, or a copy standing in for a hard link. */
    static int ln(List<String> a, ShellContext ctx, Builtins.Io io) throws IOException {
        boolean symbolic = a.stream().anyMatch(x -> x.startsWith("-") && x.contains("s"));
        boolean force = a.stream().anyMatch(x -> x.startsWith("-") && x.contains("f"));
        List<String> rest = a.stream().filter(x -> !x.startsWith("-")).toList();
        if (rest.size() != 2) {
            io.err().accept("ln: missing operand\n");
            return 1;
        }
        Path link = ctx.resolve(rest.get(1));
        if (Files.isDirectory(link)) {
            link = link.resolve(rest.get(0).replaceAll(".*/", ""));
        }
        if (Files.exists(link, LinkOption.NOFOLLOW_LINKS)) {
            if (!force) {
                io.err().accept("ln: " + rest.get(1) + ": File exists\n");
                return 1;
            }
            Files.delete(link);
        }
        if (symbolic) {
            Files.createSymbolicLink(link, link.getFileSystem().getPath(ShellText.decode(rest.get(0))));
        } else {
            Path target = ctx.resolve(rest.get(0));
            if (!Files.exists(target)) {
                io.err().accept("ln: " + rest.get(0) + ": No such file or directory\n");
                return 1;
            }
            Files.createLink(link, target);
        }
        return 0;
    }

    /** {@code du [-s] [-h] [-k] [PATH...]}: kilobytes used, per directory or summarised. */
    static int du(List<String> a, ShellContext ctx, Builtins.Io io) throws IOException {
        boolean summary = a.stream().anyMatch(x -> x.startsWith("-") && x.contains("s"));
        boolean human = a.stream().anyMatch(x -> x.startsWith("-") && x.contains("h"));
        List<String> roots = a.stream().filter(x -> !x.startsWith("-")).toList();
        if (roots.isEmpty()) {
            roots = List.of(".");
        }
        StringBuilder out = new StringBuilder();
        for (String root : roots) {
            Path start = ctx.resolve(root);
            if (!Files.exists(start)) {
                io.err().accept("du: " + root + ": No such file or directory\n");
                return 1;
            }
            List<Path> dirs = new ArrayList<>();
            if (!summary && Files.isDirectory(start)) {
                try (Stream<Path> walk = Files.walk(start)) {
                    walk.filter(Files::isDirectory).forEach(dirs::add);
                }
                java.util.Collections.reverse(dirs);
            } else {
                dirs.add(start);
            }
            for (Path d : dirs) {
                long kb = kilobytes(d);
                String shown = d.equals(start) ? root : (root.endsWith("/") ? root : root + "/") + start.relativize(d);
                out.append(human ? humanSize(kb * 1024) : Long.toString(kb)).append('\t').append(shown).append('\n');
            }
        }
        io.out().accept(out.toString());
        return 0;
    }

    private static long kilobytes(Path p) throws IOException {
        if (!Files.isDirectory(p)) {
            return Math.max(4, (Files.size(p) + 4095) / 4096 * 4);
        }
        long total = 0;
        try (Stream<Path> walk = Files.walk(p)) {
            for (Path x : walk.toList()) {
                total += Files.isDirectory(x) ? 4 : (Files.size(x) + 4095) / 4096 * 4;
            }
        }
        return total;
    }

    static String humanSize(long bytes) {
        if (bytes < 1024) {
            return bytes + "";
        }
        String units = "KMGT";
        double v = bytes;
        int u = -1;
        while (v >= 1024 && u < units.length() - 1) {
            v /= 1024;
            u++;
        }
        return (v < 10 && v != Math.floor(v) ? String.format(java.util.Locale.ROOT, "%.1f", v)
                : String.valueOf(Math.round(v))) + units.charAt(u);
    }

    /** {@code df [-h] [-k]}: the container's root filesystem (the node's ephemeral storage, as overlay). */
    static int df(List<String> a, ShellContext ctx, Builtins.Io io) throws IOException {
        boolean human = a.stream().anyMatch(x -> x.startsWith("-") && x.contains("h"));
        long total = 100L * 1024 * 1024 * 1024;
        long used = kilobytes(ctx.resolve("/")) * 1024;
        long free = total - used;
        String head = human ? "Filesystem                Size      Used Available Use% Mounted on\n"
                : "Filesystem           1K-blocks      Used Available Use% Mounted on\n";
        String row = human
                ? String.format("%-20s %9s %9s %9s %3d%% %s%n", "overlay", humanSize(total), humanSize(used), humanSize(free),
                        Math.max(1, used * 100 / total), "/")
                : String.format("%-20s %9d %9d %9d %3d%% %s%n", "overlay", total / 1024, used / 1024, free / 1024,
                        Math.max(1, used * 100 / total), "/");
        io.out().accept(head + row);
        return 0;
    }
}
