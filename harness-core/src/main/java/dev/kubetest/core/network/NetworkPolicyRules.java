package dev.kubetest.core.network;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kubetest.core.selector.LabelSelector;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Whether NetworkPolicies let a TCP connection through, as a policy-enforcing CNI plugin decides it (pure).
 *
 * <p>A pod is isolated for ingress (egress) once a policy of its namespace selects it with that policy type; it
 * then accepts (opens) only what one of those policies' rules allows, the union over policies. A connection needs
 * both the source's egress and the destination's ingress. A rule without peers matches every peer, without ports
 * every port; a peer's {@code podSelector} alone means pods of the policy's namespace, {@code namespaceSelector}
 * alone every pod of the matching namespaces, both together pods matching both, and an {@code ipBlock} addresses in
 * its CIDR outside its exceptions. A port is a number, a range to {@code endPort} or a container port's name (on
 * the destination pod). Host-network pods are not subject to policies.
 */
public final class NetworkPolicyRules {
    private NetworkPolicyRules() {}

    /** One end of a connection: its address and, when it is a pod, the pod. */
    public record Peer(String ip, JsonNode pod) {
        public static Peer address(String ip) {
            return new Peer(ip, null);
        }

        String namespace() {
            return pod.path("metadata").path("namespace").asText();
        }
    }

    /**
     * Whether a connection from {@code source} to {@code destination}'s TCP {@code port} is allowed by
     * {@code policies} (all of the cluster's), where {@code namespaceLabels} gives a namespace's labels.
     */
    public static boolean allowed(Peer source, Peer destination, int port, List<? extends JsonNode> policies,
                                  Function<String, Map<String, String>> namespaceLabels) {
        return allowedOut(source, destination, port, policies, namespaceLabels)
                && allowedIn(source, destination, port, policies, namespaceLabels);
    }

    private static boolean allowedOut(Peer source, Peer destination, int port, List<? extends JsonNode> policies,
                                      Function<String, Map<String, String>> namespaceLabels) {
        if (!subject(source)) {
            return true;
        }
        boolean isolated = false;
        for (JsonNode policy : policies) {
            if (!selects(policy, source, "Egress")) {
                continue;
            }
            isolated = true;
            for (JsonNode rule : policy.path("spec").path("egress")) {
                if (peersMatch(rule.path("to"), policy, destination, namespaceLabels) && portsMatch(rule.path("ports"), destination, port)) {
                    return true;
                }
            }
        }
        return !isolated;
    }

    private static boolean allowedIn(Peer source, Peer destination, int port, List<? extends JsonNode> policies,
                                     Function<String, Map<String, String>> namespaceLabels) {
        if (!subject(destination)) {
            return true;
        }
        boolean isolated = false;
        for (JsonNode policy : policies) {
            if (!selects(policy, destination, "Ingress")) {
                continue;
            }
            isolated = true;
            for (JsonNode rule : policy.path("spec").path("ingress")) {
                if (peersMatch(rule.path("from"), policy, source, namespaceLabels) && portsMatch(rule.path("ports"), destination, port)) {
                    return true;
                }
            }
        }
        return !isolated;
    }

    private static boolean subject(Peer peer) {
        return peer.pod() != null && !peer.pod().path("spec").path("hostNetwork").asBoolean(false);
    }

    /** Whether {@code policy} isolates {@code pod} in {@code direction}. */
    static boolean selects(JsonNode policy, Peer pod, String direction) {
        if (!policy.path("metadata").path("namespace").asText().equals(pod.namespace())) {
            return false;
        }
        if (!types(policy).contains(direction)) {
            return false;
        }
        return selector(policy.path("spec").path("podSelector")).matches(LabelSelector.labelsOf(pod.pod()));
    }

    /** The policy's types as given, else Ingress plus Egress when it has egress rules (the API's default). */
    static List<String> types(JsonNode policy) {
        JsonNode given = policy.path("spec").path("policyTypes");
        if (given.isArray() && !given.isEmpty()) {
            return java.util.stream.StreamSupport.stream(given.spliterator(), false).map(JsonNode::asText).toList();
        }
        return policy.path("spec").path("egress").isArray() && !policy.path("spec").path("egress").isEmpty()
                ? List.of("Ingress", "Egress") : List.of("Ingress");
    }

