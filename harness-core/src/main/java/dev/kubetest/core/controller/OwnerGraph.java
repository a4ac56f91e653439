package dev.kubetest.core.controller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubetest.core.meta.ResourceType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The garbage collector's view of the cluster: every object by uid, and for each owner uid the uids of the
 * objects whose ownerReferences name it. Fed by watch events; answers with copies.
 */
final class OwnerGraph {
    /** An object as the graph knows it. */
    record Node(String uid, ResourceType type, String namespace, String name, List<String> ownerUids) {}

    private final Map<String, Node> nodes = new HashMap<>();
    private final Map<String, Set<String>> dependents = new HashMap<>();

    /** Records the object; returns the owner uids it had before (null when new). */
    synchronized List<String> put(ResourceType type, ObjectNode obj) {
        JsonNode meta = obj.path("metadata");
        String uid = meta.path("uid").asText();
        List<String> owners = new ArrayList<>();
        meta.path("ownerReferences").forEach(r -> owners.add(r.path("uid").asText()));
        Node old = nodes.put(uid, new Node(uid, type, meta.path("namespace").asText(""), meta.path("name").asText(), owners));
        if (old != null) {
            old.ownerUids().forEach(o -> unlink(o, uid));
        }
        owners.forEach(o -> dependents.computeIfAbsent(o, k -> new HashSet<>()).add(uid));
        return old == null ? null : old.ownerUids();
    }

    /** Forgets the object; returns it (null when unknown). */
    synchronized Node remove(String uid) {
        Node old = nodes.remove(uid);
        if (old != null) {
            old.ownerUids().forEach(o -> unlink(o, uid));
        }
        return old;
    }

    private void unlink(String owner, String dependent) {
        Set<String> s = dependents.get(owner);
        if (s != null) {
            s.remove(dependent);
            if (s.isEmpty()) {
                dependents.remove(owner);
            }
        }
    }

    synchronized Node node(String uid) {
        return nodes.get(uid);
    }

    synchronized List<Node> dependentsOf(String ownerUid) {
        List<Node> out = new ArrayList<>();
        for (String d : dependents.getOrDefault(ownerUid, Set.of())) {
            Node n = nodes.get(d);
            if (n != null) {
                out.add(n);
            }
        }
        return out;
    }

    synchronized List<String> dependentUids(String ownerUid) {
        return new ArrayList<>(dependents.getOrDefault(ownerUid, Set.of()));
    }
}
