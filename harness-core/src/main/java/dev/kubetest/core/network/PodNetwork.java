package dev.kubetest.core.network;

import dev.kubetest.core.runtime.ContainerProcess;
import dev.kubetest.core.runtime.ContainerRuntime;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import dev.kubetest.core.tls.ServerIdentity;
import dev.kubetest.core.tls.TlsCredentials;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Supplier;

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
    private final Supplier<Instant> now;

    /**
     * {@code containerOf} finds a running container of pod {@code (namespace, name)}, or null; {@code now} is the
     * cluster's time, at which certificates are checked.
     */
    public PodNetwork(ContainerRuntime runtime, BiFunction<String, String, ContainerProcess> containerOf, Supplier<Instant> now) {
        this.runtime = runtime;
        this.containerOf = containerOf;
        this.now = now;
    }

    /** Requests as pod {@code namespace/pod} makes them. */
    public Client from(String namespace, String pod) {
        ContainerProcess c = containerOf.apply(namespace, pod);
        if (c == null) {
            throw new NetworkException(NetworkException.Reason.NO_CONTAINER, "pod " + namespace + "/" + pod
                    + " has no running container to make requests from");
        }
        return new Client(c, "pod " + namespace + "/" + pod, null, false);
    }

    /** Requests from outside the cluster: addresses only (a node's address with a node port, a cluster IP). */
    public Client fromOutside() {
        return new Client(null, "outside the cluster", null, false);
    }

    /**
     * An HTTP answer: its status code, headers (in order received) and body, and over HTTPS the certificate chain
     * the server presented (empty over HTTP).
     */
    public record Response(int status, List<Map.Entry<String, String>> headers, String body, List<X509Certificate> serverCertificates) {
        /** The first value of header {@code name} (case-insensitive), if any. */
        public java.util.Optional<String> header(String name) {
            return headers.stream().filter(h -> h.getKey().equalsIgnoreCase(name)).map(java.util.Map.Entry::getValue).findFirst();
        }
    }

    /**
     * Makes requests from one place. Over HTTPS it checks the server's certificate as curl does: against the JDK's
     * trusted roots unless given others ({@link #trusting}), at the cluster's time, for the URL's host; or not at
     * all ({@link #insecure()}, curl's {@code -k}).
     */
    public final class Client {
        private final ContainerProcess from;
        private final String where;
        private final List<X509Certificate> roots;
        private final boolean insecure;

        private Client(ContainerProcess from, String where, List<X509Certificate> roots, boolean insecure) {
            this.from = from;
            this.where = where;
            this.roots = roots;
            this.insecure = insecure;
        }

        /** The same client trusting only these roots for HTTPS (curl's {@code --cacert}). */
        public Client trusting(X509Certificate... certificates) {
            return new Client(from, where, List.of(certificates), false);
        }

        /** The same client trusting only the certificates of this PEM text for HTTPS (a CA bundle). */
        public Client trusting(String pem) {
            try {
                return trusting(TlsCredentials.certificates(pem).toArray(X509Certificate[]::new));
            } catch (TlsCredentials.Invalid e) {
                throw new IllegalArgumentException("not a PEM certificate bundle: " + e.getMessage());
            }
        }

        /** The same client accepting any server certificate for HTTPS (curl's {@code -k}). */
        public Client insecure() {
            return new Client(from, where, roots, true);
        }

        /** GETs {@code url} ({@code http://host[:port]/path} or {@code https://...}). */
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
            boolean https = "https".equals(u.getScheme());
            if (!(https || "http".equals(u.getScheme())) || u.getHost() == null) {
                throw new IllegalArgumentException("not an http or https URL: " + url);
            }
            int port = u.getPort() < 0 ? (https ? 443 : 80) : u.getPort();
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
            if (https) {
                return secure(u.getHost(), port, request.toString(), url);
            }
            ContainerRuntime.NetworkReply reply = exchange(u.getHost(), port, request.toString());
            return parse(new String(reply.data(), StandardCharsets.UTF_8), url, List.of());
        }

        private Response secure(String host, int port, String request, String url) {
            // as curl and Java's HttpClient: SNI names a host, never an address
            String serverName = host.matches("\\d+\\.\\d+\\.\\d+\\.\\d+") || host.contains(":") ? "" : host;
            ContainerRuntime.TlsReply tls = runtime.exchangeTls(from, host, port, serverName, request.getBytes(StandardCharsets.UTF_8));
            check(host, port, tls.reply());
            if (tls.serverChain().isEmpty()) {
                throw new NetworkException(NetworkException.Reason.TLS_HANDSHAKE, "from " + where + ": TLS connect error to "
                        + host + ":" + port + " (" + tls.reply().address() + "): the server did not complete a TLS handshake");
            }
            if (!insecure) {
                var problem = ServerIdentity.problem(tls.serverChain(), host, roots == null ? ServerIdentity.systemRoots() : roots, now.get());
                if (problem.isPresent()) {
                    throw new NetworkException(NetworkException.Reason.UNTRUSTED_CERTIFICATE, "from " + where + ": " + problem.get());
                }
            }
            return parse(new String(tls.reply().data(), StandardCharsets.UTF_8), url, tls.serverChain());
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
            return check(host, port, runtime.exchange(from, host, port, request.getBytes(StandardCharsets.UTF_8)));
        }

        private ContainerRuntime.NetworkReply check(String host, int port, ContainerRuntime.NetworkReply reply) {
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

    private static Response parse(String raw, String url, List<X509Certificate> certificates) {
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
        return new Response(Integer.parseInt(status[1]), List.copyOf(headers), raw.substring(headEnd + 4), certificates);
    }
}
