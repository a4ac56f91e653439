package dev.kubetest.runtime.simulated;

import dev.kubetest.runtime.shell.Network;
import dev.kubetest.runtime.shell.ShellText;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import dev.kubetest.core.runtime.ClusterNetwork;
import dev.kubetest.core.runtime.ContainerRuntime;

/**
 * The pod network of one cluster in the simulated runtime: every pod's containers are reachable at the pod's
 * IP, a container reaches its own pod at {@code localhost} and its own hostname, other names go to the cluster's
 * DNS and connections through the cluster's Services ({@link ClusterNetwork}: a cluster IP or node port reaches
 * a ready endpoint). What answers is what answers port-forward ({@link SimulatedHttp}).
 */
final class SimulatedNetwork {
    private final Map<String, List<SimulatedContainer>> byPod = new ConcurrentHashMap<>();
    private volatile ClusterNetwork cluster = ClusterNetwork.NONE;

    void register(SimulatedContainer c) {
        byPod.computeIfAbsent(c.spec().podUid(), k -> new CopyOnWriteArrayList<>()).add(c);
    }

    void forget(String podUid) {
        byPod.remove(podUid);
    }

    /** The cluster's DNS and Services. */
    void cluster(ClusterNetwork network) {
        this.cluster = network;
    }

    /** The network as seen from outside the cluster: addresses only (node ports and cluster IPs route as usual). */
    Network outside() {
        return exchange(null);
    }

    /** The network as seen from inside {@code from}'s pod. */
    Network from(SimulatedContainer from) {
        return exchange(from);
    }

    private Network exchange(SimulatedContainer from) {
        return new Network() {
            @Override
            public Reply exchange(String host, int port, String request) {
                return SimulatedNetwork.this.exchange(from, host, port, request);
            }

            @Override
            public Dns query(String server, String name, String type) {
                var answer = cluster.query(ShellText.decode(server), ShellText.decode(name), type);
                if (answer.rcode().equals("TIMEOUT")) {
                    return Dns.TIMEOUT;
                }
                return new Dns(answer.rcode(), answer.records().stream()
                        .map(r -> new Dns.Record(r.name(), r.type(), r.data())).toList(), answer.authoritative());
            }
        };
    }

    private Network.Reply exchange(SimulatedContainer from, String host, int port, String request) {
        String ip = address(from, ShellText.decode(host));
        if (ip == null) {
            return Network.Reply.unknownHost();
        }
        String fromIp = from == null ? ClusterNetwork.OUTSIDE : from.spec().podIp();
        var proxied = cluster.proxy(fromIp, ip, port, ShellText.bytes(request), this::direct);
        if (proxied.isPresent()) {
            return new Network.Reply(ip, true, true, ShellText.of(proxied.get()));
        }
        Object reached = connect(fromIp, ip, port);
        if (reached instanceof Network.Reply failed) {
            return failed;
        }
        ClusterNetwork.Target target = (ClusterNetwork.Target) reached;
        return new Network.Reply(ip, true, true, ShellText.of(direct(target.ip(), target.port(), ShellText.bytes(request)).orElseThrow()));
    }

    /**
     * A request over TLS naming {@code serverName}: a proxy that terminates TLS there answers with its certificate;
     * a container's server, which speaks plain TCP, fails the handshake (connected, no certificate, no answer).
     */
    ContainerRuntime.TlsReply exchangeTls(SimulatedContainer from, String host, int port, String serverName, byte[] request) {
        String ip = address(from, host);
        if (ip == null) {
            return new ContainerRuntime.TlsReply(new ContainerRuntime.NetworkReply(null, false, false, new byte[0]), List.of());
        }
        String fromIp = from == null ? ClusterNetwork.OUTSIDE : from.spec().podIp();
        var proxied = cluster.proxyTls(fromIp, ip, port, serverName, request, this::direct);
        if (proxied.isPresent()) {
            return new ContainerRuntime.TlsReply(new ContainerRuntime.NetworkReply(ip, true, true, proxied.get().answer()), proxied.get().chain());
        }
        Object reached = connect(fromIp, ip, port);
        if (reached instanceof Network.Reply failed) {
            return new ContainerRuntime.TlsReply(new ContainerRuntime.NetworkReply(ip, true, false, new byte[0], failed.timedOut()), List.of());
        }
        return new ContainerRuntime.TlsReply(new ContainerRuntime.NetworkReply(ip, true, true, new byte[0]), List.of());
    }

    /** The address {@code name} stands for as seen from {@code from} (or from outside when null); null when it does not resolve. */
    private String address(SimulatedContainer from, String name) {
        if (from != null && (name.equals("localhost") || name.equals("127.0.0.1") || name.equals(from.spec().hostname()))) {
            return from.spec().podIp();
        }
        if (name.matches("\\d+\\.\\d+\\.\\d+\\.\\d+")) {
            return name;
        }
        List<String> ips = cluster.resolve(from == null ? null : from.spec().namespace(), name);
        return ips.isEmpty() ? null : ips.get(0);
    }

    /** Where a connection from {@code fromIp} to {@code ip:port} lands (a {@link ClusterNetwork.Target} with a listener), or the failed reply. */
    private Object connect(String fromIp, String ip, int port) {
        var routed = cluster.route(fromIp, ip, port);
        if (routed.isEmpty()) {
            return Network.Reply.refused(ip);
        }
        if (routed.get().equals(ClusterNetwork.Target.DROPPED) || !cluster.allows(fromIp, routed.get().ip(), routed.get().port())) {
            return Network.Reply.timedOut(ip);
        }
        if (listener(routed.get().ip(), routed.get().port()) == null) {
            return Network.Reply.refused(ip);
        }
        return routed.get();
    }

    /** What {@code ip:port} answers to {@code request}, connecting directly (a proxy's upstream connection). */
    private java.util.Optional<byte[]> direct(String ip, int port, byte[] request) {
        SimulatedContainer target = listener(ip, port);
        if (target == null) {
            return java.util.Optional.empty();
        }
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        SimulatedHttp.Connection connection = new SimulatedHttp.Connection(target, port, answer::writeBytes);
        connection.write(request);
        connection.close();
        return java.util.Optional.of(answer.toByteArray());
    }

    private SimulatedContainer listener(String ip, int port) {
        for (List<SimulatedContainer> pod : byPod.values()) {
            for (SimulatedContainer c : pod) {
                if (c.running() && ip.equals(c.spec().podIp()) && c.reachable() && c.listensOn(port)) {
                    return c;
                }
            }
        }
        return null;
    }
}
