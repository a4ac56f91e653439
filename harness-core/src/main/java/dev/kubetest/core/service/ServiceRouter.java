package dev.kubetest.core.service;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kubetest.core.api.KubeApi;
import dev.kubetest.core.meta.ListOptions;
import dev.kubetest.core.meta.ResourceType;
import dev.kubetest.core.runtime.ClusterNetwork;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The cluster's network as kube-proxy (iptables mode) and CoreDNS make it, read from the API: a Service's name
 * resolves through the pod's search path ({@code <svc>}, {@code <svc>.<ns>}, {@code <svc>.<ns>.svc.cluster.local})
 * to its cluster IP, or for a headless Service to its ready endpoints, and a StatefulSet pod's
 * {@code <hostname>.<svc>.<ns>.svc.cluster.local} to its address; a connection to a cluster IP (or to a node's
 * address on a node port) goes to one of the ready endpoints behind that port, chosen at random per connection or
 * kept per client with ClientIP affinity, only same-node ones with internalTrafficPolicy Local, and is refused
 * when there is none.
 */
public final class ServiceRouter implements ClusterNetwork {
    private static final String DOMAIN = "cluster.local";

    private final KubeApi api;
    private final ResourceType services;
    private final ResourceType slices;
    private final ResourceType pods;
    private final ResourceType nodes;
    private final Random random = new Random();
    private final dev.kubetest.core.network.PolicyEnforcer policies;
    private final List<dev.kubetest.core.network.HttpProxy> proxies = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Map<String, Sticky> affinity = new ConcurrentHashMap<>();
    private final ClusterDns dns;

    private record Sticky(Target target, Instant until) {}

    public ServiceRouter(KubeApi api) {
        this.api = api;
        this.services = api.registry().find("", "v1", "services").orElseThrow();
        this.slices = api.registry().find("discovery.k8s.io", "v1", "endpointslices").orElseThrow();
        this.pods = api.registry().find("", "v1", "pods").orElseThrow();
        this.nodes = api.registry().find("", "v1", "nodes").orElseThrow();
        this.policies = new dev.kubetest.core.network.PolicyEnforcer(api);
        this.dns = new ClusterDns(api, svc -> readyEndpoints(svc, null));
    }

    @Override
    public boolean allows(String fromIp, String toIp, int port) {
        return policies.allows(fromIp, toIp, port);
    }

    /** Adds a layer-7 proxy (the ingress controller, Gateways) to the network. */
    public void addProxy(dev.kubetest.core.network.HttpProxy proxy) {
        proxies.add(proxy);
    }

    @Override
    public Optional<byte[]> proxy(String fromIp, String ip, int port, byte[] request, Upstream upstream) {
        if (proxies.isEmpty()) {
            return Optional.empty();
        }
        var parsed = dev.kubetest.core.network.HttpRequest.parse(request);
        if (parsed.isEmpty()) {
            return Optional.empty();
        }
        var connection = dev.kubetest.core.network.HttpProxy.Connection.plain(fromIp, ip, port);
        for (var p : proxies) {
            Optional<byte[]> answer = p.serve(connection, parsed.get(), upstream);
            if (answer.isPresent()) {
                return answer;
            }
        }
        return Optional.empty();
    }

    @Override
    public Optional<TlsAnswer> proxyTls(String fromIp, String ip, int port, String serverName, byte[] request, Upstream upstream) {
        for (var p : proxies) {
            if (!p.listens(ip, port)) {
                continue;
            }
            var credentials = p.certificate(ip, port, serverName);
            if (credentials.isEmpty()) {
                return Optional.of(new TlsAnswer(List.of(), new byte[0]));
            }
            var parsed = dev.kubetest.core.network.HttpRequest.parse(request);
            byte[] answer = parsed.isEmpty() ? dev.kubetest.core.network.HttpRequest.nginxError(400, "Bad Request")
                    : p.serve(new dev.kubetest.core.network.HttpProxy.Connection(fromIp, ip, port, true, serverName), parsed.get(), upstream)
                            .orElse(new byte[0]);
            return Optional.of(new TlsAnswer(credentials.get().chain(), answer));
        }
        return Optional.empty();
    }

