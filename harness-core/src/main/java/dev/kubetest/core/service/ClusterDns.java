package dev.kubetest.core.service;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kubetest.core.api.KubeApi;
import dev.kubetest.core.meta.ListOptions;
import dev.kubetest.core.meta.ResourceType;
import dev.kubetest.core.runtime.ClusterNetwork.DnsAnswer;
import dev.kubetest.core.runtime.ClusterNetwork.DnsRecord;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Function;

/**
 * The cluster DNS as CoreDNS's kubernetes plugin answers (the Kubernetes DNS specification): {@code
 * <svc>.<ns>.svc.cluster.local} A records (the cluster IP, or a headless Service's ready endpoints), ExternalName
 * Services as CNAMEs, {@code <hostname>.<svc>.<ns>.svc} for endpoints with a hostname, SRV records for named ports
 * ({@code _<port>._<proto>.<svc>.<ns>.svc}), {@code <a-b-c-d>.<ns>.pod} A records and PTR records for cluster IPs
 * and headless endpoints. Names outside {@code cluster.local} are NXDOMAIN (no upstream resolver is reachable
 * offline). While a kube-dns Service exists in kube-system, queries time out when it has no ready endpoint, as
 * when CoreDNS is down.
 */
final class ClusterDns {
    static final String DOMAIN = "cluster.local";
    /** The cluster DNS Service's address, as kubeadm and kind give it. */
    static final String ADDRESS = "10.96.0.10";

    private final KubeApi api;
    private final ResourceType services;
    private final Function<JsonNode, List<JsonNode>> endpoints;
    private final Random random = new Random();

    /** {@code endpoints}: the endpoints a Service publishes (ready, or all with publishNotReadyAddresses). */
    ClusterDns(KubeApi api, Function<JsonNode, List<JsonNode>> endpoints) {
        this.api = api;
        this.services = api.registry().find("", "v1", "services").orElseThrow();
        this.endpoints = endpoints;
    }

    /** Whether CoreDNS has been ready once: a cluster's boot ends with its DNS up, which the simulation's does not wait for. */
    private volatile boolean upOnce;

    /**
     * Whether the cluster DNS answers: no kube-dns Service (the components are switched off), a ready one, or one
     * whose CoreDNS pods are still starting with the cluster (a real cluster is handed over with its DNS up).
     */
    boolean serving() {
        JsonNode svc = api.find(services, "kube-system", "kube-dns").orElse(null);
        if (svc == null) {
            return true;
        }
        if (!endpoints.apply(svc).isEmpty()) {
            upOnce = true;
            return true;
        }
        return !upOnce;
    }

    /** Whether {@code ip} is the cluster DNS: the kube-dns Service's address (10.96.0.10 without one) or a CoreDNS pod's. */
    boolean isServer(String ip) {
        JsonNode svc = api.find(services, "kube-system", "kube-dns").orElse(null);
        if (svc == null) {
            return ip.equals(ADDRESS);
        }
        return ip.equals(svc.path("spec").path("clusterIP").asText())
                || endpoints.apply(svc).stream().anyMatch(e -> ip.equals(e.path("addresses").path(0).asText()));
    }

    DnsAnswer query(String name, String type) {
        if (!serving()) {
            return DnsAnswer.TIMEOUT;
        }
        return answer(normalise(name), type.toUpperCase(Locale.ROOT), 0);
    }

    static String normalise(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
    }

    private DnsAnswer answer(String n, String type, int depth) {
        if (n.endsWith(".in-addr.arpa")) {
            return type.equals("PTR") || type.equals("ANY") ? ptr(n) : noError(List.of());
        }
        if (!n.endsWith("." + DOMAIN)) {
            return DnsAnswer.NXDOMAIN;
        }
        String[] parts = n.substring(0, n.length() - DOMAIN.length() - 1).split("\\.");
        if (parts.length == 3 && parts[2].equals("pod") && parts[0].matches("\\d+-\\d+-\\d+-\\d+")) {
            return noError(wants(type, "A") ? List.of(new DnsRecord(n, "A", parts[0].replace('-', '.'))) : List.of());
        }
        if (parts.length < 3 || !parts[parts.length - 1].equals("svc")) {
            return DnsAnswer.NXDOMAIN;
        }
        JsonNode svc = api.find(services, parts[parts.length - 2], parts[parts.length - 3]).orElse(null);
        if (svc == null) {
            return DnsAnswer.NXDOMAIN;
        }
        String svcName = parts[parts.length - 3] + "." + parts[parts.length - 2] + ".svc." + DOMAIN;
        if (parts.length == 3) {
            return service(n, svc, type, depth);
        }
        if (parts.length == 4) {
            return endpointByHost(n, svc, parts[0], type);
        }
        if (parts.length == 5 && parts[0].startsWith("_") && parts[1].startsWith("_")) {
            List<DnsRecord> srv = srv(n, svc, svcName, parts[0].substring(1), parts[1].substring(1));
            return srv.isEmpty() ? DnsAnswer.NXDOMAIN : noError(wants(type, "SRV") ? srv : List.of());
        }
        return DnsAnswer.NXDOMAIN;
    }

