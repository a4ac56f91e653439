package dev.kubetest.core.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kubetest.core.network.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The HTTPRoute filters as pure functions of a request (or a response): redirects, header modifiers, URL rewrites. */
final class HttpFilters {
    private HttpFilters() {}

    /** A {@code RequestRedirect}: the redirect response with its Location. */
    static byte[] redirect(JsonNode r, HttpRequest request, JsonNode match, String scheme, int listenerPort) {
        String newScheme = r.path("scheme").asText(scheme);
        String host = r.path("hostname").asText(request.host());
        int port;
        if (r.hasNonNull("port")) {
            port = r.path("port").asInt();
        } else if (r.hasNonNull("scheme")) {
            port = newScheme.equals("https") ? 443 : 80;
        } else {
            port = listenerPort;
        }
        boolean wellKnown = (newScheme.equals("http") && port == 80) || (newScheme.equals("https") && port == 443);
        String path = r.hasNonNull("path") ? newPath(r.path("path"), request.path(), match) : request.path();
        String location = newScheme + "://" + host + (wellKnown ? "" : ":" + port) + path + (request.query().isEmpty() ? "" : "?" + request.query());
        int status = r.path("statusCode").asInt(302);
        String reason = switch (status) {
            case 301 -> "Moved Permanently";
            case 303 -> "See Other";
            case 307 -> "Temporary Redirect";
            case 308 -> "Permanent Redirect";
            default -> "Found";
        };
        return HttpRequest.response(status, reason, Map.of("Location", location), "");
    }

    /** A {@code URLRewrite}: another Host header and/or path. */
    static HttpRequest rewrite(HttpRequest request, JsonNode r, JsonNode match) {
        HttpRequest out = request;
        if (r.hasNonNull("hostname")) {
            out = set(out, "Host", r.path("hostname").asText());
        }
        if (r.hasNonNull("path")) {
            out = out.withPath(newPath(r.path("path"), out.path(), match));
        }
        return out;
    }

    private static String newPath(JsonNode p, String path, JsonNode match) {
        if ("ReplaceFullPath".equals(p.path("type").asText())) {
            return p.path("replaceFullPath").asText("/");
        }
        String prefix = match.path("path").path("value").asText("/");
        String replacement = p.path("replacePrefixMatch").asText("/");
        String rest = path.length() >= prefix.length() ? path.substring(prefix.length()) : "";
        if (prefix.endsWith("/") && !rest.isEmpty()) {
            rest = "/" + rest;
        }
        if (replacement.endsWith("/") && rest.startsWith("/")) {
            rest = rest.substring(1);
        }
        String out = replacement + rest;
        return out.isEmpty() ? "/" : out;
    }

    /** A {@code RequestHeaderModifier}: set replaces, add appends, remove drops (names case-insensitive). */
    static HttpRequest modifyHeaders(HttpRequest request, JsonNode m) {
        return request.withHeaders(modify(request.headers(), m));
    }

    private static HttpRequest set(HttpRequest request, String name, String value) {
        List<Map.Entry<String, String>> headers = new ArrayList<>(request.headers());
        headers.removeIf(h -> h.getKey().equalsIgnoreCase(name));
        headers.add(0, Map.entry(name, value));
        return request.withHeaders(headers);
    }

    static List<Map.Entry<String, String>> modify(List<Map.Entry<String, String>> in, JsonNode m) {
        List<Map.Entry<String, String>> headers = new ArrayList<>(in);
        for (JsonNode s : m.path("set")) {
            String name = s.path("name").asText();
            headers.removeIf(h -> h.getKey().equalsIgnoreCase(name));
            headers.add(Map.entry(name, s.path("value").asText()));
        }
        for (JsonNode a : m.path("add")) {
            headers.add(Map.entry(a.path("name").asText(), a.path("value").asText()));
        }
        for (JsonNode r : m.path("remove")) {
            headers.removeIf(h -> h.getKey().equalsIgnoreCase(r.asText()));
        }
        return headers;
    }

    /** A {@code ResponseHeaderModifier} applied to a whole HTTP response. */
    static byte[] modifyResponseHeaders(byte[] response, JsonNode m) {
        String text = new String(response, StandardCharsets.ISO_8859_1);
        int headEnd = text.indexOf("\r\n\r\n");
        if (headEnd < 0) {
            return response;
        }
        String[] lines = text.substring(0, headEnd).split("\r\n");
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.add(Map.entry(lines[i].substring(0, colon).trim(), lines[i].substring(colon + 1).trim()));
            }
        }
        StringBuilder b = new StringBuilder(lines[0]).append("\r\n");
        modify(headers, m).forEach(h -> b.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n"));
        b.append("\r\n").append(text.substring(headEnd + 4));
        return b.toString().getBytes(StandardCharsets.ISO_8859_1);
    }
}
