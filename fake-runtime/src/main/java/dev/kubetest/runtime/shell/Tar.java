package dev.kubetest.runtime.shell;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * busybox {@code tar}: create ({@code c}), extract ({@code x}) and list ({@code t}) with {@code f} (an archive
 * file, {@code -} for stdin/stdout), {@code C} (a directory), {@code z} (gzip), {@code v}, and the flags kubectl
 * cp passes ({@code m}, {@code o}, {@code p}), in bundled ({@code cf}) or dashed ({@code -xmf}) form. Archives are
 * ustar with POSIX extended headers for long names, as busybox and GNU tar read them; modes and modification
 * times are kept. Leading slashes are removed from member names, with busybox's message.
 */
final class Tar {
    private Tar() {}

    private record Options(char mode, String archive, String directory, boolean gzip, boolean verbose, List<String> paths) {}

    static int run(List<String> args, ShellContext ctx, Builtins.Io io) throws IOException {
        Options o;
        try {
            o = parse(args);
        } catch (IllegalArgumentException e) {
            io.err().accept("tar: " + e.getMessage() + "\n");
            return 1;
        }
        if (o.directory() != null && !Files.isDirectory(ctx.resolve(o.directory()))) {
            io.err().accept("tar: can't change directory to '" + o.directory() + "': No such file or directory\n");
            return 1;
        }
        return switch (o.mode()) {
            case 'c' -> create(o, ctx, io);
            case 'x', 't' -> extract(o, ctx, io);
            default -> {
                io.err().accept("tar: need one of -c, -x or -t\n");
                yield 1;
            }
        };
    }

