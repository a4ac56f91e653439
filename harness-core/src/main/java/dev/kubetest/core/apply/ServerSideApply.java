package dev.kubetest.core.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubetest.core.meta.ApiException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Server-side apply and field ownership, as structured-merge-diff does it: an apply merges the configuration
 * into the live object, owns the fields it set, conflicts (409) on fields another manager owns with a different
 * value unless forced, and removes the fields it set before and no longer sets when nobody else owns them.
 * Every other write records the fields it changed as an {@code Update} of its manager.
 */
public final class ServerSideApply {
    private ServerSideApply() {}

    /** Where a write lands and who makes it. */
    public record Writer(String manager, String apiVersion, String subresource, dev.kubetest.core.schema.ModelType modelType, String time) {}

    /**
     * The object after applying {@code config} to {@code live} (null: the object does not exist yet), with its
     * managedFields updated.
     *
     * @throws ApiException 409 Conflict listing each conflicting field and its manager, unless {@code force}
     */
    public static ObjectNode apply(ObjectNode live, ObjectNode config, Writer w, boolean force) {
        ApplySchema schema = ApplySchema.of(w.modelType());
        FieldSet applied = FieldPaths.of(config, schema);
        List<ManagedFields.Entry> entries = live == null ? new ArrayList<>() : new ArrayList<>(ManagedFields.read(live));
        ManagedFields.Entry previous = null;
        List<ManagedFields.Entry> others = new ArrayList<>();
        for (ManagedFields.Entry e : entries) {
            if (e.sameOwner(w.manager(), "Apply", w.subresource())) {
                previous = e;
            } else {
                others.add(e);
            }
        }
        Map<String, List<String>> conflicts = new LinkedHashMap<>();
        List<ManagedFields.Entry> kept = new ArrayList<>();
        for (ManagedFields.Entry e : others) {
            FieldSet lost = FieldSet.empty();
            for (List<String> p : e.fields().intersect(applied).paths()) {
                if (p.get(p.size() - 1).equals(".")) {
                    continue;
                }
                JsonNode liveValue = live == null ? null : FieldPaths.get(live, p);
                JsonNode newValue = FieldPaths.get(config, p);
                if (!ApplyMerge.sameValue(liveValue, newValue)) {
                    conflicts.computeIfAbsent(e.manager() + "\u0000" + e.apiVersion(), k -> new ArrayList<>())
                            .add(FieldSet.describe(p));
                    lost = lost.union(new FieldSet(java.util.Set.of(p)));
                }
            }
            kept.add(new ManagedFields.Entry(e.manager(), e.operation(), e.apiVersion(), e.time(), e.subresource(),
                    e.fields().minus(lost)));
        }
        if (!conflicts.isEmpty() && !force) {
            throw conflict(conflicts);
        }
        ObjectNode merged = ApplyMerge.merge(live, config, schema);
        if (previous != null) {
            FieldSet ownedByOthers = FieldSet.empty();
            for (ManagedFields.Entry e : kept) {
                ownedByOthers = ownedByOthers.union(e.fields());
            }
            List<List<String>> remove = new ArrayList<>(previous.fields().minus(applied).minus(ownedByOthers).paths());
            remove.sort(Comparator.comparingInt((List<String> p) -> p.size()).reversed());
            for (List<String> p : remove) {
                FieldPaths.remove(merged, p);
                removeEmptiedParents(merged, p, applied.union(ownedByOthers));
            }
        }
        List<ManagedFields.Entry> next = new ArrayList<>();
        boolean placed = false;
        for (ManagedFields.Entry e : entries) {
            if (e.sameOwner(w.manager(), "Apply", w.subresource())) {
                next.add(new ManagedFields.Entry(w.manager(), "Apply", w.apiVersion(), w.time(), w.subresource(), applied));
                placed = true;
            } else {
                for (ManagedFields.Entry k : kept) {
                    if (k.sameOwner(e.manager(), e.operation(), e.subresource())) {
                        next.add(k);
                    }
                }
            }
        }
        if (!placed) {
            next.add(new ManagedFields.Entry(w.manager(), "Apply", w.apiVersion(), w.time(), w.subresource(), applied));
        }
        ManagedFields.write(merged, next);
        return merged;
    }

