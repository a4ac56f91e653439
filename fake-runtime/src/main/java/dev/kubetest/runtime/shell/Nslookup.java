package dev.kubetest.runtime.shell;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * busybox 1.36's {@code nslookup [-type=T] [-timeout=S] NAME [SERVER]} against the pod's DNS server (the first
 * {@code nameserver} of {@code /etc/resolv.conf}): an address is looked up by PTR; a name is looked up as A and AAAA
 * records (or the types asked for), through the {@code search} domains only when it has no dot (so, as on a real
 * cluster, {@code nslookup kubernetes.default} fails on this busybox while {@code nslookup kubernetes} and the full
 * name succeed). Replies print as busybox prints them; a search stops at the first answer and the queries left
 * unanswered print as {@code *** Can't find NAME: No answer}; no answer at all waits out the timeout (5 s) on the
 * cluster clock.
 */
final class Nslookup {
    private Nslookup() {}

    private record Query(String name, String type, boolean searched) {}

    private static final List<String> TYPES = List.of("A", "AAAA", "CNAME", "MX", "NS", "PTR", "SOA", "SRV", "TXT", "ANY");

    static int run(List<String> a, ShellContext ctx, Builtins.Io io) throws IOException {
        List<String> types = new ArrayList<>();
        long timeout = 5;
        List<String> operands = new ArrayList<>();
        for (String arg : a) {
            if (arg.startsWith("-") && operands.isEmpty()) {
                String opt = arg.substring(1);
                String val = opt.contains("=") ? opt.substring(opt.indexOf('=') + 1) : "";
                String key = opt.contains("=") ? opt.substring(0, opt.indexOf('=')) : opt;
                switch (key) {
                    case "type", "querytype", "query", "q" -> {
                        String t = val.toUpperCase(Locale.ROOT);
                        if (!TYPES.contains(t)) {
                            io.err().accept("nslookup: invalid query type \"" + val + "\"\n");
                            return 1;
                        }
                        types.add(t);
                    }
                    case "timeout", "t" -> timeout = parse(val, 5);
                    case "port", "retry", "debug" -> { }
                    default -> {
                        return usage(io);
                    }
                }
            } else {
                operands.add(arg);
            }
        }
        if (operands.isEmpty() || operands.size() > 2) {
            return usage(io);
        }
        String name = operands.get(0);
        Resolv resolv = Resolv.read(ctx.resolve("/etc/resolv.conf"));
        String server = operands.size() == 2 ? operands.get(1) : resolv.nameservers.isEmpty() ? "127.0.0.1" : resolv.nameservers.get(0);

        List<Query> queries = new ArrayList<>();
        String ptr = ptrName(name);
        if (ptr != null && types.isEmpty()) {
            queries.add(new Query(ptr, "PTR", false));
        } else {
            for (String t : types.isEmpty() ? List.of("A", "AAAA") : types) {
                if (!t.equals("PTR") && !name.contains(".") && !resolv.search.isEmpty()) {
                    resolv.search.forEach(d -> queries.add(new Query(name + "." + d, t, true)));
                } else {
                    queries.add(new Query(name, t, false));
                }
            }
        }

        StringBuilder out = new StringBuilder();
        boolean[] answered = new boolean[queries.size()];
        boolean found = false;
        for (int i = 0; i < queries.size(); i++) {
            Query q = queries.get(i);
            Network.Dns dns = ctx.network.query(server, q.name(), q.type());
            if (dns.rcode().equals("TIMEOUT")) {
                if (i == 0) {
                    throw new NetApplets.TimedOut(java.time.Duration.ofSeconds(timeout),
                            ";; connection timed out; no servers could be reached\n\n", true);
                }
                break;
            }
            if (i == 0) {
                out.append("Server:\t\t").append(server).append("\nAddress:\t").append(server).append(":53\n\n");
            }
            answered[i] = true;
            if (!dns.rcode().equals("NOERROR")) {
                out.append("** server can't find ").append(q.name()).append(": ").append(dns.rcode()).append("\n\n");
                continue;
            }
            if (!dns.authoritative()) {
                out.append("Non-authoritative answer:\n");
            }
            int printed = 0;
            for (Network.Dns.Record r : dns.records()) {
                String line = record(r);
                if (line != null) {
                    out.append(line);
                    printed++;
                }
            }
            if (printed == 0) {
                out.append("*** Can't find ").append(q.name()).append(": No answer\n");
            }
            out.append('\n');
            found |= printed > 0;
            if (q.searched() && printed > 0) {
                break;
            }
        }
        boolean unanswered = false;
        for (int i = 0; i < queries.size(); i++) {
            if (!answered[i]) {
                out.append("*** Can't find ").append(queries.get(i).name()).append(": No answer\n");
                unanswered = true;
            }
        }
        if (unanswered) {
            out.append('\n');
        }
        io.out().accept(out.toString());
        return found ? 0 : 1;
    }

    private static String record(Network.Dns.Record r) {
        return switch (r.type()) {
            case "A", "AAAA" -> "Name:\t" + r.name() + "\nAddress: " + r.data() + "\n";
            case "CNAME" -> r.name() + "\tcanonical name = " + r.data() + "\n";
            case "PTR" -> r.name() + "\tname = " + r.data() + "\n";
            case "SRV" -> r.name() + "\tservice = " + r.data() + "\n";
            case "TXT" -> r.name() + "\ttext = \"" + r.data() + "\"\n";
            default -> null;
        };
    }

    /** {@code d.c.b.a.in-addr.arpa} for an IPv4 address, else null. */
    static String ptrName(String name) {
        if (!name.matches("\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}")) {
            return null;
        }
        String[] o = name.split("\\.");
        return o[3] + "." + o[2] + "." + o[1] + "." + o[0] + ".in-addr.arpa";
    }

    private static long parse(String s, long fallback) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private static int usage(Builtins.Io io) {
        io.err().accept("BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\n"
                + "Usage: nslookup [-type=QUERY_TYPE] [-debug] HOST [DNS_SERVER]\n\nQuery DNS about HOST\n");
        return 1;
    }

    /** The nameservers and search domains of a resolv.conf. */
    record Resolv(List<String> nameservers, List<String> search) {
        static Resolv read(Path file) {
            List<String> ns = new ArrayList<>();
            List<String> search = new ArrayList<>();
            try {
                if (Files.isRegularFile(file)) {
                    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                        String[] w = line.trim().split("\\s+");
                        if (w.length >= 2 && w[0].equals("nameserver")) {
                            ns.add(w[1]);
                        } else if (w[0].equals("search") || w[0].equals("domain")) {
                            search.clear();
                            for (int i = 1; i < w.length; i++) {
                                search.add(w[i]);
                            }
                        }
                    }
                }
            } catch (IOException e) {
                // unreadable: no servers
            }
            return new Resolv(ns, search);
        }
    }
}
