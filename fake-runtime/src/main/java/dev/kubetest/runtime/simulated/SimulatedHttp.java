package dev.kubetest.runtime.simulated;

import dev.kubetest.core.runtime.ContainerRuntime;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What a simulated container answers over HTTP: web servers (nginx, httpd) serve the files of their document
 * root, 404 otherwise; any other image answers 200 with a short body. Used by httpGet probes and by
 * port-forward connections, which speak HTTP/1.1 with keep-alive over the forwarded bytes.
 */
final class SimulatedHttp {
    private SimulatedHttp() {}

    record Answer(int status, String contentType, byte[] body, String location) {
        Answer(int status, String contentType, byte[] body) {
            this(status, contentType, body, null);
        }
    }

    static Answer answer(SimulatedContainer c, int port, String path) {
        return answer(c, port, "GET", path, List.of(Map.entry("Host", c.spec().podIp() + ":" + port)));
    }

    /** The answer to {@code method} on {@code path} with the request's headers (Host among them). */
    static Answer answer(SimulatedContainer c, int port, String method, String path, List<Map.Entry<String, String>> headers) {
        if (EchoServers.isEcho(c.profile().repository()) && c.served(port) == null) {
            return EchoServers.answer(c.profile().repository(), c.spec(), method, path, headers);
        }
        Path served = c.served(port);
        if (served != null) {
            return file(rel -> served.resolve(rel).normalize().startsWith(served) ? served.resolve(rel).normalize() : null, path, "<HTML><HEAD><TITLE>404 Not Found</TITLE></HEAD>\n<BODY><H1>404 Not Found</H1>\n"
                    + "The requested URL was not found\n</BODY></HTML>\n");
        }
        if (c.behavior().redirect() != null) {
            return new Answer(302, "text/html", ("<a href=\"" + c.behavior().redirect() + "\">Found</a>.\n\n")
                    .getBytes(StandardCharsets.UTF_8), c.behavior().redirect());
        }
        String repo = c.profile().repository();
        if (repo.endsWith("nginx") || repo.endsWith("httpd")) {
            String root = repo.endsWith("httpd") ? "/usr/local/apache2/htdocs" : "/usr/share/nginx/html";
            return file(rel -> c.path(root + "/" + rel), path, "<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n"
                    + "<center><h1>404 Not Found</h1></center>\r\n</body>\r\n</html>\r\n");
        }
        return new Answer(200, "text/plain", "ok\n".getBytes(StandardCharsets.UTF_8));
    }

