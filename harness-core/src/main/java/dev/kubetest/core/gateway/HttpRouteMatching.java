package dev.kubetest.core.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubetest.core.network.HttpRequest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which HTTPRoute rule a request goes to (pure), as the Gateway API orders matches: a rule matches when any of its
 * {@code matches} does (each requires its path, method, headers and query parameters); across all matching
 * entries an exact path wins, then the longest prefix, then a method match, then the most header matches, then
 * the most query parameter matches, then the oldest route and its namespace/name, then rule order.
 */
public final class HttpRouteMatching {
    private HttpRouteMatching() {}

    /** The chosen route and rule. */
    public record Choice(JsonNode route, JsonNode rule, JsonNode match) {}

    private record Candidate(JsonNode route, JsonNode rule, JsonNode match, int order) {}

    private static final JsonNode DEFAULT_MATCH;

    static {
        ObjectNode m = JsonNodeFactory.instance.objectNode();
        m.putObject("path").put("type", "PathPrefix").put("value", "/");
        DEFAULT_MATCH = m;
    }

    public static Optional<Choice> choose(List<? extends JsonNode> routes, HttpRequest request) {
        List<Candidate> candidates = new ArrayList<>();
        int order = 0;
        for (JsonNode route : routes) {
            for (JsonNode rule : route.path("spec").path("rules")) {
                JsonNode matches = rule.path("matches");
                List<JsonNode> list = new ArrayList<>();
                if (!matches.isArray() || matches.isEmpty()) {
                    list.add(DEFAULT_MATCH);
                } else {
                    matches.forEach(list::add);
                }
                for (JsonNode m : list) {
                    if (matches(m, request)) {
                        candidates.add(new Candidate(route, rule, m, order));
                    }
                    order++;
                }
            }
        }
        return candidates.stream().min(PRECEDENCE).map(c -> new Choice(c.route(), c.rule(), c.match()));
    }

    private static final Comparator<Candidate> PRECEDENCE = Comparator
            .comparingInt((Candidate c) -> "Exact".equals(pathType(c.match())) ? 0 : 1)
            .thenComparingInt(c -> "PathPrefix".equals(pathType(c.match())) ? -pathValue(c.match()).length() : 0)
            .thenComparingInt(c -> c.match().hasNonNull("method") ? 0 : 1)
            .thenComparingInt(c -> -c.match().path("headers").size())
            .thenComparingInt(c -> -c.match().path("queryParams").size())
            .thenComparing(c -> c.route().path("metadata").path("creationTimestamp").asText())
            .thenComparing(c -> c.route().path("metadata").path("namespace").asText() + "/" + c.route().path("metadata").path("name").asText())
            .thenComparingInt(Candidate::order);

    private static String pathType(JsonNode match) {
        return match.path("path").isMissingNode() ? "PathPrefix" : match.path("path").path("type").asText("PathPrefix");
    }

    private static String pathValue(JsonNode match) {
        return match.path("path").path("value").asText("/");
    }

    static boolean matches(JsonNode m, HttpRequest request) {
        String value = pathValue(m);
        boolean pathOk = switch (pathType(m)) {
            case "Exact" -> request.path().equals(value);
            case "RegularExpression" -> request.path().matches(value);
            default -> prefix(value, request.path());
        };
        if (!pathOk) {
            return false;
        }
        if (m.hasNonNull("method") && !m.path("method").asText().equals(request.method())) {
            return false;
        }
        for (JsonNode h : m.path("headers")) {
            String actual = request.header(h.path("name").asText());
            if (actual == null || !valueMatches(h, actual)) {
                return false;
            }
        }
        Map<String, String> query = request.queryParams();
        for (JsonNode q : m.path("queryParams")) {
            String actual = query.get(q.path("name").asText());
            if (actual == null || !valueMatches(q, actual)) {
                return false;
            }
        }
        return true;
    }

    private static boolean valueMatches(JsonNode match, String actual) {
        return "RegularExpression".equals(match.path("type").asText("Exact"))
                ? actual.matches(match.path("value").asText()) : actual.equals(match.path("value").asText());
    }

    /** {@code PathPrefix}: element-wise on {@code /}, a trailing slash ignored. */
    static boolean prefix(String prefix, String path) {
        String p = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
        if (p.isEmpty()) {
            return true;
        }
        return path.equals(p) || path.startsWith(p + "/");
    }
}
