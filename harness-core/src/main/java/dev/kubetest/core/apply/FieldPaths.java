package dev.kubetest.core.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubetest.core.json.Json;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Pure functions between objects and field paths: which fields an object sets, reading and removing a path. */
public final class FieldPaths {
    /** Fields the server owns and never tracks: type, identity, versioning. */
    private static final Set<String> UNTRACKED_TOP = Set.of("apiVersion", "kind");
    private static final Set<String> UNTRACKED_META = Set.of("name", "namespace", "uid", "resourceVersion",
            "generation", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "managedFields",
            "selfLink", "generateName");

    private FieldPaths() {}

    /** Every field {@code obj} sets, as ownership paths (leaves: scalars, atomic values, empty objects). */
    public static FieldSet of(JsonNode obj, ApplySchema schema) {
        Set<List<String>> out = new LinkedHashSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = obj.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (UNTRACKED_TOP.contains(e.getKey()) || e.getValue().isNull()) {
                continue;
            }
            List<String> p = List.of("f:" + e.getKey());
            if (e.getKey().equals("metadata") && e.getValue().isObject()) {
                ApplySchema meta = schema.field("metadata").child();
                for (Iterator<Map.Entry<String, JsonNode>> mi = e.getValue().fields(); mi.hasNext(); ) {
                    Map.Entry<String, JsonNode> m = mi.next();
                    if (!UNTRACKED_META.contains(m.getKey()) && !m.getValue().isNull()) {
                        walk(m.getValue(), meta.field(m.getKey()), meta, m.getKey(), append(p, "f:" + m.getKey()), out);
                    }
                }
                continue;
            }
            walk(e.getValue(), schema.field(e.getKey()), schema, e.getKey(), p, out);
        }
        return new FieldSet(out);
    }

    private static List<String> append(List<String> p, String token) {
        List<String> l = new ArrayList<>(p);
        l.add(token);
        return List.copyOf(l);
    }

    private static void walk(JsonNode v, ApplySchema.FieldRule rule, ApplySchema parent, String name, List<String> path,
                             Set<List<String>> out) {
        if (v.isObject() && !rule.atomic() && v.size() > 0) {
            for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getValue().isNull()) {
                    continue;
                }
                ApplySchema.FieldRule child = rule.isMap()
                        ? new ApplySchema.FieldRule("atomic", List.of(), Map.of(), false, rule.child(), false)
                        : rule.child().field(e.getKey());
                if (rule.isMap() && rule.child().type() == null) {
                    child = new ApplySchema.FieldRule("atomic", List.of(), Map.of(), false, ApplySchema.UNKNOWN, true);
                }
                walk(e.getValue(), child, rule.child(), e.getKey(), append(path, "f:" + e.getKey()), out);
            }
            return;
        }
        if (v.isArray() && rule.listType().equals("map") && !rule.keys().isEmpty()) {
            boolean atomicElements = parent.elementsAtomic(name);
            for (JsonNode el : v) {
                List<String> ep = append(path, "k:" + keyOf(el, rule.keys(), rule.keyDefaults()));
                if (atomicElements || !el.isObject()) {
                    out.add(ep); // an atomic element is owned whole: "k:{...}": {} with no "." child
                    continue;
                }
                out.add(append(ep, "."));
                for (Iterator<Map.Entry<String, JsonNode>> it = el.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    if (!e.getValue().isNull()) {
                        walk(e.getValue(), rule.child().field(e.getKey()), rule.child(), e.getKey(),
                                append(ep, "f:" + e.getKey()), out);
                    }
                }
            }
            return;
        }
        if (v.isArray() && rule.listType().equals("set")) {
            for (JsonNode el : v) {
                out.add(append(path, "v:" + Json.string(el)));
            }
            return;
        }
        out.add(path);
    }

    /** The {@code k:} token body: the element's key fields (defaults filled in), in name order. */
    static String keyOf(JsonNode element, List<String> keys, Map<String, String> defaults) {
        ObjectNode k = Json.object();
        TreeMap<String, JsonNode> sorted = new TreeMap<>();
        for (String key : keys) {
            JsonNode v = element.get(key);
            if (v == null || v.isNull()) {
                String d = defaults.get(key);
                if (d == null) {
                    continue;
                }
                v = Json.NODES.textNode(d);
            }
            sorted.put(key, v);
        }
        sorted.forEach(k::set);
        return Json.string(k);
    }

    /** The value at {@code path} in {@code obj}, or null. */
    public static JsonNode get(JsonNode obj, List<String> path) {
        JsonNode n = obj;
        for (String t : path) {
            if (n == null) {
                return null;
            }
            n = step(n, t);
        }
        return n;
    }

    private static JsonNode step(JsonNode n, String token) {
        if (token.equals(".")) {
            return n;
        }
        if (token.startsWith("f:")) {
            return n.isObject() ? n.get(token.substring(2)) : null;
        }
        if (n.isArray()) {
            int i = indexOf((ArrayNode) n, token);
            return i < 0 ? null : n.get(i);
        }
        return null;
    }

    private static int indexOf(ArrayNode arr, String token) {
        if (token.startsWith("k:")) {
            JsonNode key = Json.parse(token.substring(2));
            for (int i = 0; i < arr.size(); i++) {
                boolean match = true;
                for (Iterator<Map.Entry<String, JsonNode>> it = key.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    JsonNode actual = arr.get(i).get(e.getKey());
                    if (actual == null ? !(e.getValue().isTextual() && e.getKey().equals("protocol")
                            && e.getValue().asText().equals("TCP")) : !actual.equals(e.getValue())) {
                        match = false;
                        break;
                    }
                }
                if (match) {
                    return i;
                }
            }
        } else if (token.startsWith("v:")) {
            JsonNode value = Json.parse(token.substring(2));
            for (int i = 0; i < arr.size(); i++) {
                if (arr.get(i).equals(value)) {
                    return i;
                }
            }
        }
        return -1;
    }

    /** Removes the field or element at {@code path} from {@code obj} (mutates it); absent paths are ignored. */
    public static void remove(ObjectNode obj, List<String> path) {
        List<String> p = path;
        if (!p.isEmpty() && p.get(p.size() - 1).equals(".")) {
            p = p.subList(0, p.size() - 1);
        }
        if (p.isEmpty()) {
            return;
        }
        JsonNode parent = get(obj, p.subList(0, p.size() - 1));
        String last = p.get(p.size() - 1);
        if (parent instanceof ObjectNode o && last.startsWith("f:")) {
            o.remove(last.substring(2));
        } else if (parent instanceof ArrayNode a) {
            int i = indexOf(a, last);
            if (i >= 0) {
                a.remove(i);
            }
        }
    }
}
