package dev.kubetest.runtime.shell;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** The busybox applets that finish at once (everything but sleep and nested shells). Return the exit status. */
final class Applets {
    private Applets() {}

    static int run(String name, List<String> a, ShellContext ctx, Builtins.Io io) throws IOException {
        switch (name) {
            case "true", ":" -> {
                return 0;
            }
            case "false" -> {
                return 1;
            }
            case "echo" -> {
                boolean newline = true;
                boolean escapes = false;
                int i = 0;
                while (i < a.size() && (a.get(i).equals("-n") || a.get(i).equals("-e"))) {
                    newline &= !a.get(i).equals("-n");
                    escapes |= a.get(i).equals("-e");
                    i++;
                }
                String text = String.join(" ", a.subList(i, a.size()));
                io.out().accept((escapes ? TextApplets.unescape(text) : text) + (newline ? "\n" : ""));
                return 0;
            }
            case "printf" -> {
                if (a.isEmpty()) {
                    return 1;
                }
                io.out().accept(TextApplets.printf(a.get(0), a.subList(1, a.size())));
                return 0;
            }
            case "cat" -> {
                if (a.isEmpty() || a.equals(List.of("-"))) {
                    io.out().accept(io.in());
                    return 0;
                }
                int status = 0;
                for (String f : a) {
                    Path p = ctx.resolve(f);
                    if (Files.isRegularFile(p)) {
                        io.out().accept(Files.readString(p, StandardCharsets.ISO_8859_1));
                    } else {
                        io.err().accept("cat: can't open '" + f + "': No such file or directory\n");
                        status = 1;
                    }
                }
                return status;
            }
            case "touch" -> {
                for (String f : a) {
                    Path p = ctx.resolve(f);
                    if (!Files.exists(p)) {
                        if (p.getParent() != null && !Files.isDirectory(p.getParent())) {
                            io.err().accept("touch: " + f + ": No such file or directory\n");
                            return 1;
                        }
                        Files.createFile(p);
                    } else {
                        Files.setLastModifiedTime(p, java.nio.file.attribute.FileTime.from(ctx.clock.now()));
                    }
                }
                return 0;
            }
            case "rm" -> {
                boolean force = false;
                boolean recursive = false;
                int status = 0;
                for (String f : a) {
                    if (f.startsWith("-")) {
                        force |= f.contains("f");
                        recursive |= f.contains("r") || f.contains("R");
                        continue;
                    }
                    Path p = ctx.resolve(f);
                    if (!Files.exists(p)) {
                        if (!force) {
                            io.err().accept("rm: can't remove '" + f + "': No such file or directory\n");
                            status = 1;
                        }
                    } else if (Files.isDirectory(p) && !recursive) {
                        io.err().accept("rm: '" + f + "' is a directory\n");
                        status = 1;
                    } else {
                        deleteTree(p);
                    }
                }
                return status;
            }
            case "mkdir" -> {
                boolean parents = a.contains("-p");
                for (String f : a) {
                    if (f.startsWith("-")) {
                        continue;
                    }
                    Path p = ctx.resolve(f);
                    if (parents) {
                        Files.createDirectories(p);
                    } else if (Files.exists(p)) {
                        io.err().accept("mkdir: can't create directory '" + f + "': File exists\n");
                        return 1;
                    } else {
                        Files.createDirectory(p);
                    }
                }
                return 0;
            }
            case "ls" -> {
                List<String> targets = a.stream().filter(x -> !x.startsWith("-")).toList();
                int status = 0;
                for (String f : targets.isEmpty() ? List.of(".") : targets) {
                    Path p = ctx.resolve(f);
                    if (Files.isDirectory(p)) {
                        for (Path c : Builtins.list(p)) {
                            io.out().accept(ShellText.encode(c.getFileName().toString()) + "\n");
                        }
                    } else if (Files.exists(p)) {
                        io.out().accept(f + "\n");
                    } else {
                        io.err().accept("ls: " + f + ": No such file or directory\n");
                        status = 1;
                    }
                }
                return status;
            }
            case "cp", "mv" -> {
                List<String> files = a.stream().filter(x -> !x.startsWith("-")).toList();
                if (files.size() < 2) {
                    return 1;
                }
                Path target = ctx.resolve(files.get(files.size() - 1));
                for (String f : files.subList(0, files.size() - 1)) {
                    Path src = ctx.resolve(f);
                    if (!Files.exists(src)) {
                        io.err().accept(name + ": can't stat '" + f + "': No such file or directory\n");
                        return 1;
                    }
                    Path dst = Files.isDirectory(target) ? target.resolve(src.getFileName().toString()) : target;
                    if (name.equals("cp")) {
                        Files.copy(src, dst, StandardCopyOption.REPLACE_EXISTING);
                    } else {
                        Files.move(src, dst, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
                return 0;
            }
            case "test", "[" -> {
                List<String> args = new ArrayList<>(a);
                if (name.equals("[")) {
                    if (args.isEmpty() || !args.get(args.size() - 1).equals("]")) {
                        io.err().accept("sh: missing ]\n");
                        return 2;
                    }
                    args.remove(args.size() - 1);
                }
                return Test.eval(args, ctx) ? 0 : 1;
            }
            case "env", "printenv" -> {
                if (name.equals("printenv") && !a.isEmpty()) {
                    String v = ctx.vars.get(a.get(0));
                    if (v == null) {
                        return 1;
                    }
                    io.out().accept(v + "\n");
                    return 0;
                }
                ctx.vars.forEach((k, v) -> io.out().accept(k + "=" + v + "\n"));
                return 0;
            }
            case "export", "set", "readonly", "local", "ulimit", "umask" -> {
                for (String x : a) {
                    if (x.contains("=")) {
                        ctx.vars.put(x.substring(0, x.indexOf('=')), x.substring(x.indexOf('=') + 1));
                    }
                }
                return 0;
            }
            case "unset" -> {
                a.forEach(ctx.vars::remove);
                return 0;
            }
            case "hostname" -> {
                io.out().accept(ctx.vars.getOrDefault("HOSTNAME", "localhost") + "\n");
                return 0;
            }
            case "date" -> {
                String format = a.stream().filter(x -> x.startsWith("+")).findFirst().orElse(null);
                io.out().accept((format == null
                        ? DateTimeFormatter.ofPattern("EEE MMM d HH:mm:ss 'UTC' yyyy").withZone(ZoneOffset.UTC).format(ctx.clock.now())
                        : DateFormat.format(format.substring(1), ctx.clock.now())) + "\n");
                return 0;
            }
            case "expr" -> {
                long v = Arithmetic.eval(String.join(" ", a), ctx.vars);
                io.out().accept(v + "\n");
                return v == 0 ? 1 : 0;
            }
            case "seq" -> {
                long from = a.size() > 1 ? Long.parseLong(a.get(0)) : 1;
                long to = Long.parseLong(a.get(a.size() - 1));
                long step = a.size() > 2 ? Long.parseLong(a.get(1)) : 1;
                for (long i = from; step > 0 ? i <= to : i >= to; i += step) {
                    io.out().accept(i + "\n");
                }
                return 0;
            }
            case "head", "tail" -> {
                int n = 10;
                List<String> files = new ArrayList<>();
                for (int i = 0; i < a.size(); i++) {
                    if (a.get(i).equals("-n") && i + 1 < a.size()) {
                        n = Builtins.parseInt(a.get(++i), 10);
                    } else if (a.get(i).matches("-\\d+")) {
                        n = Integer.parseInt(a.get(i).substring(1));
                    } else {
                        files.add(a.get(i));
                    }
                }
                String text = files.isEmpty() ? io.in() : Files.readString(ctx.resolve(files.get(0)), StandardCharsets.ISO_8859_1);
                List<String> lines = text.lines().toList();
                List<String> sel = name.equals("head") ? lines.subList(0, Math.min(n, lines.size()))
                        : lines.subList(Math.max(0, lines.size() - n), lines.size());
                sel.forEach(l -> io.out().accept(l + "\n"));
                return 0;
            }
            case "wc" -> {
                String text = a.stream().anyMatch(x -> !x.startsWith("-"))
                        ? Files.readString(ctx.resolve(a.stream().filter(x -> !x.startsWith("-")).findFirst().orElseThrow()), StandardCharsets.ISO_8859_1)
                        : io.in();
                long value = a.contains("-l") ? text.chars().filter(c -> c == '\n').count()
                        : a.contains("-w") ? text.split("\\s+").length
                        : text.length();
                io.out().accept(value + "\n");
                return 0;
            }
            case "grep" -> {
                return TextApplets.grep(a, ctx, io);
            }
            case "tee" -> {
                for (String f : a) {
                    if (!f.startsWith("-")) {
                        Files.writeString(ctx.resolve(f), io.in(), StandardCharsets.ISO_8859_1, StandardOpenOption.CREATE,
                                a.contains("-a") ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING);
                    }
                }
                io.out().accept(io.in());
                return 0;
            }
            case "pwd" -> {
                io.out().accept(ShellText.encode(ctx.cwd.toString()) + "\n");
                return 0;
            }
            case "cd" -> {
                Path p = ctx.resolve(a.isEmpty() ? "/" : a.get(0));
                if (!Files.isDirectory(p)) {
                    io.err().accept("sh: cd: can't cd to " + (a.isEmpty() ? "/" : a.get(0)) + ": No such file or directory\n");
                    return 2;
                }
                ctx.cwd = p.normalize();
                return 0;
            }
            case "trap" -> {
                if (a.size() >= 2 && (a.contains("TERM") || a.contains("SIGTERM") || a.contains("15"))) {
                    ctx.termTrap = a.get(0);
                }
                return 0;
            }
            case "id", "whoami" -> {
                return Identity.run(name, a, ctx.uid, ctx.gid, io);
            }
            case "uname" -> {
                io.out().accept(a.contains("-a") ? "Linux kubetest 6.1.0-kubetest #1 SMP x86_64 GNU/Linux\n" : "Linux\n");
                return 0;
            }
            case "base64" -> {
                String text = a.stream().anyMatch(x -> !x.startsWith("-"))
                        ? Files.readString(ctx.resolve(a.stream().filter(x -> !x.startsWith("-")).findFirst().orElseThrow()), StandardCharsets.ISO_8859_1)
                        : io.in();
                if (a.contains("-d")) {
                    io.out().accept(ShellText.of(Base64.getMimeDecoder().decode(text.trim())));
                } else {
                    io.out().accept(Base64.getMimeEncoder(76, "\n".getBytes()).encodeToString(ShellText.bytes(text)) + "\n");
                }
                return 0;
            }
            case "stty" -> {
                int[] size = ctx.terminal;
                if (size == null) {
                    io.err().accept("stty: standard input: Not a tty\n");
                    return 1;
                }
                if (a.contains("size")) {
                    io.out().accept(size[0] + " " + size[1] + "\n");
                }
                return 0;
            }
            case "tar" -> {
                return Tar.run(a, ctx, io);
            }
            case "dd" -> {
                return Dd.run(a, ctx, io);
            }
            case "wget" -> {
                return NetApplets.wget(a, ctx, io);
            }
            case "nc" -> {
                return NetApplets.nc(a, ctx, io);
            }
            case "nslookup" -> {
                return Nslookup.run(a, ctx, io);
            }
            case "sync" -> {
                return 0;
            }
            case "kill" -> {
                return JobControl.kill(a, ctx, io);
            }
            case "jobs" -> {
                return JobControl.jobs(ctx, io);
            }
            case "ps" -> {
                return JobControl.ps(ctx, io);
            }
            case "sed" -> {
                return Sed.run(a, ctx, io);
            }
            case "awk" -> {
                return Awk.run(a, ctx, io);
            }
            case "sort" -> {
                return TextFilters.sort(a, ctx, io);
            }
            case "uniq" -> {
                return TextFilters.uniq(a, ctx, io);
            }
            case "cut" -> {
                return TextFilters.cut(a, ctx, io);
            }
            case "tr" -> {
                return TextFilters.tr(a, io);
            }
            case "basename" -> {
                return TextFilters.basename(a, io);
            }
            case "dirname" -> {
                return TextFilters.dirname(a, io);
            }
            case "find" -> {
                return FileApplets.find(a, ctx, io);
            }
            case "md5sum" -> {
                return FileApplets.digest("MD5", a, ctx, io);
            }
            case "sha256sum" -> {
                return FileApplets.digest("SHA-256", a, ctx, io);
            }
            case "stat" -> {
                return FileApplets.stat(a, ctx, io);
            }
            case "ln" -> {
                return FileApplets.ln(a, ctx, io);
            }
            case "chmod" -> {
                return FileApplets.chmod(a, ctx, io);
            }
            case "du" -> {
                return FileApplets.du(a, ctx, io);
            }
            case "df" -> {
                return FileApplets.df(a, ctx, io);
            }
            default -> {
                io.err().accept("sh: " + name + ": not found\n");
                return 127;
            }
        }
    }

    private static void deleteTree(Path p) throws IOException {
        if (Files.isDirectory(p)) {
            try (Stream<Path> s = Files.walk(p)) {
                for (Path x : s.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(x);
                }
            }
        } else {
            Files.delete(p);
        }
    }
}
