package dev.kubetest.apiserver.table;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Table columns of a custom resource: Name, then the CRD version's {@code additionalPrinterColumns} (their
 * JSONPath read from each object, dates shown as ages), or Name and Age when it declares none.
 */
public final class CustomColumns {
    private CustomColumns() {}

    public static List<Column> of(JsonNode crdVersion) {
        JsonNode printer = crdVersion == null ? null : crdVersion.path("additionalPrinterColumns");
        if (printer == null || !printer.isArray() || printer.isEmpty()) {
            return List.of(Column.nameColumn(), Column.ageColumn());
        }
        List<Column> out = new ArrayList<>();
        out.add(Column.nameColumn());
        for (JsonNode c : printer) {
            String type = c.path("type").asText("string");
            String path = c.path("jsonPath").asText();
            out.add(new Column(c.path("name").asText(), type, c.path("format").asText(""), c.path("priority").asInt(0),
                    c.path("description").asText(""), (o, now) -> cell(read(o, path), type, now)));
        }
        return out;
    }

    private static Object cell(JsonNode v, String type, Instant now) {
        if (v == null || v.isMissingNode() || v.isNull()) {
            return null;
        }
        switch (type) {
            case "integer":
                return v.asLong();
            case "number":
                return v.isNumber() ? v.numberValue() : v.asText();
            case "boolean":
                return v.asBoolean();
            case "date":
                try {
                    return HumanDuration.format(Duration.between(Instant.parse(v.asText()), now));
                } catch (DateTimeParseException e) {
                    return v.asText();
                }
            default:
                return v.isContainerNode() ? v.toString() : v.asText();
        }
    }

    /**
     * A simple JSONPath as upstream's table convertor reads it: {@code .a.b}, {@code .a[0].b}, {@code .a['b.c']},
     * {@code .a[*].b} and filters {@code .a[?(@.type=="Ready")].status} (== and !=); of several results the first
     * is the cell's. Pure.
     */
    static JsonNode read(JsonNode obj, String path) {
        String p = path.trim();
        if (p.startsWith("{") && p.endsWith("}")) {
            p = p.substring(1, p.length() - 1);
        }
        if (p.startsWith("$")) {
            p = p.substring(1);
        }
        List<JsonNode> found = readAll(obj, p);
        return found.isEmpty() ? null : found.get(0);
    }

    private static List<JsonNode> readAll(JsonNode obj, String p) {
        List<JsonNode> current = new ArrayList<>(List.of(obj));
        int i = 0;
        while (i < p.length() && !current.isEmpty()) {
            char ch = p.charAt(i);
            List<JsonNode> next = new ArrayList<>();
            if (ch == '.') {
                int j = i + 1;
                while (j < p.length() && p.charAt(j) != '.' && p.charAt(j) != '[') {
                    j++;
                }
                String field = p.substring(i + 1, j);
                for (JsonNode n : current) {
                    if (field.equals("*")) {
                        n.forEach(next::add);
                    } else if (n.has(field)) {
                        next.add(n.get(field));
                    }
                }
                i = j;
            } else if (ch == '[') {
                int j = closing(p, i);
                if (j < 0) {
                    return List.of();
                }
                String inner = p.substring(i + 1, j).trim();
                for (JsonNode n : current) {
                    if (inner.startsWith("'") || inner.startsWith("\"")) {
                        JsonNode v = n.get(inner.substring(1, inner.length() - 1));
                        if (v != null) {
                            next.add(v);
                        }
                    } else if (inner.equals("*")) {
                        n.forEach(next::add);
                    } else if (inner.startsWith("?(") && inner.endsWith(")")) {
                        for (JsonNode e : n) {
                            if (matches(e, inner.substring(2, inner.length() - 1).trim())) {
                                next.add(e);
                            }
                        }
                    } else if (n.isArray() && inner.matches("-?\\d+")) {
                        int index = Integer.parseInt(inner);
                        JsonNode v = n.get(index < 0 ? n.size() + index : index);
                        if (v != null) {
                            next.add(v);
                        }
                    }
                }
                i = j + 1;
            } else {
                return List.of();
            }
            current = next;
        }
        return current;
    }

    /** The index of the bracket closing the one at {@code open}, skipping quoted text. */
    private static int closing(String p, int open) {
        char quote = 0;
        int depth = 0;
        for (int k = open; k < p.length(); k++) {
            char c = p.charAt(k);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == '[') {
                depth++;
            } else if (c == ']' && --depth == 0) {
                return k;
            }
        }
        return -1;
    }

    /** A filter {@code @.a.b==value} (or {@code !=}, or a bare {@code @.a} for existence) on one element. */
    private static boolean matches(JsonNode element, String filter) {
        String op = filter.contains("!=") ? "!=" : filter.contains("==") ? "==" : null;
        if (op == null) {
            return filter.startsWith("@") && !readAll(element, filter.substring(1)).isEmpty();
        }
        String left = filter.substring(0, filter.indexOf(op)).trim();
        String right = filter.substring(filter.indexOf(op) + 2).trim();
        if (!left.startsWith("@")) {
            return false;
        }
        List<JsonNode> values = readAll(element, left.substring(1));
        String expected = right.length() >= 2 && (right.startsWith("\"") || right.startsWith("'")) ? right.substring(1, right.length() - 1) : right;
        boolean equal = !values.isEmpty() && values.get(0).isValueNode() && values.get(0).asText().equals(expected);
        return op.equals("==") ? equal : !values.isEmpty() && !equal;
    }
}
