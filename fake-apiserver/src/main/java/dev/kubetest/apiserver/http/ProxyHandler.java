package dev.kubetest.apiserver.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kubetest.core.api.KubeApi;
import dev.kubetest.core.kubelet.NodeConnector;
import dev.kubetest.core.meta.ApiException;
import dev.kubetest.core.meta.ListOptions;
import dev.kubetest.core.meta.ResourceType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * {@code services/proxy} and {@code pods/proxy}: {@code /api/v1/namespaces/{ns}/services/[scheme:]{name}[:port]/proxy/{path}}
 * forwards the request to a ready endpoint of the Service's port (a name or a number) as kube-apiserver does,
 * {@code pods/{name}[:port]/proxy/{path}} to the pod's address; the answer comes back as the server gave it. An
 * empty path redirects to the one with a trailing slash; no ready endpoint is 503 "no endpoints available", a
 * refused connection 503 "error trying to reach service".
 */
final class ProxyHandler {
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-authenticate", "proxy-authorization",
            "te", "trailer", "transfer-encoding", "upgrade", "host", "authorization", "content-length");
    private static final Random RANDOM = new Random();

    private ProxyHandler() {}

    private record Target(String scheme, String ip, int port) {}

    static void serve(Request r, KubeApi api, NodeConnector nodes, ResourceType type, String ns, String id) {
        // the path after {resource}/{name}/proxy, still encoded (the name may be too: web%3A80)
        String raw = r.query.rawPath();
        int resource = raw.indexOf("/" + type.plural() + "/");
        int nameEnd = resource < 0 ? -1 : raw.indexOf('/', resource + type.plural().length() + 2);
        String rest = nameEnd < 0 || !raw.startsWith("/proxy", nameEnd) ? "" : raw.substring(nameEnd + "/proxy".length());
        if (rest.isEmpty()) {
            String query = r.query.rawQuery();
            Responses.redirect(r.ctx, r.keepAlive, 301, raw + "/" + (query.isEmpty() ? "" : "?" + query));
            return;
        }
        String[] parts = id.split(":", -1);
        String scheme = "";
        String name;
        String port = "";
        switch (parts.length) {
            case 1 -> name = parts[0];
            case 2 -> {
                name = parts[0];
                port = parts[1];
            }
            case 3 -> {
                scheme = parts[0];
                name = parts[1];
                port = parts[2];
            }
            default -> throw ApiException.badRequest("invalid " + singular(type) + " request \"" + id + "\"");
        }
        if (!scheme.isEmpty() && !scheme.equals("http") && !scheme.equals("https")) {
            throw ApiException.badRequest("invalid " + singular(type) + " request \"" + id + "\"");
        }
        JsonNode obj = api.get(type, ns, name);
        Target target = type.plural().equals("services") ? service(api, obj, id, name, port) : pod(obj, port);
        if (target.scheme().equals("https")) {
            throw new ApiException(503, "ServiceUnavailable", "error trying to reach service: tls: the simulated network carries no TLS",
                    null, null, null, null);
        }
        byte[] request = request(r, rest, target);
        var reply = nodes.request(target.ip(), target.port(), request);
        if (reply == null || !reply.connected() || reply.timedOut()) {
            String why = reply != null && reply.timedOut() ? "i/o timeout" : "connect: connection refused";
            throw new ApiException(503, "ServiceUnavailable", "error trying to reach service: dial tcp " + target.ip() + ":"
                    + target.port() + ": " + why, null, null, null, null);
        }
        respond(r, reply.data());
    }

    private static String singular(ResourceType type) {
        return type.plural().equals("services") ? "service" : "pod";
    }

    private static Target service(KubeApi api, JsonNode svc, String id, String name, String port) {
        String scheme = id.split(":").length == 3 ? id.split(":")[0] : "http";
        String portName = port;
        if (port.matches("\\d+")) {
            portName = null;
            for (JsonNode p : svc.path("spec").path("ports")) {
                if (p.path("port").asText().equals(port)) {
                    portName = p.path("name").asText("");
                }
            }
            if (portName == null) {
                throw new ApiException(503, "ServiceUnavailable", "no service port " + port + " found for service \"" + name + "\"",
                        null, null, null, null);
            }
        }
        ResourceType slices = api.registry().find("discovery.k8s.io", "v1", "endpointslices").orElseThrow();
        List<Target> ready = new ArrayList<>();
        for (JsonNode slice : api.lists().list(slices, svc.path("metadata").path("namespace").asText(),
                ListOptions.labels("kubernetes.io/service-name=" + name)).items()) {
            for (JsonNode p : slice.path("ports")) {
                if (!p.path("name").asText("").equals(portName)) {
                    continue;
                }
                for (JsonNode e : slice.path("endpoints")) {
                    JsonNode r = e.path("conditions").path("ready");
                    if (r.isMissingNode() || r.isNull() || r.asBoolean()) {
                        ready.add(new Target(scheme, e.path("addresses").path(0).asText(), p.path("port").asInt()));
                    }
                }
            }
        }
        if (ready.isEmpty()) {
            throw new ApiException(503, "ServiceUnavailable", "no endpoints available for service \"" + id + "\"", null, null, null, null);
        }
        return ready.get(RANDOM.nextInt(ready.size()));
    }

    private static Target pod(JsonNode pod, String port) {
        String ip = pod.path("status").path("podIP").asText("");
        if (ip.isEmpty()) {
            throw ApiException.badRequest("address not allowed");
        }
        int number = 80;
        if (!port.isEmpty()) {
            if (port.matches("\\d+")) {
                number = Integer.parseInt(port);
            } else {
                number = -1;
                for (JsonNode c : pod.path("spec").path("containers")) {
                    for (JsonNode p : c.path("ports")) {
                        if (port.equals(p.path("name").asText())) {
                            number = p.path("containerPort").asInt();
                        }
                    }
                }
                if (number < 0) {
                    throw ApiException.badRequest("invalid port \"" + port + "\"");
                }
            }
        }
        return new Target("http", ip, number);
    }

    private static byte[] request(Request r, String rest, Target target) {
        String query = r.query.rawQuery();
        StringBuilder head = new StringBuilder(r.method()).append(' ').append(rest).append(query.isEmpty() ? "" : "?" + query)
                .append(" HTTP/1.1\r\nHost: ").append(target.ip()).append(':').append(target.port()).append("\r\n");
        for (Map.Entry<String, String> h : r.http.headers()) {
            if (!HOP_BY_HOP.contains(h.getKey().toLowerCase(Locale.ROOT))) {
                head.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n");
            }
        }
        byte[] body = r.body();
        if (body.length > 0) {
            head.append("Content-Length: ").append(body.length).append("\r\n");
        }
        head.append("Connection: close\r\n\r\n");
        byte[] h = head.toString().getBytes(StandardCharsets.ISO_8859_1);
        byte[] out = new byte[h.length + body.length];
        System.arraycopy(h, 0, out, 0, h.length);
        System.arraycopy(body, 0, out, h.length, body.length);
        return out;
    }

    /** Writes the backend's HTTP answer back to the client, its status and end-to-end headers kept. */
    private static void respond(Request r, byte[] answer) {
        String text = new String(answer, StandardCharsets.ISO_8859_1);
        int headEnd = text.indexOf("\r\n\r\n");
        if (headEnd < 0) {
            throw new ApiException(503, "ServiceUnavailable", "error trying to reach service: malformed HTTP response",
                    null, null, null, null);
        }
        String[] lines = text.substring(0, headEnd).split("\r\n");
        String[] status = lines[0].split(" ", 3);
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0 && !HOP_BY_HOP.contains(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT))) {
                headers.add(Map.entry(lines[i].substring(0, colon).trim(), lines[i].substring(colon + 1).trim()));
            }
        }
        byte[] body = java.util.Arrays.copyOfRange(answer, headEnd + 4, answer.length);
        if (r.method().equals("HEAD")) {
            body = new byte[0];
        }
        Responses.raw(r.ctx, r.keepAlive, Integer.parseInt(status[1]), headers, body);
    }
}
