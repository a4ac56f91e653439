package dev.kubetest.junit;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A server-side Table as kubectl prints it: upper-case headers, priority-0 columns, three spaces between. */
final class TableText {
    private TableText() {}

    static String render(JsonNode table) {
        List<Integer> shown = new ArrayList<>();
        JsonNode defs = table.path("columnDefinitions");
        for (int i = 0; i < defs.size(); i++) {
            if (defs.get(i).path("priority").asInt(0) == 0) {
                shown.add(i);
            }
        }
        List<List<String>> lines = new ArrayList<>();
        lines.add(shown.stream().map(i -> defs.get(i).path("name").asText().toUpperCase(Locale.ROOT)).toList());
        for (JsonNode row : table.path("rows")) {
            lines.add(shown.stream().map(i -> {
                JsonNode cell = row.path("cells").path(i);
                return cell.isNull() || cell.isMissingNode() ? "<none>" : cell.asText();
            }).toList());
        }
        int[] widths = new int[shown.size()];
        for (List<String> line : lines) {
            for (int c = 0; c < line.size(); c++) {
                widths[c] = Math.max(widths[c], line.get(c).length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (List<String> line : lines) {
            for (int c = 0; c < line.size(); c++) {
                String cell = line.get(c);
                sb.append(cell);
                if (c < line.size() - 1) {
                    sb.append(" ".repeat(widths[c] - cell.length() + 3));
                }
            }
            sb.append('\n');
        }
        return sb.toString();
    }
}
