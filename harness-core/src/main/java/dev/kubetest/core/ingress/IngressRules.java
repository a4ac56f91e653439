package dev.kubetest.core.ingress;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Which backend an ingress controller sends a request to (pure), as ingress-nginx merges the rules of its
 * Ingresses: the most specific host first (exact, then a {@code *.} wildcard matching one label, then rules
 * without a host), then within it the longest matching path ({@code Exact} before {@code Prefix} on a tie;
 * {@code Prefix} element-wise on {@code /}; {@code ImplementationSpecific} as {@code Prefix}), else the
 * {@code defaultBackend} of the oldest Ingress that has one.
 */
public final class IngressRules {
    private IngressRules() {}

    /** The chosen backend and the Ingress it belongs to (its namespace is the Service's). */
    public record Match(JsonNode ingress, JsonNode backend, String path) {}

    public static Optional<Match> match(List<? extends JsonNode> ingresses, String host, String path) {
        List<? extends JsonNode> ordered = ingresses.stream().sorted(Comparator
                .comparing((JsonNode i) -> i.path("metadata").path("creationTimestamp").asText())
                .thenComparing(i -> i.path("metadata").path("namespace").asText() + "/" + i.path("metadata").path("name").asText())).toList();
        for (int level = 2; level >= 0; level--) {
            Match best = null;
            int bestLength = -1;
            boolean bestExact = false;
            boolean hostSeen = false;
            for (JsonNode ing : ordered) {
                for (JsonNode rule : ing.path("spec").path("rules")) {
                    if (hostLevel(rule.path("host").asText(""), host) != level) {
                        continue;
                    }
                    hostSeen = true;
                    for (JsonNode p : rule.path("http").path("paths")) {
                        String rulePath = p.path("path").asText("/");
                        boolean exact = "Exact".equals(p.path("pathType").asText());
                        if (!(exact ? rulePath.equals(path) : prefixMatches(rulePath, path))) {
                            continue;
                        }
                        int length = trim(rulePath).length();
                        if (length > bestLength || (length == bestLength && exact && !bestExact)) {
                            best = new Match(ing, p.path("backend"), rulePath);
                            bestLength = length;
                            bestExact = exact;
                        }
                    }
                }
            }
            if (best != null) {
                return Optional.of(best);
            }
            if (hostSeen && level > 0) {
                break; // the host has its own rules: no fallback to host-less rules, only to a default backend
            }
        }
        for (JsonNode ing : ordered) {
            if (ing.path("spec").hasNonNull("defaultBackend")) {
                return Optional.of(new Match(ing, ing.path("spec").path("defaultBackend"), null));
            }
        }
        return Optional.empty();
    }

    /** 2 when {@code ruleHost} is {@code host}, 1 when a wildcard matching it, 0 when empty (any host), -1 otherwise. */
    static int hostLevel(String ruleHost, String host) {
        if (ruleHost.isEmpty()) {
            return 0;
        }
        if (ruleHost.equalsIgnoreCase(host)) {
            return 2;
        }
        if (ruleHost.startsWith("*.")) {
            String suffix = ruleHost.substring(1).toLowerCase(java.util.Locale.ROOT);
            String h = host.toLowerCase(java.util.Locale.ROOT);
            return h.endsWith(suffix) && h.length() > suffix.length() && h.indexOf('.') == h.length() - suffix.length() ? 1 : -1;
        }
        return -1;
    }

    /** {@code Prefix} matching: element-wise on {@code /}, a trailing slash ignored. */
    static boolean prefixMatches(String rulePath, String path) {
        String p = trim(rulePath);
        if (p.isEmpty()) {
            return true;
        }
        String r = trim(path);
        return r.equals(p) || r.startsWith(p + "/");
    }

    private static String trim(String path) {
        return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }
}
