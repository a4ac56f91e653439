package dev.kubetest.runtime.simulated;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubetest.core.runtime.ContainerSpec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The echo servers tests of Services, Ingresses and Gateways use: the Gateway API conformance suite's
 * {@code echo-basic} (answers JSON naming the request's path, host, method, headers and the pod that served it, from
 * the {@code POD_NAME}, {@code NAMESPACE}, {@code SERVICE_NAME} and {@code INGRESS_NAME} variables; port
 * {@code HTTP_PORT}, default 3000) and {@code hashicorp/http-echo} (answers its {@code -text} on {@code -listen},
 * default :5678, with {@code -status-code}).
 */
final class EchoServers {
    private static final ObjectMapper JSON = new ObjectMapper();

    private EchoServers() {}

    static boolean isEcho(String repository) {
        return repository.endsWith("echo-basic") || repository.endsWith("http-echo");
    }

    /** The port the server listens on. */
    static int port(String repository, ContainerSpec spec) {
        if (repository.endsWith("echo-basic")) {
            return parsePort(spec.env().getOrDefault("HTTP_PORT", "3000"), 3000);
        }
        String listen = flag(spec.args(), "listen", ":5678");
        return parsePort(listen.substring(listen.lastIndexOf(':') + 1), 5678);
    }

    /** The startup line each writes to its log. */
    static String startupLog(String repository, ContainerSpec spec) {
        return repository.endsWith("echo-basic") ? "Starting server, listening on port " + port(repository, spec) + " (http)\n"
                : "[INFO] server is listening on :" + port(repository, spec) + "\n";
    }

    /** The answer to one request; {@code headers} in the order received, Host among them. */
    static SimulatedHttp.Answer answer(String repository, ContainerSpec spec, String method, String target,
                                       List<Map.Entry<String, String>> headers) {
        if (repository.endsWith("http-echo")) {
            String text = flag(spec.args(), "text", "");
            int status = parsePort(flag(spec.args(), "status-code", "200"), 200);
            return new SimulatedHttp.Answer(status, "text/plain; charset=utf-8", (text + "\n").getBytes(StandardCharsets.UTF_8));
        }
        ObjectNode out = JSON.createObjectNode();
        out.put("path", target);
        String host = "";
        ObjectNode hs = JSON.createObjectNode();
        for (Map.Entry<String, String> h : headers) {
            if (h.getKey().equalsIgnoreCase("host")) {
                host = h.getValue();
                continue;
            }
            String name = canonical(h.getKey());
            (hs.has(name) ? (com.fasterxml.jackson.databind.node.ArrayNode) hs.get(name) : hs.putArray(name)).add(h.getValue());
        }
        out.put("host", host);
        out.put("method", method);
        out.put("proto", "HTTP/1.1");
        out.set("headers", hs);
        Map<String, String> env = spec.env();
        out.put("namespace", env.getOrDefault("NAMESPACE", ""));
        out.put("ingress", env.getOrDefault("INGRESS_NAME", ""));
        out.put("service", env.getOrDefault("SERVICE_NAME", ""));
        out.put("pod", env.getOrDefault("POD_NAME", ""));
        try {
            return new SimulatedHttp.Answer(200, "application/json", JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(out));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Go's canonical header name: each dash-separated word capitalised. */
    static String canonical(String name) {
        StringBuilder b = new StringBuilder(name.length());
        boolean upper = true;
        for (char c : name.toCharArray()) {
            b.append(upper ? Character.toUpperCase(c) : Character.toLowerCase(c));
            upper = c == '-';
        }
        return b.toString();
    }

    /** A Go flag's value: {@code -name=value}, {@code --name=value} or {@code -name value}. */
    private static String flag(List<String> args, String name, String fallback) {
        List<String> all = new ArrayList<>(args);
        for (int i = 0; i < all.size(); i++) {
            String a = all.get(i).replaceFirst("^--?", "");
            if (!all.get(i).startsWith("-")) {
                continue;
            }
            if (a.startsWith(name + "=")) {
                return a.substring(name.length() + 1);
            }
            if (a.equals(name) && i + 1 < all.size()) {
                return all.get(i + 1);
            }
        }
        return fallback;
    }

    private static int parsePort(String s, int fallback) {
        try {
            return Integer.parseInt(s.trim().toLowerCase(Locale.ROOT));
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
