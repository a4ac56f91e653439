package dev.kubetest.core.selector;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kubetest.core.meta.ApiException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A label selector in the full string syntax ({@code =}, {@code ==}, {@code !=}, {@code in}, {@code notin},
 * exists, {@code !key}, {@code >}, {@code <}) or built from a {@code metav1.LabelSelector}. Terms are ANDed.
 */
public final class LabelSelector {
    public enum Operator { EQUALS, NOT_EQUALS, IN, NOT_IN, EXISTS, DOES_NOT_EXIST, GREATER_THAN, LESS_THAN }

    /** One term of the selector. */
    public record Requirement(String key, Operator operator, Set<String> values) {
        boolean matches(Map<String, String> labels) {
            String v = labels.get(key);
            return switch (operator) {
                case EQUALS, IN -> v != null && values.contains(v);
                case NOT_EQUALS, NOT_IN -> v == null || !values.contains(v);
                case EXISTS -> labels.containsKey(key);
                case DOES_NOT_EXIST -> !labels.containsKey(key);
                case GREATER_THAN -> v != null && compare(v) > 0;
                case LESS_THAN -> v != null && compare(v) < 0;
            };
        }

        private int compare(String v) {
            try {
                return Long.compare(Long.parseLong(v), Long.parseLong(values.iterator().next()));
            } catch (NumberFormatException e) {
                return 0;
            }
        }
    }

    private static final LabelSelector EVERYTHING = new LabelSelector(List.of());
    private final List<Requirement> requirements;

    private LabelSelector(List<Requirement> requirements) {
        this.requirements = List.copyOf(requirements);
    }

    public static LabelSelector everything() {
        return EVERYTHING;
    }

    public List<Requirement> requirements() {
        return requirements;
    }

    public boolean isEverything() {
        return requirements.isEmpty();
    }

    /** An object's {@code metadata.labels} as a map. */
    public static Map<String, String> labelsOf(JsonNode object) {
        Map<String, String> out = new java.util.HashMap<>();
        object.path("metadata").path("labels").fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }

    public boolean matches(Map<String, String> labels) {
        for (Requirement r : requirements) {
            if (!r.matches(labels)) {
                return false;
            }
        }
        return true;
    }

    /** Equality terms ({@code =}, {@code ==}, single-valued {@code in}) usable with a label index. */
    public Map<String, String> equalityTerms() {
        Map<String, String> out = new LinkedHashMap<>();
        for (Requirement r : requirements) {
            if ((r.operator() == Operator.EQUALS || r.operator() == Operator.IN) && r.values().size() == 1) {
                out.put(r.key(), r.values().iterator().next());
            }
        }
        return out;
    }

    /** Parses the query-string form; a syntax error is a 400 as upstream. */
    public static LabelSelector parse(String text) {
        if (text == null || text.isBlank()) {
            return EVERYTHING;
        }
        List<Requirement> out = new ArrayList<>();
        for (String term : splitTerms(text)) {
            out.add(parseTerm(term.trim(), text));
        }
        return new LabelSelector(out);
    }