    private static Options parse(List<String> args) {
        char mode = 0;
        String archive = null;
        String directory = null;
        boolean gzip = false;
        boolean verbose = false;
        List<String> paths = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            boolean bundle = a.startsWith("-") && !a.startsWith("--") && a.length() > 1 || i == 0 && !a.startsWith("-");
            if (a.startsWith("--")) {
                continue;
            }
            if (!bundle) {
                paths.add(a);
                continue;
            }
            for (char c : a.replaceFirst("^-", "").toCharArray()) {
                switch (c) {
                    case 'c', 'x', 't' -> mode = c;
                    case 'f' -> archive = next(args, ++i, c);
                    case 'C' -> directory = next(args, ++i, c);
                    case 'z' -> gzip = true;
                    case 'v' -> verbose = true;
                    case 'm', 'o', 'p', 'h' -> { }
                    default -> throw new IllegalArgumentException("invalid option -- '" + c + "'");
                }
            }
        }
        return new Options(mode, archive, directory, gzip, verbose, paths);
    }

    private static String next(List<String> args, int i, char flag) {
        if (i >= args.size()) {
            throw new IllegalArgumentException("option requires an argument -- '" + flag + "'");
        }
        return args.get(i);
    }

    /** A path as the shell names it, relative to {@code -C} when given (paths stay byte strings until resolved). */
    private static Path resolve(ShellContext ctx, Options o, String path) {
        return ctx.resolve(o.directory() == null || path.startsWith("/") ? path : o.directory() + "/" + path);
    }

    private static int create(Options o, ShellContext ctx, Builtins.Io io) throws IOException {
        if (o.paths().isEmpty()) {
            io.err().accept("tar: empty archive\n");
            return 1;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int status = 0;
        boolean warned = false;
        try (OutputStream raw = o.gzip() ? new GZIPOutputStream(bytes) : bytes;
             TarArchiveOutputStream tar = new TarArchiveOutputStream(raw)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            for (String p : o.paths()) {
                String text = ShellText.decode(p);
                String member = text.replaceFirst("^/+", "");
                if (!member.equals(text) && !warned) {
                    io.err().accept("tar: removing leading '/' from member names\n");
                    warned = true;
                }
                Path source = resolve(ctx, o, p);
                if (!Files.exists(source, LinkOption.NOFOLLOW_LINKS)) {
                    io.err().accept("tar: " + p + ": No such file or directory\n");
                    status = 1;
                    continue;
                }
                List<Path> all;
                try (Stream<Path> walk = Files.walk(source)) {
                    all = walk.sorted().toList();
                }
                for (Path file : all) {
                    String rel = source.relativize(file).toString();
                    String name = rel.isEmpty() ? member : (member.isEmpty() ? rel : member.replaceFirst("/+$", "") + "/" + rel);
                    add(tar, file, name);
                    if (o.verbose()) {
                        io.err().accept(ShellText.encode(name) + "\n");
                    }
                }
            }
        }
        if (o.archive() == null || o.archive().equals("-")) {
            io.out().accept(ShellText.of(bytes.toByteArray()));
        } else {
            Files.write(ctx.resolve(o.archive()), bytes.toByteArray());
        }
        if (status != 0) {
            io.err().accept("tar: error exit delayed from previous errors\n");
        }
        return status;
    }

    private static void add(TarArchiveOutputStream tar, Path file, String name) throws IOException {
        boolean directory = Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS);
        TarArchiveEntry entry;
        if (Files.isSymbolicLink(file)) {
            entry = new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK);
            entry.setLinkName(Files.readSymbolicLink(file).toString());
        } else {
            entry = new TarArchiveEntry(directory ? name + "/" : name);
            if (!directory) {
                entry.setSize(Files.size(file));
            }
        }
        entry.setMode((directory ? 040000 : 0100000) | mode(file, directory ? 0755 : 0644));
        entry.setModTime(Files.getLastModifiedTime(file, LinkOption.NOFOLLOW_LINKS));
        entry.setUserName("root");
        entry.setGroupName("root");
        tar.putArchiveEntry(entry);
        if (!directory && !Files.isSymbolicLink(file)) {
            tar.write(Files.readAllBytes(file));
        }
        tar.closeArchiveEntry();
    }

    private static int mode(Path file, int fallback) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
        if (view == null) {
            return fallback;
        }
        int mode = 0;
        for (PosixFilePermission p : view.readAttributes().permissions()) {
            mode |= 1 << (8 - p.ordinal());
        }
        return mode;
    }

    private static int extract(Options o, ShellContext ctx, Builtins.Io io) throws IOException {
        byte[] archive = o.archive() == null || o.archive().equals("-") ? ShellText.bytes(io.in())
                : Files.readAllBytes(ctx.resolve(o.archive()));
        try (InputStream raw = o.gzip() ? new GZIPInputStream(new ByteArrayInputStream(archive)) : new ByteArrayInputStream(archive);
             TarArchiveInputStream tar = new TarArchiveInputStream(raw)) {
            for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
                String name = e.getName().replaceFirst("^/+", "");
                if (o.mode() == 't' || o.verbose()) {
                    (o.mode() == 't' ? io.out() : io.err()).accept(ShellText.encode(name) + "\n");
                }
                if (o.mode() == 't') {
                    continue;
                }
                if (name.equals("..") || name.startsWith("../") || name.contains("/../") || name.endsWith("/..")) {
                    io.err().accept("tar: skipping unsafe path " + ShellText.encode(name) + "\n");
                    continue;
                }
                Path target = resolve(ctx, o, ShellText.encode(name.isEmpty() ? "." : name));
                if (e.isDirectory()) {
                    Files.createDirectories(target);
                } else if (e.isSymbolicLink()) {
                    Files.createDirectories(target.getParent());
                    Files.deleteIfExists(target);
                    Files.createSymbolicLink(target, target.getFileSystem().getPath(e.getLinkName()));
                    continue;
                } else {
                    Files.createDirectories(target.getParent());
                    Files.write(target, tar.readAllBytes());
                }
                permissions(target, e.getMode());
                Files.setLastModifiedTime(target, e.getLastModifiedTime());
            }
        } catch (IOException e) {
            io.err().accept("tar: short read\n");
            return 1;
        }
        return 0;
    }

    private static void permissions(Path target, int mode) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(target, PosixFileAttributeView.class);
        if (view == null) {
            return;
        }
        Set<PosixFilePermission> perms = EnumSet.noneOf(PosixFilePermission.class);
        for (PosixFilePermission p : PosixFilePermission.values()) {
            if ((mode & (1 << (8 - p.ordinal()))) != 0) {
                perms.add(p);
            }
        }
        view.setPermissions(perms);
    }
}
