package dev.kubetest.apiserver.table;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubetest.core.meta.ResourceType;
import dev.kubetest.core.json.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Server-side {@code meta.k8s.io/v1} Tables with the columns a real cluster prints per kind (see
 * {@link KindColumns}); kinds without their own columns get Name and Age.
 */
public final class TablePrinters {
    private TablePrinters() {}

    /** What a row carries as {@code object}: includeObject=None, Metadata (default) or Object. */
    public enum IncludeObject { NONE, METADATA, OBJECT }

    public static List<Column> columns(ResourceType type) {
        List<Column> cols = KindColumns.BY_RESOURCE.get(type.storageKey());
        return cols != null ? cols : List.of(Column.nameColumn(), Column.ageColumn());
    }

    public static ObjectNode table(ResourceType type, List<? extends JsonNode> objects, String resourceVersion,
                                   String continueToken, Long remaining, Instant now, IncludeObject include,
                                   boolean withColumns, String tableApiVersion) {
        return table(columns(type), objects, resourceVersion, continueToken, remaining, now, include, withColumns,
                tableApiVersion);
    }

    public static ObjectNode table(List<Column> cols, List<? extends JsonNode> objects, String resourceVersion,
                                   String continueToken, Long remaining, Instant now, IncludeObject include,
                                   boolean withColumns, String tableApiVersion) {
        ObjectNode t = Json.object();
        t.put("kind", "Table");
        t.put("apiVersion", tableApiVersion);
        ObjectNode meta = t.putObject("metadata");
        if (resourceVersion != null) {
            meta.put("resourceVersion", resourceVersion);
        }
        if (continueToken != null) {
            meta.put("continue", continueToken);
        }
        if (remaining != null) {
            meta.put("remainingItemCount", remaining);
        }
        ArrayNode defs = t.putArray("columnDefinitions");
        if (withColumns) {
            for (Column c : cols) {
                ObjectNode d = defs.addObject();
                d.put("name", c.name());
                d.put("type", c.type());
                d.put("format", c.format());
                d.put("description", c.description());
                d.put("priority", c.priority());
            }
        }
        ArrayNode rows = t.putArray("rows");
        for (JsonNode o : objects) {
            ObjectNode row = rows.addObject();
            ArrayNode cells = row.putArray("cells");
            for (Column c : cols) {
                Object v = c.cell().apply(o, now);
                if (v == null) {
                    cells.addNull();
                } else if (v instanceof Number n) {
                    cells.add(n.longValue());
                } else if (v instanceof Boolean b) {
                    cells.add(b);
                } else {
                    cells.add(v.toString());
                }
            }
            switch (include) {
                case OBJECT -> row.set("object", o);
                case METADATA -> row.set("object", partialMetadata(o));
                default -> { }
            }
        }
        return t;
    }

    public static ObjectNode partialMetadata(JsonNode o) {
        ObjectNode p = Json.object();
        p.put("kind", "PartialObjectMetadata");
        p.put("apiVersion", "meta.k8s.io/v1");
        p.set("metadata", o.path("metadata").deepCopy());
        return p;
    }

    static String join(List<String> values) {
        return values.isEmpty() ? "<none>" : String.join(",", values);
    }

    static List<String> containerField(JsonNode podSpec, String field) {
        List<String> out = new ArrayList<>();
        for (JsonNode c : podSpec.path("containers")) {
            out.add(c.path(field).asText());
        }
        return out;
    }

    static String selectorText(JsonNode selector) {
        if (selector == null || selector.isMissingNode() || selector.isNull()) {
            return "<none>";
        }
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : iterable(selector.path("matchLabels"))) {
            parts.add(e.getKey() + "=" + e.getValue().asText());
        }
        for (JsonNode expr : selector.path("matchExpressions")) {
            List<String> vals = new ArrayList<>();
            expr.path("values").forEach(v -> vals.add(v.asText()));
            String key = expr.path("key").asText();
            parts.add(switch (expr.path("operator").asText()) {
                case "In" -> key + " in (" + String.join(",", vals) + ")";
                case "NotIn" -> key + " notin (" + String.join(",", vals) + ")";
                case "Exists" -> key;
                default -> "!" + key;
            });
        }
        return parts.isEmpty() ? "<none>" : String.join(",", parts);
    }

    static String mapSelectorText(JsonNode map) {
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : iterable(map)) {
            parts.add(e.getKey() + "=" + e.getValue().asText());
        }
        return parts.isEmpty() ? "<none>" : String.join(",", parts);
    }

    static Iterable<Map.Entry<String, JsonNode>> iterable(JsonNode n) {
        return n::fields;
    }
}