    private static List<String> splitTerms(String text) {
        List<String> terms = new ArrayList<>();
        int depth = 0;
        StringBuilder cur = new StringBuilder();
        for (char c : text.toCharArray()) {
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            }
            if (c == ',' && depth == 0) {
                terms.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        terms.add(cur.toString());
        return terms;
    }

    private static Requirement parseTerm(String term, String whole) {
        if (term.isEmpty()) {
            throw syntax(whole, "found '', expected: identifier");
        }
        if (term.startsWith("!")) {
            String key = term.substring(1).trim();
            checkKey(key, whole);
            return new Requirement(key, Operator.DOES_NOT_EXIST, Set.of());
        }
        String[] setOps = {" notin ", " in "};
        for (String op : setOps) {
            int i = indexOfWord(term, op.trim());
            if (i > 0) {
                String key = term.substring(0, i).trim();
                String rest = term.substring(i + op.trim().length()).trim();
                if (!rest.startsWith("(") || !rest.endsWith(")")) {
                    throw syntax(whole, "found '" + rest + "', expected: '('");
                }
                Set<String> values = new LinkedHashSet<>();
                for (String v : rest.substring(1, rest.length() - 1).split(",")) {
                    values.add(checkValue(v.trim(), whole));
                }
                checkKey(key, whole);
                return new Requirement(key, op.trim().equals("in") ? Operator.IN : Operator.NOT_IN, values);
            }
        }
        String[][] ops = {{"!=", "NOT_EQUALS"}, {"==", "EQUALS"}, {"=", "EQUALS"}, {">", "GREATER_THAN"}, {"<", "LESS_THAN"}};
        for (String[] op : ops) {
            int i = term.indexOf(op[0]);
            if (i >= 0) {
                String key = term.substring(0, i).trim();
                String value = term.substring(i + op[0].length()).trim();
                checkKey(key, whole);
                return new Requirement(key, Operator.valueOf(op[1]), Set.of(checkValue(value, whole)));
            }
        }
        checkKey(term, whole);
        return new Requirement(term, Operator.EXISTS, Set.of());
    }

    private static int indexOfWord(String term, String word) {
        int from = 0;
        while (true) {
            int i = term.indexOf(word, from);
            if (i < 0) {
                return -1;
            }
            boolean before = i > 0 && Character.isWhitespace(term.charAt(i - 1));
            int end = i + word.length();
            boolean after = end < term.length() && (Character.isWhitespace(term.charAt(end)) || term.charAt(end) == '(');
            if (before && after) {
                return i;
            }
            from = i + 1;
        }
    }

    private static void checkKey(String key, String whole) {
        if (key.isEmpty() || !key.matches("([a-z0-9]([-a-z0-9.]*[a-z0-9])?/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?")) {
            throw syntax(whole, "invalid label key \"" + key + "\"");
        }
    }

    private static String checkValue(String value, String whole) {
        if (!value.isEmpty() && !value.matches("[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?")) {
            throw syntax(whole, "invalid label value: \"" + value + "\"");
        }
        return value;
    }

    private static ApiException syntax(String whole, String detail) {
        return ApiException.badRequest("unable to parse requirement: " + detail);
    }

    /** Builds a selector from a {@code metav1.LabelSelector} JSON object; null matches nothing. */
    public static LabelSelector fromJson(JsonNode selector) {
        if (selector == null || selector.isNull()) {
            return null;
        }
        List<Requirement> out = new ArrayList<>();
        selector.path("matchLabels").fields().forEachRemaining(e ->
                out.add(new Requirement(e.getKey(), Operator.EQUALS, Set.of(e.getValue().asText()))));
        for (JsonNode expr : selector.path("matchExpressions")) {
            Set<String> values = new LinkedHashSet<>();
            expr.path("values").forEach(v -> values.add(v.asText()));
            Operator op = switch (expr.path("operator").asText()) {
                case "In" -> Operator.IN;
                case "NotIn" -> Operator.NOT_IN;
                case "Exists" -> Operator.EXISTS;
                case "DoesNotExist" -> Operator.DOES_NOT_EXIST;
                default -> throw ApiException.badRequest("\"" + expr.path("operator").asText()
                        + "\" is not a valid label selector operator");
            };
            out.add(new Requirement(expr.path("key").asText(), op, values));
        }
        return new LabelSelector(out);
    }

    /** Builds a selector from a plain label map (a ReplicationController's or a Service's); an empty map matches all. */
    public static LabelSelector fromMap(JsonNode map) {
        List<Requirement> out = new ArrayList<>();
        map.fields().forEachRemaining(e ->
                out.add(new Requirement(e.getKey(), Operator.EQUALS, Set.of(e.getValue().asText()))));
        return new LabelSelector(out);
    }

    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        for (Requirement r : requirements) {
            String vals = String.join(",", r.values());
            parts.add(switch (r.operator()) {
                case EQUALS -> r.key() + "=" + vals;
                case NOT_EQUALS -> r.key() + "!=" + vals;
                case IN -> r.key() + " in (" + vals + ")";
                case NOT_IN -> r.key() + " notin (" + vals + ")";
                case EXISTS -> r.key();
                case DOES_NOT_EXIST -> "!" + r.key();
                case GREATER_THAN -> r.key() + ">" + vals;
                case LESS_THAN -> r.key() + "<" + vals;
            });
        }
        return String.join(",", parts);
    }
}
