package dev.kubetest.core.network;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * An HTTP/1.1 request as a layer-7 proxy reads it (pure): method, path, query, headers (names as sent, matched
 * case-insensitively) and body; {@link #bytes()} writes it back after a proxy has changed it.
 */
public record HttpRequest(String method, String path, String query, List<Map.Entry<String, String>> headers, byte[] body) {

    /** Reads a request; empty when {@code raw} is not an HTTP request. */
    public static Optional<HttpRequest> parse(byte[] raw) {
        String text = new String(raw, StandardCharsets.ISO_8859_1);
        int headEnd = text.indexOf("\r\n\r\n");
        if (headEnd < 0) {
            return Optional.empty();
        }
        String[] lines = text.substring(0, headEnd).split("\r\n");
        String[] first = lines[0].split(" ");
        if (first.length != 3 || !first[2].startsWith("HTTP/")) {
            return Optional.empty();
        }
        String target = first[1];
        int q = target.indexOf('?');
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.add(Map.entry(lines[i].substring(0, colon).trim(), lines[i].substring(colon + 1).trim()));
            }
        }
        byte[] body = java.util.Arrays.copyOfRange(raw, headEnd + 4, raw.length);
        return Optional.of(new HttpRequest(first[0], q < 0 ? target : target.substring(0, q), q < 0 ? "" : target.substring(q + 1), headers, body));
    }

    /** The first value of header {@code name}, or null. */
    public String header(String name) {
        for (Map.Entry<String, String> h : headers) {
            if (h.getKey().equalsIgnoreCase(name)) {
                return h.getValue();
            }
        }
        return null;
    }

    /** The Host header's name, lower case, without a port; empty when there is none. */
    public String host() {
        String h = header("Host");
        if (h == null) {
            return "";
        }
        int colon = h.lastIndexOf(':');
        return (colon > 0 && !h.endsWith("]") ? h.substring(0, colon) : h).toLowerCase(Locale.ROOT);
    }

    /** The query's parameters in order (names and values as sent). */
    public Map<String, String> queryParams() {
        Map<String, String> out = new LinkedHashMap<>();
        if (!query.isEmpty()) {
            for (String pair : query.split("&")) {
                int eq = pair.indexOf('=');
                out.putIfAbsent(eq < 0 ? pair : pair.substring(0, eq), eq < 0 ? "" : pair.substring(eq + 1));
            }
        }
        return out;
    }

    /** The same request with other headers. */
    public HttpRequest withHeaders(List<Map.Entry<String, String>> newHeaders) {
        return new HttpRequest(method, path, query, newHeaders, body);
    }

    /** The same request for another path. */
    public HttpRequest withPath(String newPath) {
        return new HttpRequest(method, newPath, query, headers, body);
    }

    /** The request as sent. */
    public byte[] bytes() {
        StringBuilder b = new StringBuilder(method).append(' ').append(path).append(query.isEmpty() ? "" : "?" + query).append(" HTTP/1.1\r\n");
        headers.forEach(h -> b.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n"));
        b.append("\r\n");
        byte[] head = b.toString().getBytes(StandardCharsets.ISO_8859_1);
        byte[] out = java.util.Arrays.copyOf(head, head.length + body.length);
        System.arraycopy(body, 0, out, head.length, body.length);
        return out;
    }

    /** A complete response a proxy answers itself (an error page, a redirect). */
    public static byte[] response(int status, String reason, Map<String, String> headers, String body) {
        StringBuilder b = new StringBuilder("HTTP/1.1 ").append(status).append(' ').append(reason).append("\r\n");
        headers.forEach((k, v) -> b.append(k).append(": ").append(v).append("\r\n"));
        byte[] content = body.getBytes(StandardCharsets.UTF_8);
        b.append("Content-Length: ").append(content.length).append("\r\nConnection: close\r\n\r\n");
        byte[] head = b.toString().getBytes(StandardCharsets.ISO_8859_1);
        byte[] out = java.util.Arrays.copyOf(head, head.length + content.length);
        System.arraycopy(content, 0, out, head.length, content.length);
        return out;
    }

    /** {@code response} (a complete HTTP response) with one more header after its others. */
    public static byte[] withResponseHeader(byte[] response, String name, String value) {
        String text = new String(response, StandardCharsets.ISO_8859_1);
        int headEnd = text.indexOf("\r\n\r\n");
        if (headEnd < 0) {
            return response;
        }
        return (text.substring(0, headEnd) + "\r\n" + name + ": " + value + text.substring(headEnd)).getBytes(StandardCharsets.ISO_8859_1);
    }

    /** nginx's error page for {@code status}, as ingress-nginx and most proxies show it. */
    public static byte[] nginxError(int status, String reason) {
        String title = status + " " + reason;
        return response(status, reason, Map.of("Content-Type", "text/html"), "<html>\r\n<head><title>" + title
                + "</title></head>\r\n<body>\r\n<center><h1>" + title + "</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n");
    }
}
