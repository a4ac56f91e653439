package dev.kubetest.core.runtime;

import java.util.List;
import java.util.Optional;

/**
 * What a container runtime asks the cluster about its network: names (cluster DNS, as seen from a pod's
 * namespace) and where a connection goes (a Service's cluster IP or a node port to one of its ready endpoints,
 * as kube-proxy sends it).
 */
public interface ClusterNetwork {

    /**
     * The addresses {@code name} resolves to from a pod in {@code namespace}, or from outside the cluster when
     * {@code namespace} is null (the host names ingresses and gateways serve); empty when it does not resolve.
     */
    List<String> resolve(String namespace, String name);

    /**
     * The answer of the DNS server at {@code server} (the cluster DNS Service's address, a CoreDNS pod's, or the
     * node's resolver) to a query of {@code type} (A, AAAA, SRV, PTR, CNAME...) for the fully qualified {@code name};
     * {@link DnsAnswer#TIMEOUT} when nothing answers there.
     */
    default DnsAnswer query(String server, String name, String type) {
        return DnsAnswer.TIMEOUT;
    }

    /** One resource record: A's data is an address, CNAME's and PTR's a name, SRV's "priority weight port target". */
    record DnsRecord(String name, String type, String data) {}

    /** A DNS answer: its response code (NOERROR, NXDOMAIN, SERVFAIL) and answer records. */
    record DnsAnswer(String rcode, java.util.List<DnsRecord> records, boolean authoritative) {
        public static final DnsAnswer NXDOMAIN = new DnsAnswer("NXDOMAIN", java.util.List.of(), true);
        /** No DNS server answered (the cluster DNS has no ready endpoint). */
        public static final DnsAnswer TIMEOUT = new DnsAnswer("TIMEOUT", java.util.List.of(), false);

        public boolean found() {
            return "NOERROR".equals(rcode);
        }
    }

    /**
     * Where a connection from {@code fromIp} to {@code ip:port} goes: a ready endpoint when {@code ip} is a
     * Service's cluster IP or a node's address with a node port, {@code ip:port} itself otherwise; empty when it is
     * refused (a Service without that port or without a ready endpoint).
     */
    Optional<Target> route(String fromIp, String ip, int port);

    /**
     * Whether NetworkPolicies let a connection from {@code fromIp} reach {@code toIp:port} (the endpoint after
     * Service translation); a denied connection is dropped, so the client times out.
     */
    default boolean allows(String fromIp, String toIp, int port) {
        return true;
    }

    /**
     * The answer of a layer-7 proxy at {@code ip:port} (the ingress controller, a Gateway's listener) to an HTTP
     * {@code request}, which it forwards through {@code upstream}; empty when no proxy is there.
     */
    default Optional<byte[]> proxy(String fromIp, String ip, int port, byte[] request, Upstream upstream) {
        return Optional.empty();
    }

    /**
     * The answer of a layer-7 proxy at {@code ip:port} to an HTTP {@code request} sent over TLS naming
     * {@code serverName} (SNI, empty for none), with the certificate chain the proxy presented (empty when it
     * listens there but terminates no TLS: the handshake fails); empty when no proxy is there.
     */
    default Optional<TlsAnswer> proxyTls(String fromIp, String ip, int port, String serverName, byte[] request, Upstream upstream) {
        return Optional.empty();
    }

    /** What a TLS connection to a proxy came to: the server's certificate chain (empty: the handshake failed) and its answer. */
    record TlsAnswer(List<java.security.cert.X509Certificate> chain, byte[] answer) {
        public TlsAnswer {
            chain = List.copyOf(chain);
        }
    }

    /** How a proxy reaches a backend: the answer of {@code ip:port} to {@code request}, empty when refused. */
    interface Upstream {
        Optional<byte[]> send(String ip, int port, byte[] request);
    }

    /** The address connections from outside the cluster come from (kind's Docker network gateway). */
    String OUTSIDE = "172.18.0.1";

    /** An address and port a connection reaches. */
    record Target(String ip, int port) {
        /** Where a connection kube-proxy drops goes (no local endpoint under externalTrafficPolicy Local). */
        public static final Target DROPPED = new Target("", 0);
    }

    /** The network of a runtime no cluster has told about its Services: names do not resolve, addresses are direct. */
    ClusterNetwork NONE = new ClusterNetwork() {
        @Override
        public List<String> resolve(String namespace, String name) {
            return List.of();
        }

        @Override
        public Optional<Target> route(String fromIp, String ip, int port) {
            return Optional.of(new Target(ip, port));
        }
    };
}
