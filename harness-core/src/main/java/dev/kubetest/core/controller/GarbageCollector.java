package dev.kubetest.core.controller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubetest.core.meta.ApiException;
import dev.kubetest.core.meta.DeleteOptions;
import dev.kubetest.core.api.KubeApi;
import dev.kubetest.core.meta.ResourceType;
import dev.kubetest.core.meta.WriteOptions;
import dev.kubetest.core.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The garbage collector: deletes objects whose owners are all gone (background), holds an owner deleted in the
 * foreground until its blocking dependents are gone ({@code foregroundDeletion}), and strips the owner's
 * reference from its dependents when it is deleted with the {@code orphan} finalizer. Custom resources join as
 * their CRDs register them.
 */
public final class GarbageCollector extends QueueController<String> {
    public static final String NAME = "garbagecollector";
    static final String FOREGROUND = "foregroundDeletion";
    static final String ORPHAN = "orphan";

    private final KubeApi api;
    private final ResourceEvents events;
    private final OwnerGraph graph = new OwnerGraph();

    public GarbageCollector(KubeApi api, ResourceEvents events) {
        super(api.clock());
        this.api = api;
        this.events = events;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    protected void watch() {
        events.addListener(this::onEvent);
    }

    private void onEvent(ResourceType type, dev.kubetest.core.api.WatchEventType eventType, ObjectNode obj) {
        JsonNode meta = obj.path("metadata");
        String uid = meta.path("uid").asText();
        if (eventType == dev.kubetest.core.api.WatchEventType.DELETED) {
            OwnerGraph.Node gone = graph.remove(uid);
            graph.dependentUids(uid).forEach(queue::add);
            if (gone != null) {
                gone.ownerUids().forEach(queue::add);
            }
            return;
        }
        List<String> before = graph.put(type, obj);
        List<String> owners = graph.node(uid).ownerUids();
        if (!owners.isEmpty() && (before == null || !before.equals(owners))) {
            queue.add(uid);
        }
        if (meta.hasNonNull("deletionTimestamp") && (hasFinalizer(meta, FOREGROUND) || hasFinalizer(meta, ORPHAN))) {
            queue.add(uid);
        }
    }

    private static boolean hasFinalizer(JsonNode meta, String finalizer) {
        for (JsonNode f : meta.path("finalizers")) {
            if (f.asText().equals(finalizer)) {
                return true;
            }
        }
        return false;
    }

    @Override
    protected Result reconcile(String uid) {
        OwnerGraph.Node node = graph.node(uid);
        if (node == null) {
            return Result.DONE;
        }
        ObjectNode obj = read(node.type(), node.namespace(), node.name(), uid).orElse(null);
        if (obj == null) {
            return Result.DONE;
        }
        JsonNode meta = obj.path("metadata");
        if (meta.hasNonNull("deletionTimestamp")) {
            if (hasFinalizer(meta, ORPHAN)) {
                orphanDependents(uid);
                removeFinalizer(node, ORPHAN);
            } else if (hasFinalizer(meta, FOREGROUND)) {
                if (deleteDependentsInForeground(uid)) {
                    removeFinalizer(node, FOREGROUND);
                }
            }
            return Result.DONE;
        }
        collectIfOwnersAreGone(node, obj);
        return Result.DONE;
    }

    private Optional<ObjectNode> read(ResourceType type, String namespace, String name, String uid) {
        return api.find(type, namespace, name).filter(o -> uid.equals(o.path("metadata").path("uid").asText()));
    }

    /** The states an owner can be in, as upstream classifies them. */
    private enum OwnerState { SOLID, DANGLING, WAITING, UNKNOWN }

    private OwnerState ownerState(OwnerGraph.Node dependent, JsonNode ref) {
        Optional<ResourceType> type = api.registry().findByKind(ref.path("apiVersion").asText(), ref.path("kind").asText());
        if (type.isEmpty()) {
            return OwnerState.UNKNOWN;
        }
        if (type.get().namespaced() && !dependent.type().namespaced()) {
            return OwnerState.DANGLING;
        }
        String ns = type.get().namespaced() ? dependent.namespace() : null;
        Optional<ObjectNode> owner = read(type.get(), ns, ref.path("name").asText(), ref.path("uid").asText());
        if (owner.isEmpty()) {
            return OwnerState.DANGLING;
        }
        JsonNode meta = owner.get().path("metadata");
        if (meta.hasNonNull("deletionTimestamp") && hasFinalizer(meta, FOREGROUND)) {
            return OwnerState.WAITING;
        }
        return OwnerState.SOLID;
    }

    private void collectIfOwnersAreGone(OwnerGraph.Node node, ObjectNode obj) {
        List<String> solid = new ArrayList<>();
        List<String> remove = new ArrayList<>();
        boolean waiting = false;
        for (JsonNode ref : obj.path("metadata").path("ownerReferences")) {
            String ownerUid = ref.path("uid").asText();
            switch (ownerState(node, ref)) {
                case SOLID, UNKNOWN -> solid.add(ownerUid);
                case DANGLING -> remove.add(ownerUid);
                case WAITING -> {
                    remove.add(ownerUid);
                    waiting = true;
                }
            }
        }
        if (obj.path("metadata").path("ownerReferences").isEmpty()) {
            return;
        }
        if (!solid.isEmpty()) {
            if (!remove.isEmpty()) {
                removeOwnerReferences(node, Set.copyOf(remove));
            }
            return;
        }
        String policy = waiting ? "Foreground" : "Background";
        api.deleteIfPresent(node.type(), node.type().namespaced() ? node.namespace() : null, node.name(),
                DeleteOptions.ifUid(node.uid()).withPropagation(policy));
    }

    /** Deletes the owner's dependents; true once none that blocks the owner's deletion is left. */
    private boolean deleteDependentsInForeground(String ownerUid) {
        boolean blocked = false;
        for (OwnerGraph.Node d : graph.dependentsOf(ownerUid)) {
            Optional<ObjectNode> dep = read(d.type(), d.namespace(), d.name(), d.uid());
            if (dep.isEmpty()) {
                continue;
            }
            if (blocksOwner(dep.get(), ownerUid)) {
                blocked = true;
            }
            if (!dep.get().path("metadata").hasNonNull("deletionTimestamp")) {
                String policy = graph.dependentUids(d.uid()).isEmpty() ? "Background" : "Foreground";
                api.deleteIfPresent(d.type(), d.type().namespaced() ? d.namespace() : null, d.name(),
                        DeleteOptions.ifUid(d.uid()).withPropagation(policy));
            }
        }
        return !blocked;
    }

    private static boolean blocksOwner(ObjectNode dependent, String ownerUid) {
        for (JsonNode ref : dependent.path("metadata").path("ownerReferences")) {
            if (ownerUid.equals(ref.path("uid").asText()) && ref.path("blockOwnerDeletion").asBoolean(false)) {
                return true;
            }
        }
        return false;
    }

    private void orphanDependents(String ownerUid) {
        for (OwnerGraph.Node d : graph.dependentsOf(ownerUid)) {
            removeOwnerReferences(d, Set.of(ownerUid));
        }
    }

    private void removeOwnerReferences(OwnerGraph.Node node, Set<String> ownerUids) {
        try {
            api.mutate(node.type(), node.type().namespaced() ? node.namespace() : null, node.name(), null,
                    WriteOptions.manager("kube-controller-manager"), current -> {
                        if (!Objects.equals(current.path("metadata").path("uid").asText(), node.uid())) {
                            return current;
                        }
                        ObjectNode meta = (ObjectNode) current.get("metadata");
                        ArrayNode kept = Json.NODES.arrayNode();
                        for (JsonNode ref : meta.path("ownerReferences")) {
                            if (!ownerUids.contains(ref.path("uid").asText())) {
                                kept.add(ref);
                            }
                        }
                        if (kept.isEmpty()) {
                            meta.remove("ownerReferences");
                        } else {
                            meta.set("ownerReferences", kept);
                        }
                        return current;
                    }, KubeApi.Target.MAIN);
        } catch (ApiException e) {
            if (e.code() != 404) {
                throw e;
            }
        }
    }

    private void removeFinalizer(OwnerGraph.Node node, String finalizer) {
        try {
            api.mutate(node.type(), node.type().namespaced() ? node.namespace() : null, node.name(), null,
                    WriteOptions.manager("kube-controller-manager"), current -> {
                        ObjectNode meta = (ObjectNode) current.get("metadata");
                        ArrayNode kept = Json.NODES.arrayNode();
                        for (JsonNode f : meta.path("finalizers")) {
                            if (!f.asText().equals(finalizer)) {
                                kept.add(f);
                            }
                        }
                        if (kept.isEmpty()) {
                            meta.remove("finalizers");
                        } else {
                            meta.set("finalizers", kept);
                        }
                        return current;
                    }, KubeApi.Target.MAIN);
        } catch (ApiException e) {
            if (e.code() != 404) {
                throw e;
            }
        }
    }
}
