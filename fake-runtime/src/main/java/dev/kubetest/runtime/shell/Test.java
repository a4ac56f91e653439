package dev.kubetest.runtime.shell;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** {@code test} / {@code [}: file tests, string tests and integer comparisons, with {@code !}, {@code -a}, {@code -o}. */
final class Test {
    private Test() {}

    static boolean eval(List<String> a, ShellContext ctx) {
        int or = a.indexOf("-o");
        if (or > 0) {
            return eval(a.subList(0, or), ctx) || eval(a.subList(or + 1, a.size()), ctx);
        }
        int and = a.indexOf("-a");
        if (and > 0) {
            return eval(a.subList(0, and), ctx) && eval(a.subList(and + 1, a.size()), ctx);
        }
        if (!a.isEmpty() && a.get(0).equals("!")) {
            return !eval(a.subList(1, a.size()), ctx);
        }
        switch (a.size()) {
            case 0:
                return false;
            case 1:
                return !a.get(0).isEmpty();
            case 2: {
                String op = a.get(0);
                Path p = ctx.resolve(a.get(1));
                return switch (op) {
                    case "-e" -> Files.exists(p);
                    case "-f" -> Files.isRegularFile(p);
                    case "-d" -> Files.isDirectory(p);
                    case "-s" -> Files.isRegularFile(p) && size(p) > 0;
                    case "-r", "-w" -> Files.exists(p);
                    case "-x" -> Files.isExecutable(p);
                    case "-z" -> a.get(1).isEmpty();
                    case "-n" -> !a.get(1).isEmpty();
                    default -> false;
                };
            }
            default: {
                String l = a.get(0);
                String op = a.get(1);
                String r = a.get(2);
                return switch (op) {
                    case "=", "==" -> l.equals(r);
                    case "!=" -> !l.equals(r);
                    case "-eq" -> num(l) == num(r);
                    case "-ne" -> num(l) != num(r);
                    case "-gt" -> num(l) > num(r);
                    case "-ge" -> num(l) >= num(r);
                    case "-lt" -> num(l) < num(r);
                    case "-le" -> num(l) <= num(r);
                    default -> false;
                };
            }
        }
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (java.io.IOException e) {
            return 0;
        }
    }

    private static long num(String s) {
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
