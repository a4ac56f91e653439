package dev.kubetest.core.network;

import dev.kubetest.core.runtime.ContainerProcess;
import dev.kubetest.core.runtime.ContainerRuntime;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.function.BiFunction;

/**
 * Requests over the cluster's simulated network from a test: as a given pod makes them (its DNS names, its
 * address, the Services' routing) or from outside the cluster (node ports and cluster IPs), so a test checks
 * reachability without writing a container program.
 *
 * <pre>{@code
 * cluster.network().from("shop", "frontend").get("http://backend/").body();
 * cluster.network().from("shop", "frontend").canConnect("db", 5432);
 * }</pre>
 */
public final class PodNetwork {
    private final ContainerRuntime runtime;
    private final BiFunction<String, String, ContainerProcess> containerOf;

    /** {@code containerOf} finds a running container of pod {@code (namespace, name)}, or null. */
    public PodNetwork(ContainerRuntime runtime, BiFunction<String, String, ContainerProcess> containerOf) {
        this.runtime = runtime;
        this.containerOf = containerOf;
    }

    /** Requests as pod {@code namespace/pod} makes them. */
    public Client from(String namespace, String pod) {
        ContainerProcess c = containerOf.apply(namespace, pod);
        if (c == null) {
            throw new NetworkException(NetworkException.Reason.NO_CONTAINER, "pod " + namespace + "/" + pod
                    + " has no running container to make requests from");
        }
        return new Client(c, "pod " + namespace + "/" + pod);
    }

    /** Requests from outside the cluster: addresses only (a node's address with a node port, a cluster IP). */
    public Client fromOutside() {
        return new Client(null, "outside the cluster");
    }

    /** An HTTP answer: its status code, headers (in order received) and body. */
    public record Response(int status, java.util.List<java.util.Map.Entry<String, String>> headers, String body) {
        /** The first value of header {@code name} (case-insensitive), if any. */
        public java.util.Optional<String> header(String name) {
            return headers.stream().filter(h -> h.getKey().equalsIgnoreCase(name)).map(java.util.Map.Entry::getValue).findFirst();
        }
    }

    /** Makes requests from one place. */
    public final class Client {
        private final ContainerProcess from;
        private final String where;

        private Client(ContainerProcess from, String where) {
            this.from = from;
            this.where = where;
        }

        /** GETs {@code url} ({@code http://host[:port]/path}). */
        public Response get(String url) {
            return get(url, java.util.Map.of());
        }

        /**
         * GETs {@code url} with extra request headers; a {@code Host} header replaces the URL's host name, so
         * {@code get("http://172.18.255.100/testpath", Map.of("Host", "foo.bar.com"))} goes through an Ingress's
         * host rule as {@code curl -H} would.
         */
        public Response get(String url, java.util.Map<String, String> headers) {
            URI u = URI.create(url);
            if (!"http".equals(u.getScheme()) || u.getHost() == null) {
                throw new IllegalArgumentException("not an http URL: " + url);
            }
            int port = u.getPort() < 0 ? 80 : u.getPort();
            String path = u.getRawPath() == null || u.getRawPath().isEmpty() ? "/" : u.getRawPath()
                    + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery());
            StringBuilder request = new StringBuilder("GET ").append(path).append(" HTTP/1.1\r\n");
            String host = headers.entrySet().stream().filter(h -> h.getKey().equalsIgnoreCase("Host")).map(java.util.Map.Entry::getValue)
                    .findFirst().orElse(u.getPort() < 0 ? u.getHost() : u.getHost() + ":" + u.getPort());
            request.append("Host: ").append(host).append("\r\nUser-Agent: kubetest\r\n");
            headers.forEach((k, v) -> {
                if (!k.equalsIgnoreCase("Host")) {
                    request.append(k).append(": ").append(v).append("\r\n");
                }
            });
            request.append("Connection: close\r\n\r\n");
            ContainerRuntime.NetworkReply reply = exchange(u.getHost(), port, request.toString());
            return parse(new String(reply.data(), StandardCharsets.UTF_8), url);
        }

        /** Whether a connection to {@code host:port} is answered (the name resolves and something listens). */
        public boolean canConnect(String host, int port) {
            try {
                exchange(host, port, "HEAD / HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n");
                return true;
            } catch (NetworkException e) {
                if (e.reason() == NetworkException.Reason.NO_CONTAINER) {
                    throw e;
                }
                return false;
            }
        }

        private ContainerRuntime.NetworkReply exchange(String host, int port, String request) {
            ContainerRuntime.NetworkReply reply = runtime.exchange(from, host, port, request.getBytes(StandardCharsets.UTF_8));
            if (!reply.resolved()) {
                throw new NetworkException(NetworkException.Reason.UNKNOWN_HOST, "from " + where + ": bad address '" + host + "'");
            }
            if (reply.timedOut()) {
                throw new NetworkException(NetworkException.Reason.TIMED_OUT, "from " + where + ": can't connect to "
                        + host + ":" + port + " (" + reply.address() + "): Connection timed out");
            }
            if (!reply.connected()) {
                throw new NetworkException(NetworkException.Reason.REFUSED, "from " + where + ": can't connect to "
                        + host + ":" + port + " (" + reply.address() + "): Connection refused");
            }
            return reply;
        }
    }

    private static Response parse(String raw, String url) {
        int headEnd = raw.indexOf("\r\n\r\n");
        if (headEnd < 0) {
            throw new NetworkException(NetworkException.Reason.NOT_HTTP, "the answer from " + url + " is not HTTP");
        }
        String[] lines = raw.substring(0, headEnd).split("\r\n");
        String[] status = lines[0].split(" ", 3);
        java.util.List<java.util.Map.Entry<String, String>> headers = new java.util.ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.add(java.util.Map.entry(lines[i].substring(0, colon).trim(), lines[i].substring(colon + 1).trim()));
            }
        }
        return new Response(Integer.parseInt(status[1]), java.util.List.copyOf(headers), raw.substring(headEnd + 4));
    }
}
