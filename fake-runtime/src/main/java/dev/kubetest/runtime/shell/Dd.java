package dev.kubetest.runtime.shell;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * busybox {@code dd}: {@code if=} (a file, {@code /dev/zero}, {@code /dev/urandom}, stdin by default), {@code of=}
 * (a file, stdout by default), {@code bs=}, {@code count=}, {@code status=none}; a write that fails (a full tmpfs)
 * stops the copy with busybox's message and status 1. Reading an endless device needs a {@code count}.
 */
final class Dd {
    private Dd() {}

    static int run(List<String> args, ShellContext ctx, Builtins.Io io) throws IOException {
        String in = null;
        String out = null;
        long bs = 512;
        long count = -1;
        boolean quiet = false;
        for (String a : args) {
            int eq = a.indexOf('=');
            String key = eq < 0 ? a : a.substring(0, eq);
            String value = eq < 0 ? "" : a.substring(eq + 1);
            switch (key) {
                case "if" -> in = value;
                case "of" -> out = value;
                case "bs" -> bs = size(value);
                case "count" -> count = Long.parseLong(value);
                case "status" -> quiet = value.equals("none");
                default -> { }
            }
        }
        // dd allocates one block of bs bytes: a block over the container's memory limit brings the OOM killer
        if (!ctx.allocation.test(bs)) {
            return 137;
        }
        boolean device = "/dev/zero".equals(in) || "/dev/urandom".equals(in) || "/dev/random".equals(in);
        if (device && count < 0) {
            io.err().accept("dd: reading an endless device without count= is not simulated\n");
            return 1;
        }
        byte[] source = device ? null : in == null ? ShellText.bytes(io.in()) : readFile(ctx, in, io);
        if (source == null && !device) {
            return 1;
        }
        long blocks = device ? count : count < 0 ? (source.length + bs - 1) / bs : Math.min(count, (source.length + bs - 1) / bs);
        SplittableRandom random = new SplittableRandom(blocks * 31 + bs);
        long written = 0;
        long recordsOut = 0;
        String error = null;
        try (OutputStream sink = out == null ? null : Files.newOutputStream(ctx.resolve(out))) {
            StringBuilder toStdout = new StringBuilder();
            for (long i = 0; i < blocks; i++) {
                byte[] block;
                if (device) {
                    block = new byte[(int) bs];
                    if (!"/dev/zero".equals(in)) {
                        random.nextBytes(block);
                    }
                } else {
                    int from = (int) (i * bs);
                    block = java.util.Arrays.copyOfRange(source, from, (int) Math.min(source.length, from + bs));
                }
                if (sink == null) {
                    toStdout.append(ShellText.of(block));
                } else {
                    try {
                        sink.write(block);
                    } catch (IOException e) {
                        error = "dd: error writing '" + out + "': " + Builtins.errno(e);
                        break;
                    }
                }
                written += block.length;
                recordsOut++;
            }
            if (sink == null) {
                io.out().accept(toStdout.toString());
            }
        } catch (IOException e) {
            error = "dd: can't open '" + out + "': " + Builtins.errno(e);
        }
        if (error != null) {
            io.err().accept(error + "\n");
        }
        if (!quiet) {
            long recordsIn = error == null ? blocks : recordsOut + 1;
            io.err().accept(recordsIn + "+0 records in\n" + recordsOut + "+0 records out\n" + written + " bytes ("
                    + human(written) + ") copied, 0.000000 seconds, 0B/s\n");
        }
        return error == null ? 0 : 1;
    }

    private static byte[] readFile(ShellContext ctx, String name, Builtins.Io io) throws IOException {
        Path p = ctx.resolve(name);
        if (!Files.isRegularFile(p)) {
            io.err().accept("dd: can't open '" + name + "': No such file or directory\n");
            return null;
        }
        return Files.readAllBytes(p);
    }

    static long size(String value) {
        String v = value.trim();
        char unit = Character.toUpperCase(v.charAt(v.length() - 1));
        long factor = switch (unit) {
            case 'K' -> 1L << 10;
            case 'M' -> 1L << 20;
            case 'G' -> 1L << 30;
            default -> 1;
        };
        return Long.parseLong(Character.isLetter(v.charAt(v.length() - 1)) ? v.substring(0, v.length() - 1) : v) * factor;
    }

    private static String human(long bytes) {
        if (bytes >= 1L << 20) {
            return String.format(Locale.ROOT, "%.1fMB", bytes / (double) (1L << 20));
        }
        return bytes >= 1L << 10 ? String.format(Locale.ROOT, "%.1fKB", bytes / 1024.0) : bytes + "B";
    }
}
