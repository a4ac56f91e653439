package dev.kubetest.runtime.shell;

import java.util.List;

/**
 * {@code id} ({@code -u}, {@code -g}, {@code -n}) and {@code whoami} for the process's uid and gid, named from the
 * busybox image's /etc/passwd and /etc/group (root, daemon, bin, sys, ..., nobody); other ids have no name.
 */
final class Identity {
    private Identity() {}

    static String userName(int uid) {
        return switch (uid) {
            case 0 -> "root";
            case 1 -> "daemon";
            case 2 -> "bin";
            case 3 -> "sys";
            case 8 -> "mail";
            case 33 -> "www-data";
            case 65534 -> "nobody";
            default -> null;
        };
    }

    static String groupName(int gid) {
        return switch (gid) {
            case 0 -> "root";
            case 1 -> "daemon";
            case 2 -> "bin";
            case 3 -> "sys";
            case 33 -> "www-data";
            case 65534 -> "nogroup";
            default -> null;
        };
    }

    static int run(String name, List<String> args, int uid, int gid, Builtins.Io io) {
        boolean names = args.stream().anyMatch(x -> x.startsWith("-") && x.contains("n"));
        boolean user = name.equals("whoami") || args.stream().anyMatch(x -> x.startsWith("-") && x.contains("u"));
        boolean group = args.stream().anyMatch(x -> x.startsWith("-") && x.contains("g"));
        if (user || group) {
            int id = user ? uid : gid;
            String named = user ? userName(id) : groupName(id);
            if (names || name.equals("whoami")) {
                if (named == null) {
                    io.err().accept(name + ": unknown " + (user ? "uid " : "gid ") + id + "\n");
                    return 1;
                }
                io.out().accept(named + "\n");
            } else {
                io.out().accept(id + "\n");
            }
            return 0;
        }
        io.out().accept("uid=" + uid + named(userName(uid)) + " gid=" + gid + named(groupName(gid))
                + " groups=" + gid + named(groupName(gid)) + "\n");
        return 0;
    }

    private static String named(String name) {
        return name == null ? "" : "(" + name + ")";
    }
}