    private DnsAnswer service(String n, JsonNode svc, String type, int depth) {
        JsonNode spec = svc.path("spec");
        if ("ExternalName".equals(spec.path("type").asText())) {
            String target = normalise(spec.path("externalName").asText());
            List<DnsRecord> out = new ArrayList<>(List.of(new DnsRecord(n, "CNAME", target)));
            if (!type.equals("CNAME") && depth < 8) {
                DnsAnswer next = answer(target, type, depth + 1);
                out.addAll(next.records());
            }
            return noError(out);
        }
        List<DnsRecord> out = new ArrayList<>();
        if (wants(type, "A")) {
            if (ServiceEndpoints.headless(svc)) {
                List<String> ips = new ArrayList<>(endpoints.apply(svc).stream().map(e -> e.path("addresses").path(0).asText()).toList());
                Collections.shuffle(ips, random);
                ips.forEach(ip -> out.add(new DnsRecord(n, "A", ip)));
            } else if (!spec.path("clusterIP").asText("").isEmpty()) {
                out.add(new DnsRecord(n, "A", spec.path("clusterIP").asText()));
            }
        }
        if (wants(type, "SRV")) {
            for (JsonNode p : spec.path("ports")) {
                out.addAll(srv(n, svc, n, p.path("name").asText(""), p.path("protocol").asText("TCP").toLowerCase(Locale.ROOT)));
            }
        }
        return noError(out);
    }

    private DnsAnswer endpointByHost(String n, JsonNode svc, String host, String type) {
        for (JsonNode e : endpoints.apply(svc)) {
            String ip = e.path("addresses").path(0).asText();
            if (host.equals(e.path("hostname").asText()) || (ServiceEndpoints.headless(svc) && host.equals(ip.replace('.', '-')))) {
                return noError(wants(type, "A") ? List.of(new DnsRecord(n, "A", ip)) : List.of());
            }
        }
        return DnsAnswer.NXDOMAIN;
    }

    /** SRV records of the Service's port {@code portName} over {@code proto} (an empty name: every unnamed port). */
    private List<DnsRecord> srv(String queried, JsonNode svc, String svcName, String portName, String proto) {
        List<DnsRecord> out = new ArrayList<>();
        for (JsonNode p : svc.path("spec").path("ports")) {
            if (!portName.equals(p.path("name").asText("")) || !proto.equals(p.path("protocol").asText("TCP").toLowerCase(Locale.ROOT))) {
                continue;
            }
            if (!ServiceEndpoints.headless(svc)) {
                out.add(new DnsRecord(queried, "SRV", "0 100 " + p.path("port").asInt() + " " + svcName));
                continue;
            }
            List<JsonNode> eps = endpoints.apply(svc);
            int weight = eps.isEmpty() ? 0 : Math.max(1, 100 / eps.size());
            for (JsonNode e : eps) {
                String ip = e.path("addresses").path(0).asText();
                String host = e.path("hostname").asText(ip.replace('.', '-'));
                out.add(new DnsRecord(queried, "SRV", "0 " + weight + " " + targetPort(p) + " " + host + "." + svcName));
            }
        }
        return out;
    }

    private static int targetPort(JsonNode servicePort) {
        JsonNode t = servicePort.path("targetPort");
        return t.isInt() ? t.asInt() : servicePort.path("port").asInt();
    }

    private DnsAnswer ptr(String n) {
        String[] octets = n.substring(0, n.length() - ".in-addr.arpa".length()).split("\\.");
        if (octets.length != 4) {
            return DnsAnswer.NXDOMAIN;
        }
        String ip = octets[3] + "." + octets[2] + "." + octets[1] + "." + octets[0];
        for (JsonNode svc : api.lists().list(services, null, ListOptions.all()).items()) {
            String svcName = svc.path("metadata").path("name").asText() + "." + svc.path("metadata").path("namespace").asText() + ".svc." + DOMAIN;
            if (ip.equals(svc.path("spec").path("clusterIP").asText())) {
                return noError(List.of(new DnsRecord(n, "PTR", svcName)));
            }
            if (ServiceEndpoints.headless(svc)) {
                for (JsonNode e : endpoints.apply(svc)) {
                    if (ip.equals(e.path("addresses").path(0).asText())) {
                        return noError(List.of(new DnsRecord(n, "PTR", e.path("hostname").asText(ip.replace('.', '-')) + "." + svcName)));
                    }
                }
            }
        }
        return DnsAnswer.NXDOMAIN;
    }

    private static boolean wants(String type, String record) {
        return type.equals(record) || type.equals("ANY");
    }

    private static DnsAnswer noError(List<DnsRecord> records) {
        return new DnsAnswer("NOERROR", List.copyOf(records), true);
    }

    /** The A records of an answer, CNAMEs followed. */
    static List<String> addresses(DnsAnswer answer) {
        return answer.records().stream().filter(r -> r.type().equals("A")).map(DnsRecord::data).toList();
    }
}