    /**
     * A ready endpoint of Service {@code namespace/name} behind its port {@code port} (a number or a port name),
     * chosen as for a connection from {@code fromIp}; empty when there is no such Service, port or endpoint.
     */
    public Optional<Target> endpoint(String namespace, String name, String port, String fromIp) {
        JsonNode svc = api.find(services, namespace, name).orElse(null);
        if (svc == null) {
            return Optional.empty();
        }
        for (JsonNode p : svc.path("spec").path("ports")) {
            if (port.equals(p.path("port").asText()) || port.equals(p.path("name").asText())) {
                return pick(svc, p, fromIp);
            }
        }
        return Optional.empty();
    }

    @Override
    public List<String> resolve(String namespace, String name) {
        String n = name.toLowerCase(Locale.ROOT);
        if (namespace == null) {
            for (var p : proxies) {
                List<String> ips = p.addressesOf(n);
                if (!ips.isEmpty()) {
                    return ips;
                }
            }
            return List.of();
        }
        n = ClusterDns.normalise(n);
        List<String> candidates = new ArrayList<>();
        if (n.endsWith("." + DOMAIN)) {
            candidates.add(n);
        } else {
            // the search path of a ClusterFirst pod: <ns>.svc.cluster.local svc.cluster.local cluster.local
            candidates.add(n + "." + namespace + ".svc." + DOMAIN);
            candidates.add(n + ".svc." + DOMAIN);
            candidates.add(n + "." + DOMAIN);
        }
        for (String fqdn : candidates) {
            List<String> ips = ClusterDns.addresses(dns.query(fqdn, "A"));
            if (!ips.isEmpty()) {
                return ips;
            }
        }
        return List.of();
    }

    @Override
    public DnsAnswer query(String server, String name, String type) {
        if (server.equals(ClusterNetwork.OUTSIDE)) {
            return DnsAnswer.NXDOMAIN; // the node's resolver: nothing resolves offline
        }
        return dns.isServer(server) ? dns.query(name, type) : DnsAnswer.TIMEOUT;
    }

    @Override
    public Optional<Target> route(String fromIp, String ip, int port) {
        for (JsonNode svc : api.lists().list(services, null, ListOptions.all()).items()) {
            String type = svc.path("spec").path("type").asText("ClusterIP");
            if (type.equals("ExternalName")) {
                continue;
            }
            boolean clusterIp = ip.equals(svc.path("spec").path("clusterIP").asText()) || loadBalancer(svc, ip);
            for (JsonNode p : svc.path("spec").path("ports")) {
                boolean viaClusterIp = clusterIp && p.path("port").asInt() == port;
                boolean viaNodePort = !clusterIp && p.path("nodePort").asInt(-1) == port && nodeAddress(ip);
                if (viaNodePort && "Local".equals(svc.path("spec").path("externalTrafficPolicy").asText())) {
                    // externalTrafficPolicy Local: only the endpoints on the node reached; none there, dropped
                    return Optional.of(pick(svc, p, fromIp, nodeNamed(ip)).orElse(Target.DROPPED));
                }
                if (viaClusterIp || viaNodePort) {
                    return pick(svc, p, fromIp);
                }
            }
            if (clusterIp) {
                return Optional.empty(); // a cluster IP on a port the Service does not have
            }
        }
        return Optional.of(new Target(ip, port));
    }

    /** Whether {@code ip} is one of the Service's load balancer addresses. */
    private static boolean loadBalancer(JsonNode svc, String ip) {
        for (JsonNode i : svc.path("status").path("loadBalancer").path("ingress")) {
            if (ip.equals(i.path("ip").asText())) {
                return true;
            }
        }
        return false;
    }

    private boolean nodeAddress(String ip) {
        for (JsonNode node : api.lists().list(nodes, null, ListOptions.all()).items()) {
            for (JsonNode a : node.path("status").path("addresses")) {
                if (ip.equals(a.path("address").asText())) {
                    return true;
                }
            }
        }
        return false;
    }

