package dev.kubetest.runtime.shell;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * busybox {@code wget} and {@code nc} over the simulated pod network ({@link Network}), with busybox's messages:
 * {@code wget -qO- URL}, {@code wget URL} (saved under the URL's file name), {@code -O FILE}, {@code --spider},
 * {@code -T}; {@code nc [-z] [-v] [-w N] HOST PORT} sending its input and printing the answer.
 */
final class NetApplets {
    private NetApplets() {}

    private record Url(String host, int port, String path) {}

    /** Linux's connect timeout with the default tcp_syn_retries of 6 (1+2+4+...+64 s). */
    static final java.time.Duration KERNEL_CONNECT_TIMEOUT = java.time.Duration.ofSeconds(127);

    /** A connection nobody answered: the applet fails with {@code message} once {@code after} has passed on the clock. */
    static final class TimedOut extends RuntimeException {
        final java.time.Duration after;
        final boolean toStdout;

        TimedOut(java.time.Duration after, String message) {
            this(after, message, false);
        }

        TimedOut(java.time.Duration after, String message, boolean toStdout) {
            super(message, null, false, false);
            this.after = after;
            this.toStdout = toStdout;
        }
    }

    private static java.time.Duration seconds(String s) {
        try {
            return java.time.Duration.ofSeconds(Long.parseLong(s.trim()));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    static int wget(List<String> a, ShellContext ctx, Builtins.Io io) throws IOException {
        boolean quiet = false;
        boolean spider = false;
        String output = null;
        String url = null;
        java.time.Duration timeout = null;
        List<String> extraHeaders = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) {
            String arg = a.get(i);
            if (arg.equals("--spider")) {
                spider = true;
            } else if (arg.equals("-q") || arg.equals("--quiet")) {
                quiet = true;
            } else if (arg.startsWith("-O") || arg.startsWith("-qO")) {
                quiet |= arg.startsWith("-q");
                String rest = arg.substring(arg.indexOf('O') + 1);
                output = !rest.isEmpty() ? rest : i + 1 < a.size() ? a.get(++i) : "-";
            } else if (arg.equals("-T") && i + 1 < a.size()) {
                timeout = seconds(a.get(++i));
            } else if (arg.startsWith("--timeout=")) {
                timeout = seconds(arg.substring("--timeout=".length()));
            } else if (arg.equals("--header") && i + 1 < a.size()) {
                extraHeaders.add(a.get(++i));
            } else if (arg.startsWith("--header=")) {
                extraHeaders.add(arg.substring("--header=".length()));
            } else if (arg.equals("-U") || arg.equals("-Y")) {
                i++;
            } else if (!arg.startsWith("-")) {
                url = arg;
            }
        }
        if (url == null) {
            io.err().accept("BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\nUsage: wget [-cqS] [--spider] [-O FILE] URL\n");
            return 1;
        }
        Url u = parse(url);
        if (u == null) {
            io.err().accept("wget: not an http or ftp url: " + url + "\n");
            return 1;
        }
        String hostHeader = u.port() == 80 ? u.host() : u.host() + ":" + u.port();
        StringBuilder others = new StringBuilder();
        for (String h : extraHeaders) {
            if (h.regionMatches(true, 0, "Host:", 0, 5)) {
                hostHeader = h.substring(5).trim();
            } else {
                others.append(h).append("\r\n");
            }
        }
        String request = (spider ? "HEAD " : "GET ") + u.path() + " HTTP/1.1\r\nHost: " + hostHeader
                + "\r\nUser-Agent: Wget\r\n" + others + "Connection: close\r\n\r\n";
        Network.Reply reply = ctx.network.exchange(u.host(), u.port(), request);
        if (!reply.resolved()) {
            io.err().accept("wget: bad address '" + u.host() + "'\n");
            return 1;
        }
        if (!quiet) {
            io.err().accept("Connecting to " + u.host() + ":" + u.port() + " (" + reply.address() + ":" + u.port() + ")\n");
        }
        if (reply.timedOut()) {
            // busybox's -T alarm covers the connect; without it the kernel gives up first (the default -T is 900 s)
            throw timeout != null && timeout.compareTo(KERNEL_CONNECT_TIMEOUT) < 0
                    ? new TimedOut(timeout, "wget: download timed out\n")
                    : new TimedOut(KERNEL_CONNECT_TIMEOUT, "wget: can't connect to remote host (" + reply.address() + "): Connection timed out\n");
        }
        if (!reply.connected()) {
            io.err().accept("wget: can't connect to remote host (" + reply.address() + "): Connection refused\n");
            return 1;
        }
        int headEnd = reply.data().indexOf("\r\n\r\n");
        String statusLine = headEnd < 0 ? "" : reply.data().substring(0, reply.data().indexOf("\r\n"));
        String[] status = statusLine.split(" ", 3);
        if (status.length < 2 || !status[1].startsWith("2")) {
            io.err().accept("wget: server returned error: " + statusLine + "\n");
            return 1;
        }
        if (spider) {
            if (!quiet) {
                io.err().accept("remote file exists\n");
            }
            return 0;
        }
        String body = reply.data().substring(headEnd + 4);
        String name = output != null ? output : fileName(u.path());
        if (name.equals("-")) {
            if (!quiet) {
                io.err().accept("writing to stdout\n");
            }
            io.out().accept(body);
            if (!quiet) {
                io.err().accept(progress("-", body.length()) + "written to stdout\n");
            }
            return 0;
        }
        if (Files.exists(ctx.resolve(name)) && output == null) {
            io.err().accept("wget: can't open '" + name + "': File exists\n");
            return 1;
        }
        if (!quiet) {
            io.err().accept("saving to '" + name + "'\n");
        }
        Files.writeString(ctx.resolve(name), body, java.nio.charset.StandardCharsets.ISO_8859_1);
        if (!quiet) {
            io.err().accept(progress(name, body.length()) + "'" + name + "' saved\n");
        }
        return 0;
    }

    private static String progress(String name, int bytes) {
        return String.format(Locale.ROOT, "%-20s 100%% |%s| %5d  0:00:00 ETA%n", name, "*".repeat(32), bytes);
    }

    private static String fileName(String path) {
        String clean = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
        String last = clean.substring(clean.lastIndexOf('/') + 1);
        return last.isEmpty() ? "index.html" : last;
    }

    private static Url parse(String url) {
        String rest;
        int defaultPort;
        if (url.startsWith("http://")) {
            rest = url.substring(7);
            defaultPort = 80;
        } else if (url.startsWith("https://")) {
            rest = url.substring(8);
            defaultPort = 443;
        } else if (!url.contains("://")) {
            rest = url;
            defaultPort = 80;
        } else {
            return null;
        }
        int slash = rest.indexOf('/');
        String authority = slash < 0 ? rest : rest.substring(0, slash);
        String path = slash < 0 ? "/" : rest.substring(slash);
        int colon = authority.lastIndexOf(':');
        try {
            return colon < 0 ? new Url(authority, defaultPort, path)
                    : new Url(authority.substring(0, colon), Integer.parseInt(authority.substring(colon + 1)), path);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    static int nc(List<String> a, ShellContext ctx, Builtins.Io io) {
        boolean zero = false;
        boolean verbose = false;
        java.time.Duration wait = null;
        List<String> operands = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) {
            String arg = a.get(i);
            if (arg.startsWith("-") && arg.length() > 1) {
                zero |= arg.contains("z");
                verbose |= arg.contains("v");
                if (arg.endsWith("w") && i + 1 < a.size()) {
                    wait = seconds(a.get(++i));
                } else if (arg.endsWith("i") || arg.endsWith("p") || arg.endsWith("s")) {
                    i++;
                }
                if (arg.contains("l")) {
                    io.err().accept("nc: listening is not simulated\n");
                    return 1;
                }
            } else {
                operands.add(arg);
            }
        }
        if (operands.size() < 2) {
            io.err().accept("BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\nUsage: nc [OPTIONS] HOST PORT\n");
            return 1;
        }
        String host = operands.get(0);
        int port;
        try {
            port = Integer.parseInt(operands.get(1));
        } catch (NumberFormatException e) {
            io.err().accept("nc: bad port '" + operands.get(1) + "'\n");
            return 1;
        }
        Network.Reply reply = ctx.network.exchange(host, port, zero ? "" : io.in());
        if (!reply.resolved()) {
            io.err().accept("nc: bad address '" + host + "'\n");
            return 1;
        }
        if (reply.timedOut()) {
            throw wait != null && wait.compareTo(KERNEL_CONNECT_TIMEOUT) < 0
                    ? new TimedOut(wait, "nc: timed out\n")
                    : new TimedOut(KERNEL_CONNECT_TIMEOUT, "nc: can't connect to remote host (" + reply.address() + "): Connection timed out\n");
        }
        if (!reply.connected()) {
            io.err().accept("nc: can't connect to remote host (" + reply.address() + "): Connection refused\n");
            return 1;
        }
        if (verbose) {
            io.err().accept(host + " (" + reply.address() + ":" + port + ") open\n");
        }
        io.out().accept(reply.data());
        return 0;
    }
}
