package dev.kubetest.core.kubelet;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The kubelet-managed {@code /etc/hosts} and {@code /etc/resolv.conf} of a pod's containers, as upstream writes
 * them: the hosts file with localhost, the pod's own name (its FQDN first when it has a subdomain) and its
 * hostAliases; resolv.conf from dnsPolicy (ClusterFirst: the cluster DNS Service and the namespace's search path
 * with ndots:5; Default: the node's; None: only dnsConfig) with dnsConfig merged in. Pure functions.
 */
final class PodDnsFiles {
    /** The cluster DNS Service's address (kube-dns in kube-system, as kubeadm and kind make it). */
    static final String CLUSTER_DNS = "10.96.0.10";
    static final String DOMAIN = "cluster.local";
    /** What a kind node's own resolv.conf points at (Docker's embedded DNS). */
    static final String NODE_DNS = "172.18.0.1";

    private PodDnsFiles() {}

    static Map<String, String> files(JsonNode pod, String podIp) {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("/etc/hosts", hosts(pod, podIp));
        files.put("/etc/resolv.conf", resolvConf(pod));
        return files;
    }

    static String hosts(JsonNode pod, String podIp) {
        StringBuilder sb = new StringBuilder("# Kubernetes-managed hosts file.\n");
        sb.append("127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\n")
                .append("fe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n");
        JsonNode spec = pod.path("spec");
        String hostname = spec.path("hostname").asText(pod.path("metadata").path("name").asText());
        String subdomain = spec.path("subdomain").asText("");
        String ns = pod.path("metadata").path("namespace").asText();
        if (!podIp.isEmpty()) {
            sb.append(podIp).append('\t');
            if (!subdomain.isEmpty()) {
                sb.append(hostname).append('.').append(subdomain).append('.').append(ns).append(".svc.").append(DOMAIN).append('\t');
            }
            sb.append(hostname).append('\n');
        }
        JsonNode aliases = spec.path("hostAliases");
        if (aliases.isArray() && !aliases.isEmpty()) {
            sb.append("\n# Entries added by HostAliases.\n");
            for (JsonNode a : aliases) {
                sb.append(a.path("ip").asText());
                a.path("hostnames").forEach(h -> sb.append('\t').append(h.asText()));
                sb.append('\n');
            }
        }
        return sb.toString();
    }

    static String resolvConf(JsonNode pod) {
        JsonNode spec = pod.path("spec");
        String ns = pod.path("metadata").path("namespace").asText();
        String policy = spec.path("dnsPolicy").asText("ClusterFirst");
        boolean hostNetwork = spec.path("hostNetwork").asBoolean(false);
        if (policy.equals("ClusterFirst") && hostNetwork) {
            policy = "Default"; // plain ClusterFirst on the host network falls back to the node's DNS
        }
        List<String> nameservers = new ArrayList<>();
        List<String> searches = new ArrayList<>();
        Map<String, String> options = new LinkedHashMap<>();
        switch (policy) {
            case "ClusterFirst", "ClusterFirstWithHostNet" -> {
                nameservers.add(CLUSTER_DNS);
                searches.addAll(List.of(ns + ".svc." + DOMAIN, "svc." + DOMAIN, DOMAIN));
                options.put("ndots", "5");
            }
            case "Default" -> nameservers.add(NODE_DNS);
            default -> { } // None: dnsConfig alone
        }
        JsonNode config = spec.path("dnsConfig");
        config.path("nameservers").forEach(n -> {
            if (!nameservers.contains(n.asText())) {
                nameservers.add(n.asText());
            }
        });
        config.path("searches").forEach(s -> {
            if (!searches.contains(s.asText())) {
                searches.add(s.asText());
            }
        });
        config.path("options").forEach(o -> options.put(o.path("name").asText(), o.hasNonNull("value") ? o.path("value").asText() : null));
        StringBuilder sb = new StringBuilder();
        if (!searches.isEmpty()) {
            sb.append("search ").append(String.join(" ", searches)).append('\n');
        }
        nameservers.stream().limit(3).forEach(n -> sb.append("nameserver ").append(n).append('\n'));
        if (!options.isEmpty()) {
            List<String> opts = new ArrayList<>();
            options.forEach((k, v) -> opts.add(v == null ? k : k + ":" + v));
            sb.append("options ").append(String.join(" ", opts)).append('\n');
        }
        return sb.toString();
    }
}