    private Optional<Target> pick(JsonNode svc, JsonNode servicePort, String fromIp) {
        String localNode = "Local".equals(svc.path("spec").path("internalTrafficPolicy").asText("Cluster")) ? nodeOf(fromIp) : null;
        return pick(svc, servicePort, fromIp, localNode);
    }

    /** The name of the node whose address is {@code ip}, or "" . */
    private String nodeNamed(String ip) {
        for (JsonNode node : api.lists().list(nodes, null, ListOptions.all()).items()) {
            for (JsonNode a : node.path("status").path("addresses")) {
                if (ip.equals(a.path("address").asText())) {
                    return node.path("metadata").path("name").asText();
                }
            }
        }
        return "";
    }

    /** A ready endpoint (on {@code localNode} only, when not null), kept per client with ClientIP affinity. */
    private Optional<Target> pick(JsonNode svc, JsonNode servicePort, String fromIp, String localNode) {
        String key = svc.path("metadata").path("uid").asText() + "/" + servicePort.path("port").asText() + "/" + fromIp;
        boolean sticky = "ClientIP".equals(svc.path("spec").path("sessionAffinity").asText("None"));
        Instant now = api.clock().now();
        List<Target> targets = new ArrayList<>();
        String portName = servicePort.path("name").asText("");
        for (JsonNode slice : slicesOf(svc)) {
            Integer number = null;
            for (JsonNode p : slice.path("ports")) {
                if (portName.equals(p.path("name").asText(""))) {
                    number = p.path("port").asInt();
                }
            }
            if (number == null) {
                continue;
            }
            for (JsonNode e : slice.path("endpoints")) {
                if (ready(e) && (localNode == null || localNode.equals(e.path("nodeName").asText()))) {
                    targets.add(new Target(e.path("addresses").path(0).asText(), number));
                }
            }
        }
        if (targets.isEmpty()) {
            return Optional.empty();
        }
        if (sticky) {
            Sticky s = affinity.get(key);
            if (s != null && now.isBefore(s.until()) && targets.contains(s.target())) {
                affinity.put(key, new Sticky(s.target(), now.plus(timeout(svc))));
                return Optional.of(s.target());
            }
        }
        Target chosen = targets.get(random.nextInt(targets.size()));
        if (sticky) {
            affinity.put(key, new Sticky(chosen, now.plus(timeout(svc))));
        }
        return Optional.of(chosen);
    }

    private static Duration timeout(JsonNode svc) {
        return Duration.ofSeconds(svc.path("spec").path("sessionAffinityConfig").path("clientIP").path("timeoutSeconds").asLong(10800));
    }

    private List<JsonNode> readyEndpoints(JsonNode svc, String node) {
        List<JsonNode> out = new ArrayList<>();
        boolean publishNotReady = svc.path("spec").path("publishNotReadyAddresses").asBoolean(false);
        for (JsonNode slice : slicesOf(svc)) {
            for (JsonNode e : slice.path("endpoints")) {
                if ((publishNotReady || ready(e)) && (node == null || node.equals(e.path("nodeName").asText()))) {
                    out.add(e);
                }
            }
        }
        return out;
    }

    private List<? extends JsonNode> slicesOf(JsonNode svc) {
        return api.lists().list(slices, svc.path("metadata").path("namespace").asText(),
                ListOptions.labels("kubernetes.io/service-name=" + svc.path("metadata").path("name").asText())).items();
    }

    private static boolean ready(JsonNode endpoint) {
        JsonNode r = endpoint.path("conditions").path("ready");
        return r.isMissingNode() || r.isNull() || r.asBoolean();
    }

    private String nodeOf(String podIp) {
        for (JsonNode pod : api.lists().list(pods, null, ListOptions.all()).items()) {
            if (podIp.equals(pod.path("status").path("podIP").asText())) {
                return pod.path("spec").path("nodeName").asText();
            }
        }
        return "";
    }
}
