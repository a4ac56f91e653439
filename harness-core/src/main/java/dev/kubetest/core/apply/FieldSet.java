package dev.kubetest.core.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubetest.core.json.Json;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A set of field paths, as server-side apply tracks ownership. A path is a list of FieldsV1 tokens:
 * {@code f:name} (a field), {@code k:{"name":"c"}} (a keyed list element), {@code v:"x"} (a set element) and
 * {@code .} (the element itself). Converts to and from the FieldsV1 JSON form of {@code managedFields}.
 */
public final class FieldSet {
    private final Set<List<String>> paths;

    public FieldSet(Set<List<String>> paths) {
        this.paths = Collections.unmodifiableSet(new LinkedHashSet<>(paths));
    }

    public static FieldSet empty() {
        return new FieldSet(Set.of());
    }

    public Set<List<String>> paths() {
        return paths;
    }

    public boolean isEmpty() {
        return paths.isEmpty();
    }

    public boolean contains(List<String> path) {
        return paths.contains(path);
    }

    public FieldSet union(FieldSet other) {
        Set<List<String>> s = new LinkedHashSet<>(paths);
        s.addAll(other.paths);
        return new FieldSet(s);
    }

    public FieldSet minus(FieldSet other) {
        Set<List<String>> s = new LinkedHashSet<>(paths);
        s.removeAll(other.paths);
        return new FieldSet(s);
    }

    public FieldSet intersect(FieldSet other) {
        Set<List<String>> s = new LinkedHashSet<>(paths);
        s.retainAll(other.paths);
        return new FieldSet(s);
    }

    /** The FieldsV1 JSON tree: every path a chain of keys ending in an empty object. */
    public ObjectNode toFieldsV1() {
        TreeNode root = new TreeNode();
        for (List<String> p : paths) {
            TreeNode n = root;
            for (String token : p) {
                n = n.children.computeIfAbsent(token, t -> new TreeNode());
            }
        }
        return root.toJson();
    }

    private static final class TreeNode {
        final Map<String, TreeNode> children = new TreeMap<>((a, b) -> {
            if (a.equals(".")) {
                return b.equals(".") ? 0 : -1;
            }
            return b.equals(".") ? 1 : a.compareTo(b);
        });

        ObjectNode toJson() {
            ObjectNode o = Json.object();
            children.forEach((k, v) -> o.set(k, v.toJson()));
            return o;
        }
    }

    public static FieldSet fromFieldsV1(JsonNode fields) {
        Set<List<String>> out = new LinkedHashSet<>();
        collect(fields, new ArrayList<>(), out);
        return new FieldSet(out);
    }

    private static void collect(JsonNode node, List<String> prefix, Set<List<String>> out) {
        if (node == null || !node.isObject()) {
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            List<String> p = new ArrayList<>(prefix);
            p.add(e.getKey());
            if (e.getValue().isEmpty()) {
                out.add(List.copyOf(p));
            } else {
                collect(e.getValue(), p, out);
            }
        }
    }

    /** The human form upstream uses in conflict messages: {@code .spec.containers[name="c"].image}. */
    public static String describe(List<String> path) {
        StringBuilder sb = new StringBuilder();
        for (String t : path) {
            if (t.startsWith("f:")) {
                sb.append('.').append(t.substring(2));
            } else if (t.startsWith("k:")) {
                JsonNode key = Json.parse(t.substring(2));
                List<String> parts = new ArrayList<>();
                key.fields().forEachRemaining(e -> parts.add(e.getKey() + "=" + e.getValue().toString()));
                sb.append('[').append(String.join(",", parts)).append(']');
            } else if (t.startsWith("v:")) {
                sb.append('[').append(t.substring(2)).append(']');
            }
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return paths.toString();
    }
}
