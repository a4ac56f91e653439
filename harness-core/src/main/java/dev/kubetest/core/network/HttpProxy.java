package dev.kubetest.core.network;

import dev.kubetest.core.runtime.ClusterNetwork;
import dev.kubetest.core.tls.TlsCredentials;
import java.util.List;
import java.util.Optional;

/**
 * A layer-7 proxy on the simulated network (the ingress controller, Gateways): where it listens, the certificate
 * it presents where it terminates TLS, and how it answers.
 */
public interface HttpProxy {

    /**
     * One connection to the proxy: from {@code fromIp} to {@code ip:port}, over TLS when {@code tls} (then
     * {@code serverName} is the SNI name the client sent, empty for none).
     */
    record Connection(String fromIp, String ip, int port, boolean tls, String serverName) {
        public static Connection plain(String fromIp, String ip, int port) {
            return new Connection(fromIp, ip, port, false, "");
        }

        /** The scheme a proxy tells its backends ({@code X-Forwarded-Proto}). */
        public String scheme() {
            return tls ? "https" : "http";
        }
    }

    /** Its answer to {@code request} on {@code connection}; empty when it does not listen there. */
    Optional<byte[]> serve(Connection connection, HttpRequest request, ClusterNetwork.Upstream upstream);

    /** Whether it accepts connections on {@code ip:port} (plain or TLS). */
    default boolean listens(String ip, int port) {
        return false;
    }

    /**
     * The certificate chain and key it presents for a TLS connection to {@code ip:port} naming {@code serverName}
     * (SNI; empty for none); empty when it does not terminate TLS there (a client's handshake fails).
     */
    default Optional<TlsCredentials> certificate(String ip, int port, String serverName) {
        return Optional.empty();
    }

    /** The addresses a host name it serves resolves to from outside the cluster (as a DNS record for it would). */
    default List<String> addressesOf(String host) {
        return List.of();
    }
}
