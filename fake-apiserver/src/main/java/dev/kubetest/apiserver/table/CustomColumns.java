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

    /** A simple JSONPath: {@code .a.b}, {@code .a[0].b}, {@code .a['b.c']}. Pure. */
    static JsonNode read(JsonNode obj, String path) {
        String p = path.trim();
        if (p.startsWith("{") && p.endsWith("}")) {
            p = p.substring(1, p.length() - 1);
        }
        if (p.startsWith("$")) {
            p = p.substring(1);
        }
        JsonNode n = obj;
        int i = 0;
        while (i < p.length() && n != null) {
            char ch = p.charAt(i);
            if (ch == '.') {
                int j = i + 1;
                while (j < p.length() && p.charAt(j) != '.' && p.charAt(j) != '[') {
                    j++;
                }
                n = n.get(p.substring(i + 1, j));
                i = j;
            } else if (ch == '[') {
                int j = p.indexOf(']', i);
                String inner = p.substring(i + 1, j).trim();
                if (inner.startsWith("'") || inner.startsWith("\"")) {
                    n = n.get(inner.substring(1, inner.length() - 1));
                } else {
                    n = n.isArray() && inner.matches("\\d+") ? n.get(Integer.parseInt(inner)) : null;
                }
                i = j + 1;
            } else {
                return null;
            }
        }
        return n;
    }
}
