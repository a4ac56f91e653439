package dev.kubetest.core.service;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The environment variables the kubelet gives a container for the Services that exist when it starts, as
 * upstream's envvars: {@code <NAME>_SERVICE_HOST}, {@code _SERVICE_PORT}, {@code _SERVICE_PORT_<PORT NAME>}, and the
 * Docker-link style {@code <NAME>_PORT}, {@code _PORT_<port>_<PROTO>} with its {@code _PROTO}, {@code _PORT} and
 * {@code _ADDR}. Only Services with a cluster IP count (not headless, not ExternalName). A pure function.
 */
public final class ServiceLinks {
    private ServiceLinks() {}

    /**
     * The variables for a pod in {@code namespace}: the {@code kubernetes} Service of {@code default} always, the
     * namespace's own Services only with {@code enableServiceLinks}.
     */
    public static Map<String, String> env(List<? extends JsonNode> services, String namespace, boolean enableServiceLinks) {
        Map<String, JsonNode> chosen = new LinkedHashMap<>();
        for (JsonNode s : services) {
            String ns = s.path("metadata").path("namespace").asText();
            String name = s.path("metadata").path("name").asText();
            if ("default".equals(ns) && "kubernetes".equals(name)) {
                chosen.putIfAbsent(name, s);
            } else if (namespace.equals(ns) && enableServiceLinks) {
                chosen.put(name, s);
            }
        }
        Map<String, String> env = new LinkedHashMap<>();
        for (JsonNode s : chosen.values()) {
            String ip = s.path("spec").path("clusterIP").asText("");
            if (ip.isEmpty() || "None".equals(ip) || "ExternalName".equals(s.path("spec").path("type").asText())) {
                continue;
            }
            String prefix = varName(s.path("metadata").path("name").asText());
            JsonNode ports = s.path("spec").path("ports");
            if (ports.isEmpty()) {
                continue;
            }
            env.put(prefix + "_SERVICE_HOST", ip);
            env.put(prefix + "_SERVICE_PORT", ports.get(0).path("port").asText());
            for (JsonNode p : ports) {
                String portName = p.path("name").asText("");
                if (!portName.isEmpty()) {
                    env.put(prefix + "_SERVICE_PORT_" + varName(portName), p.path("port").asText());
                }
            }
            JsonNode first = ports.get(0);
            env.put(prefix + "_PORT", protocol(first) + "://" + ip + ":" + first.path("port").asText());
            for (JsonNode p : ports) {
                String proto = protocol(p);
                String port = p.path("port").asText();
                String base = prefix + "_PORT_" + port + "_" + proto.toUpperCase(Locale.ROOT);
                env.put(base, proto + "://" + ip + ":" + port);
                env.put(base + "_PROTO", proto);
                env.put(base + "_PORT", port);
                env.put(base + "_ADDR", ip);
            }
        }
        return env;
    }

    private static String protocol(JsonNode port) {
        return port.path("protocol").asText("TCP").toLowerCase(Locale.ROOT);
    }

    /** A Service or port name as upstream writes it into a variable: upper case, dashes as underscores. */
    static String varName(String name) {
        return name.toUpperCase(Locale.ROOT).replace('-', '_');
    }
}
