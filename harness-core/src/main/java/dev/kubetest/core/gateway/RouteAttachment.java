package dev.kubetest.core.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kubetest.core.selector.LabelSelector;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Which listeners of a Gateway a route attaches to through one parent reference, as the Gateway API specifies it
 * (pure): the reference's {@code sectionName} and {@code port}, each listener's {@code allowedRoutes} (kinds; and
 * namespaces Same, All or Selector) and the intersection of listener and route hostnames; when none accepts, the
 * reason of the {@code Accepted=False} condition.
 */
public final class RouteAttachment {
    private RouteAttachment() {}

    /** The accepting listeners' names, or why none accepts ({@code reason} is {@code Accepted} when some do). */
    public record Result(List<String> listeners, String reason, String message) {
        public boolean accepted() {
            return !listeners.isEmpty();
        }
    }

    public static Result attach(JsonNode gateway, JsonNode route, String routeKind, JsonNode parentRef, Map<String, String> routeNamespaceLabels) {
        String section = parentRef.path("sectionName").asText("");
        int port = parentRef.path("port").asInt(0);
        List<JsonNode> candidates = new ArrayList<>();
        for (JsonNode l : gateway.path("spec").path("listeners")) {
            if ((section.isEmpty() || section.equals(l.path("name").asText())) && (port == 0 || port == l.path("port").asInt())) {
                candidates.add(l);
            }
        }
        if (candidates.isEmpty()) {
            return new Result(List.of(), "NoMatchingParent", "No listener matches the parentRef's "
                    + (section.isEmpty() ? "port" : "sectionName"));
        }
        List<String> accepted = new ArrayList<>();
        boolean allowedSomewhere = false;
        String routeNs = route.path("metadata").path("namespace").asText();
        for (JsonNode l : candidates) {
            if (!supportsKind(l, routeKind) || !allowsNamespace(l, gateway.path("metadata").path("namespace").asText(), routeNs, routeNamespaceLabels)) {
                continue;
            }
            allowedSomewhere = true;
            if (hostnamesIntersect(l.path("hostname").asText(""), route.path("spec").path("hostnames"))) {
                accepted.add(l.path("name").asText());
            }
        }
        if (!accepted.isEmpty()) {
            return new Result(accepted, "Accepted", "Accepted");
        }
        return allowedSomewhere
                ? new Result(List.of(), "NoMatchingListenerHostname", "No listener hostname matches the route's hostnames")
                : new Result(List.of(), "NotAllowedByListeners", "No listener allows routes of kind " + routeKind + " from namespace " + routeNs);
    }

    /** The route kinds a listener takes: those of its protocol, narrowed by {@code allowedRoutes.kinds}. */
    static List<String> supportedKinds(JsonNode listener) {
        String protocol = listener.path("protocol").asText();
        List<String> byProtocol = protocol.equals("HTTP") || protocol.equals("HTTPS") ? List.of("HTTPRoute", "GRPCRoute") : List.of();
        JsonNode kinds = listener.path("allowedRoutes").path("kinds");
        if (!kinds.isArray() || kinds.isEmpty()) {
            return byProtocol;
        }
        List<String> out = new ArrayList<>();
        for (JsonNode k : kinds) {
            if (GatewayApi.GROUP.equals(k.path("group").asText(GatewayApi.GROUP)) && byProtocol.contains(k.path("kind").asText())) {
                out.add(k.path("kind").asText());
            }
        }
        return out;
    }

    static boolean supportsKind(JsonNode listener, String kind) {
        return supportedKinds(listener).contains(kind);
    }

    static boolean allowsNamespace(JsonNode listener, String gatewayNs, String routeNs, Map<String, String> routeNamespaceLabels) {
        JsonNode ns = listener.path("allowedRoutes").path("namespaces");
        return switch (ns.path("from").asText("Same")) {
            case "All" -> true;
            case "Selector" -> {
                LabelSelector s = LabelSelector.fromJson(ns.path("selector"));
                yield s != null && s.matches(routeNamespaceLabels);
            }
            default -> gatewayNs.equals(routeNs);
        };
    }

    /** Whether a listener's hostname (empty: any) and a route's hostnames (none: any) have a host in common. */
    static boolean hostnamesIntersect(String listenerHost, JsonNode routeHosts) {
        if (listenerHost.isEmpty() || !routeHosts.isArray() || routeHosts.isEmpty()) {
            return true;
        }
        for (JsonNode r : routeHosts) {
            if (intersect(listenerHost, r.asText())) {
                return true;
            }
        }
        return false;
    }

    static boolean intersect(String a, String b) {
        a = a.toLowerCase(Locale.ROOT);
        b = b.toLowerCase(Locale.ROOT);
        if (a.equals(b)) {
            return true;
        }
        boolean wa = a.startsWith("*.");
        boolean wb = b.startsWith("*.");
        if (wa && wb) {
            return a.substring(1).endsWith(b.substring(1)) || b.substring(1).endsWith(a.substring(1));
        }
        if (wa) {
            return b.endsWith(a.substring(1));
        }
        if (wb) {
            return a.endsWith(b.substring(1));
        }
        return false;
    }

    /**
     * How well {@code pattern} (a hostname, possibly {@code *.}) matches a request's {@code host}: 0 for no match,
     * else higher for more specific (an exact name beats any wildcard; a longer wildcard suffix beats a shorter one).
     */
    static int hostScore(String pattern, String host) {
        String p = pattern.toLowerCase(Locale.ROOT);
        String h = host.toLowerCase(Locale.ROOT);
        if (p.equals(h)) {
            return 10_000;
        }
        if (p.startsWith("*.") && h.endsWith(p.substring(1)) && h.length() > p.length() - 1) {
            return p.length();
        }
        return 0;
    }
}
