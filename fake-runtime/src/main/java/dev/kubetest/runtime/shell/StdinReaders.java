package dev.kubetest.runtime.shell;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Set;
import java.util.zip.GZIPInputStream;

/**
 * Which commands read their standard input, and when a command has read enough of a stream that is still open to
 * go on: {@code tar} at its end-of-archive blocks, {@code head} at its count of lines or bytes; every other reader
 * at the end of input. Pure functions.
 */
final class StdinReaders {
    /** Commands that read standard input when given no file operand. */
    private static final Set<String> FILTERS = Set.of("cat", "head", "tail", "wc", "sort", "uniq", "base64", "md5sum",
            "sha256sum", "tee", "tr", "xargs", "gunzip", "gzip", "zcat");
    /** Commands whose first operand is a pattern or program, and whose later operands are files. */
    private static final Set<String> PATTERN_FILTERS = Set.of("grep", "sed", "awk", "cut");

    private StdinReaders() {}

    static boolean reads(String name, List<String> args) {
        List<String> operands = operands(args);
        if (FILTERS.contains(name)) {
            return name.equals("tee") || name.equals("tr") || name.equals("xargs")
                    || operands.isEmpty() || operands.contains("-");
        }
        if (PATTERN_FILTERS.contains(name)) {
            boolean scriptInOption = args.contains("-e") || args.contains("-f") || name.equals("cut");
            return operands.size() <= (scriptInOption ? 0 : 1) || operands.contains("-");
        }
        return switch (name) {
            case "tar" -> tarReads(args);
            case "dd" -> args.stream().noneMatch(a -> a.startsWith("if="));
            case "nc", "read" -> true;
            default -> false;
        };
    }

    private static List<String> operands(List<String> args) {
        return args.stream().filter(a -> !a.startsWith("-") || a.equals("-")).toList();
    }

    /** {@code tar x} or {@code tar t} whose archive is standard input (no {@code f}, or {@code f -}). */
    private static boolean tarReads(List<String> args) {
        if (args.isEmpty()) {
            return false;
        }
        String flags = args.get(0).replace("-", "");
        if (!flags.contains("x") && !flags.contains("t")) {
            return false;
        }
        int f = flags.indexOf('f');
        if (f < 0) {
            return true;
        }
        int fileIndex = 1 + (int) flags.substring(0, f).chars().filter(c -> c == 'C').count();
        return fileIndex < args.size() && args.get(fileIndex).equals("-");
    }

    /** Whether {@code input} (still open) already holds all a command will read. */
    static boolean enough(String name, List<String> args, String input) {
        return switch (name) {
            case "tar" -> tarComplete(ShellText.bytes(input), args.get(0).contains("z"));
            case "head" -> headSatisfied(args, input);
            default -> false;
        };
    }

    private static boolean headSatisfied(List<String> args, String input) {
        int lines = 10;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("-c") && i + 1 < args.size()) {
                return input.length() >= parse(args.get(i + 1), Integer.MAX_VALUE);
            }
            if (a.equals("-n") && i + 1 < args.size()) {
                lines = parse(args.get(i + 1), 10);
            } else if (a.matches("-\\d+")) {
                lines = parse(a.substring(1), 10);
            }
        }
        return input.chars().filter(c -> c == '\n').count() >= lines;
    }

    private static int parse(String s, int fallback) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    /** Whether the bytes hold a whole tar archive, up to its two zero blocks (gzip-compressed when {@code gz}). */
    static boolean tarComplete(byte[] data, boolean gz) {
        if (gz) {
            try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(data))) {
                return tarComplete(in.readAllBytes(), false);
            } catch (IOException e) {
                return false; // a gzip stream cut short
            }
        }
        int at = 0;
        while (at + 512 <= data.length) {
            if (zeroBlock(data, at)) {
                return at + 1024 <= data.length && zeroBlock(data, at + 512);
            }
            long size = 0;
            int i = at + 124;
            while (i < at + 136 && (data[i] == ' ' || data[i] == 0)) {
                i++;
            }
            for (; i < at + 136 && data[i] >= '0' && data[i] <= '7'; i++) {
                size = size * 8 + (data[i] - '0');
            }
            at += 512 + (int) ((size + 511) / 512) * 512;
        }
        return false;
    }

    private static boolean zeroBlock(byte[] data, int at) {
        for (int i = at; i < at + 512; i++) {
            if (data[i] != 0) {
                return false;
            }
        }
        return true;
    }
}
