package dev.kubetest.runtime.simulated;

import dev.kubetest.runtime.shell.Network;
import dev.kubetest.runtime.shell.ShellText;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import dev.kubetest.core.runtime.ClusterNetwork;

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
        String name = ShellText.decode(host);
        String ip;
        if (from != null && (name.equals("localhost") || name.equals("127.0.0.1") || name.equals(from.spec().hostname()))) {
            ip = from.spec().podIp();
        } else if (name.matches("\\d+\\.\\d+\\.\\d+\\.\\d+")) {
            ip = name;
        } else {
            List<String> ips = cluster.resolve(from == null ? null : from.spec().namespace(), name);
            if (ips.isEmpty()) {
                return Network.Reply.unknownHost();
            }
            ip = ips.get(0);
        }
        String fromIp = from == null ? ClusterNetwork.OUTSIDE : from.spec().podIp();
        var proxied = cluster.proxy(fromIp, ip, port, ShellText.bytes(request), this::direct);
        if (proxied.isPresent()) {
            return new Network.Reply(ip, true, true, ShellText.of(proxied.get()));
        }
        var routed = cluster.route(fromIp, ip, port);
        if (routed.isEmpty()) {
            return Network.Reply.refused(ip);
        }
        if (routed.get().equals(ClusterNetwork.Target.DROPPED)) {
            return Network.Reply.timedOut(ip);
        }
        if (!cluster.allows(fromIp, routed.get().ip(), routed.get().port())) {
            return Network.Reply.timedOut(ip);
        }
        SimulatedContainer target = listener(routed.get().ip(), routed.get().port());
        if (target == null) {
            return Network.Reply.refused(ip);
        }
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        SimulatedHttp.Connection connection = new SimulatedHttp.Connection(target, routed.get().port(), answer::writeBytes);
        connection.write(ShellText.bytes(request));
        connection.close();
        return new Network.Reply(ip, true, true, ShellText.of(answer.toByteArray()));
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
