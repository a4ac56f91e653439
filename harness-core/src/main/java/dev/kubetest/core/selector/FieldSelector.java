package dev.kubetest.core.selector;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kubetest.core.meta.ApiException;
import dev.kubetest.core.meta.ResourceType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A field selector ({@code a=b,c!=d}) checked against the fields upstream supports for the resource
 * (see {@link SelectableFields}); any other field is a 400, as upstream.
 */
public final class FieldSelector {
    /** One {@code field=value} or {@code field!=value} term. */
    public record Term(String field, boolean equals, String value) {}

    private static final FieldSelector EVERYTHING = new FieldSelector(List.of());
    private final List<Term> terms;

    private FieldSelector(List<Term> terms) {
        this.terms = List.copyOf(terms);
    }

    public static FieldSelector everything() {
        return EVERYTHING;
    }

    public List<Term> terms() {
        return terms;
    }

    public boolean isEverything() {
        return terms.isEmpty();
    }

    /** The value of a {@code field=value} term, when present (used to look up {@code metadata.name} directly). */
    public Optional<String> equalityValue(String field) {
        for (Term t : terms) {
            if (t.equals() && t.field().equals(field)) {
                return Optional.of(t.value());
            }
        }
        return Optional.empty();
    }

    /** Parses and checks the selector for {@code type}. */
    public static FieldSelector parse(String text, ResourceType type) {
        if (text == null || text.isBlank()) {
            return EVERYTHING;
        }
        Map<String, SelectableFields.Field> supported = SelectableFields.forType(type);
        List<Term> terms = new ArrayList<>();
        for (String raw : splitUnescaped(text)) {
            String part = raw.trim();
            if (part.isEmpty()) {
                continue;
            }
            int i;
            boolean eq;
            int opLen;
            if ((i = indexUnescaped(part, "!=")) >= 0) {
                eq = false;
                opLen = 2;
            } else if ((i = indexUnescaped(part, "==")) >= 0) {
                eq = true;
                opLen = 2;
            } else if ((i = indexUnescaped(part, "=")) >= 0) {
                eq = true;
                opLen = 1;
            } else {
                throw ApiException.badRequest("invalid selector: '" + text + "'; can't understand '" + part + "'");
            }
            String field = part.substring(0, i).trim();
            String value = unescape(part.substring(i + opLen).trim());
            if (!supported.containsKey(field)) {
                throw ApiException.badRequest("field label not supported: " + field);
            }
            terms.add(new Term(field, eq, value));
        }
        return new FieldSelector(terms);
    }

    public boolean matches(JsonNode object, ResourceType type) {
        if (terms.isEmpty()) {
            return true;
        }
        Map<String, SelectableFields.Field> supported = SelectableFields.forType(type);
        for (Term t : terms) {
            String actual = supported.get(t.field()).valueOf(object);
            if (t.equals() != actual.equals(t.value())) {
                return false;
            }
        }
        return true;
    }

    private static List<String> splitUnescaped(String text) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length()) {
                cur.append(c).append(text.charAt(++i));
            } else if (c == ',') {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        out.add(cur.toString());
        return out;
    }

    private static int indexUnescaped(String s, String op) {
        for (int i = 0; i + op.length() <= s.length(); i++) {
            if (s.charAt(i) == '\\') {
                i++;
                continue;
            }
            if (s.startsWith(op, i)) {
                return i;
            }
        }
        return -1;
    }

    private static String unescape(String s) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                out.append(s.charAt(++i));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