    private static boolean peersMatch(JsonNode peers, JsonNode policy, Peer other, Function<String, Map<String, String>> namespaceLabels) {
        if (!peers.isArray() || peers.isEmpty()) {
            return true;
        }
        for (JsonNode peer : peers) {
            if (peerMatches(peer, policy, other, namespaceLabels)) {
                return true;
            }
        }
        return false;
    }

    static boolean peerMatches(JsonNode peer, JsonNode policy, Peer other, Function<String, Map<String, String>> namespaceLabels) {
        if (peer.hasNonNull("ipBlock")) {
            return ipBlockContains(peer.path("ipBlock"), other.ip());
        }
        if (other.pod() == null) {
            return false;
        }
        boolean hasPods = peer.hasNonNull("podSelector");
        boolean hasNamespaces = peer.hasNonNull("namespaceSelector");
        if (!hasPods && !hasNamespaces) {
            return false;
        }
        String ns = other.namespace();
        boolean namespaceOk = hasNamespaces
                ? selector(peer.path("namespaceSelector")).matches(namespaceLabels.apply(ns))
                : ns.equals(policy.path("metadata").path("namespace").asText());
        return namespaceOk && (!hasPods || selector(peer.path("podSelector")).matches(LabelSelector.labelsOf(other.pod())));
    }

    private static LabelSelector selector(JsonNode json) {
        LabelSelector s = json.isMissingNode() || json.isNull() ? LabelSelector.everything() : LabelSelector.fromJson(json);
        return s == null ? LabelSelector.everything() : s;
    }

    private static boolean portsMatch(JsonNode ports, Peer destination, int port) {
        if (!ports.isArray() || ports.isEmpty()) {
            return true;
        }
        for (JsonNode p : ports) {
            if (!"TCP".equals(p.path("protocol").asText("TCP"))) {
                continue;
            }
            JsonNode number = p.path("port");
            if (number.isMissingNode() || number.isNull()) {
                return true;
            }
            if (number.isInt() || number.asText().matches("\\d+")) {
                int from = number.asInt();
                int to = p.path("endPort").asInt(from);
                if (port >= from && port <= to) {
                    return true;
                }
            } else if (namedPort(destination, number.asText()) == port) {
                return true;
            }
        }
        return false;
    }

    /** The TCP container port of {@code pod} named {@code name}, or -1. */
    static int namedPort(Peer pod, String name) {
        if (pod.pod() == null) {
            return -1;
        }
        for (JsonNode c : pod.pod().path("spec").path("containers")) {
            for (JsonNode p : c.path("ports")) {
                if (name.equals(p.path("name").asText()) && "TCP".equals(p.path("protocol").asText("TCP"))) {
                    return p.path("containerPort").asInt();
                }
            }
        }
        return -1;
    }

    /** Whether an IPv4 {@code ip} is in the block's CIDR and in none of its exceptions. */
    static boolean ipBlockContains(JsonNode block, String ip) {
        if (ip == null || !inCidr(block.path("cidr").asText(), ip)) {
            return false;
        }
        for (JsonNode except : block.path("except")) {
            if (inCidr(except.asText(), ip)) {
                return false;
            }
        }
        return true;
    }

    static boolean inCidr(String cidr, String ip) {
        int slash = cidr.indexOf('/');
        if (slash < 0 || cidr.contains(":") || ip.contains(":")) {
            return false;
        }
        int bits = Integer.parseInt(cidr.substring(slash + 1));
        long mask = bits == 0 ? 0 : (0xFFFFFFFFL << (32 - bits)) & 0xFFFFFFFFL;
        return (ipv4(cidr.substring(0, slash)) & mask) == (ipv4(ip) & mask);
    }

    private static long ipv4(String ip) {
        long v = 0;
        for (String part : ip.split("\\.")) {
            v = (v << 8) | Integer.parseInt(part);
        }
        return v;
    }
}