    /** A file under a document root ({@code index.html} for a directory), or 404 with the server's page. */
    private static Answer file(java.util.function.Function<String, Path> resolve, String path, String notFound) {
        String clean = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
        String relative = (clean.endsWith("/") ? clean + "index.html" : clean).replaceFirst("^/+", "");
        Path p = resolve.apply(relative);
        try {
            if (p != null && Files.isRegularFile(p)) {
                return new Answer(200, relative.endsWith(".html") ? "text/html" : "application/octet-stream", Files.readAllBytes(p));
            }
        } catch (IOException e) {
            // unreadable: as missing
        }
        return new Answer(404, "text/html", notFound.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * What an {@code nc -l} answers a request with: its reply is sent as it is, so it is read back as HTTP when it
     * is HTTP (a status line, headers, a blank line, the body) and as a 200 with the whole reply as body otherwise.
     */
    static Answer raw(SimulatedContainer.NcListener nc, String request) {
        nc.received().accept(request);
        String reply = nc.reply();
        java.util.regex.Matcher status = java.util.regex.Pattern.compile("^HTTP/1\\.[01] (\\d{3})").matcher(reply);
        if (!status.find()) {
            return new Answer(200, "text/plain", reply.getBytes(StandardCharsets.ISO_8859_1));
        }
        int split = reply.indexOf("\r\n\r\n");
        int skip = 4;
        if (split < 0) {
            split = reply.indexOf("\n\n");
            skip = 2;
        }
        String body = split < 0 ? "" : reply.substring(split + skip);
        return new Answer(Integer.parseInt(status.group(1)), "text/plain", body.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** One forwarded connection: parses requests as they arrive and writes each answer back. */
    static final class Connection implements ContainerRuntime.PortStream {
        private final SimulatedContainer container;
        private final int port;
        private final Consumer<byte[]> out;
        private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

        Connection(SimulatedContainer container, int port, Consumer<byte[]> out) {
            this.container = container;
            this.port = port;
            this.out = out;
        }

        /** The {@code nc -l} this connection reached, taken at its first bytes; it gets them and answers once. */
        private SimulatedContainer.NcListener nc;
        private boolean ncAnswered;

        @Override
        public synchronized void write(byte[] data) {
            if (ncAnswered) {
                return;
            }
            if (nc == null && pending.size() == 0) {
                nc = container.takeListener(port);
            }
            if (nc != null) {
                // nc sends its reply as soon as a peer connects and passes on what arrives: one exchange per connection
                ncAnswered = true;
                nc.received().accept(new String(data, StandardCharsets.ISO_8859_1));
                out.accept(nc.reply().getBytes(StandardCharsets.ISO_8859_1));
                return;
            }
            pending.writeBytes(data);
            while (true) {
                String text = pending.toString(StandardCharsets.ISO_8859_1);
                int end = text.indexOf("\r\n\r\n");
                if (end < 0) {
                    return;
                }
                String head = text.substring(0, end);
                int bodyLength = 0;
                for (String line : head.split("\r\n")) {
                    if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                        bodyLength = Integer.parseInt(line.substring(15).trim());
                    }
                }
                if (text.length() < end + 4 + bodyLength) {
                    return;
                }
                byte[] rest = text.substring(end + 4 + bodyLength).getBytes(StandardCharsets.ISO_8859_1);
                pending.reset();
                pending.writeBytes(rest);
                String[] lines = head.split("\r\n");
                String[] requestLine = lines[0].split(" ");
                List<Map.Entry<String, String>> requestHeaders = new java.util.ArrayList<>();
                for (int i = 1; i < lines.length; i++) {
                    int colon = lines[i].indexOf(':');
                    if (colon > 0) {
                        requestHeaders.add(Map.entry(lines[i].substring(0, colon).trim(), lines[i].substring(colon + 1).trim()));
                    }
                }
                Answer a = answer(container, port, requestLine[0], requestLine.length > 1 ? requestLine[1] : "/", requestHeaders);
                String reason = reason(a.status());
                boolean headOnly = requestLine[0].equals("HEAD");
                String headers = "HTTP/1.1 " + a.status() + " " + reason + "\r\nServer: " + server() + "\r\nContent-Type: "
                        + a.contentType() + "\r\nContent-Length: " + a.body().length
                        + (a.location() != null ? "\r\nLocation: " + a.location() : "") + "\r\nConnection: keep-alive\r\n\r\n";
                ByteArrayOutputStream response = new ByteArrayOutputStream();
                response.writeBytes(headers.getBytes(StandardCharsets.ISO_8859_1));
                if (!headOnly) {
                    response.writeBytes(a.body());
                }
                out.accept(response.toByteArray());
            }
        }

        private static String reason(int status) {
            return switch (status) {
                case 200 -> "OK";
                case 201 -> "Created";
                case 204 -> "No Content";
                case 301 -> "Moved Permanently";
                case 302 -> "Found";
                case 400 -> "Bad Request";
                case 403 -> "Forbidden";
                case 404 -> "Not Found";
                case 500 -> "Internal Server Error";
                case 503 -> "Service Unavailable";
                default -> "Status";
            };
        }

        private String server() {
            String repo = container.profile().repository();
            return container.served(port) != null ? "busybox httpd" : repo.endsWith("nginx") ? "nginx"
                    : repo.endsWith("httpd") ? "Apache" : "kubetest";
        }

        @Override
        public void close() {
            // nothing to release
        }
    }
}