    /**
     * After a removal, the maps it left empty go too, up to the first one that still holds something or that some
     * manager owns as a field of its own (structured-merge-diff drops a map whose last owned field went).
     */
    private static void removeEmptiedParents(ObjectNode obj, List<String> removed, FieldSet owned) {
        List<String> p = removed.get(removed.size() - 1).equals(".") ? removed.subList(0, removed.size() - 1) : removed;
        for (int k = p.size() - 1; k >= 1; k--) {
            List<String> parentPath = p.subList(0, k);
            JsonNode parent = FieldPaths.get(obj, parentPath);
            if (!(parent instanceof ObjectNode o) || !o.isEmpty() || owned.contains(parentPath)
                    || parentPath.equals(List.of("f:metadata")) || !parentPath.get(k - 1).startsWith("f:")) {
                return;
            }
            FieldPaths.remove(obj, parentPath);
        }
    }

    private static ApiException conflict(Map<String, List<String>> conflicts) {
        List<ApiException.Cause> causes = new ArrayList<>();
        int total = 0;
        StringBuilder msg = new StringBuilder();
        for (Map.Entry<String, List<String>> c : conflicts.entrySet()) {
            String[] mv = c.getKey().split("\u0000", -1);
            String who = "conflict with \"" + mv[0] + "\"" + (mv[1].isEmpty() ? "" : " using " + mv[1]);
            for (String field : c.getValue()) {
                causes.add(new ApiException.Cause("FieldManagerConflict", who, field));
                total++;
            }
            if (msg.length() > 0) {
                msg.append('\n');
            }
            if (c.getValue().size() == 1) {
                msg.append(who).append(": ").append(c.getValue().get(0));
            } else {
                msg.append(who.replaceFirst("^conflict", "conflicts")).append(':');
                c.getValue().forEach(f -> msg.append("\n- ").append(f));
            }
        }
        String head = "Apply failed with " + total + " conflict" + (total == 1 ? "" : "s") + ": ";
        return new ApiException(409, "Conflict", head + msg, null, null, null, causes);
    }

    private static boolean isReset(JsonNode managedFields) {
        return managedFields.size() == 1 && managedFields.get(0).isObject() && managedFields.get(0).isEmpty();
    }

    /** Records a non-apply write from {@code before} (null on create) to {@code after} in {@code after}'s managedFields. */
    public static void recordUpdate(ObjectNode before, ObjectNode after, Writer w) {
        ApplySchema schema = ApplySchema.of(w.modelType());
        FieldSet now = FieldPaths.of(after, schema);
        FieldSet was = before == null ? FieldSet.empty() : FieldPaths.of(before, schema);
        java.util.Set<List<String>> changedPaths = new java.util.LinkedHashSet<>();
        for (List<String> p : now.paths()) {
            if (!was.contains(p) || !ApplyMerge.sameValue(FieldPaths.get(before, p), FieldPaths.get(after, p))) {
                changedPaths.add(p);
            }
        }
        FieldSet changed = new FieldSet(changedPaths);
        FieldSet removed = was.minus(now);
        List<ManagedFields.Entry> entries = before == null ? new ArrayList<>() : ManagedFields.read(before);
        JsonNode sent = after.path("metadata").get("managedFields");
        if (w.subresource() == null && sent != null && sent.isArray() && !sent.isEmpty()) {
            // as upstream's decodeLiveOrNew: managedFields a write carries replace the recorded ones ([{}] resets
            // them); a subresource write, or one that sends none, keeps what was recorded
            entries = isReset(sent) ? new ArrayList<>() : ManagedFields.read(after);
        }
        List<ManagedFields.Entry> next = new ArrayList<>();
        boolean placed = false;
        for (ManagedFields.Entry e : entries) {
            if (e.sameOwner(w.manager(), "Update", w.subresource())) {
                if (!changed.isEmpty() || !e.fields().minus(removed).isEmpty()) {
                    next.add(new ManagedFields.Entry(w.manager(), "Update", w.apiVersion(),
                            changed.isEmpty() ? e.time() : w.time(), w.subresource(), e.fields().minus(removed).union(changed)));
                }
                placed = true;
            } else {
                next.add(new ManagedFields.Entry(e.manager(), e.operation(), e.apiVersion(), e.time(), e.subresource(),
                        e.fields().minus(removed).minus(changed)));
            }
        }
        if (!placed && !changed.isEmpty()) {
            next.add(new ManagedFields.Entry(w.manager(), "Update", w.apiVersion(), w.time(), w.subresource(), changed));
        }
        ManagedFields.write(after, next);
    }
}
