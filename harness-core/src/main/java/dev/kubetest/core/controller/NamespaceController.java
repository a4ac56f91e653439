package dev.kubetest.core.controller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubetest.core.meta.ApiException;
import dev.kubetest.core.meta.DeleteOptions;
import dev.kubetest.core.api.KubeApi;
import dev.kubetest.core.meta.ListOptions;
import dev.kubetest.core.meta.ResourceType;
import dev.kubetest.core.meta.WriteOptions;
import dev.kubetest.core.json.Json;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Empties a terminating namespace: deletes every namespaced object of every resource in it (built-in and
 * custom; each object's finalizers and grace are honoured by the delete itself), reports progress in the
 * upstream status conditions, and once nothing is left removes the {@code kubernetes} finalizer through
 * {@code namespaces/{name}/finalize}, after which the namespace disappears.
 */
public final class NamespaceController extends QueueController<String> {
    public static final String NAME = "namespace";
    private static final String FINALIZER = "kubernetes";

    private final KubeApi api;
    private final ResourceEvents events;
    private final ResourceType namespaces;
    /** Namespaces being deleted, as their own events said: what an object's deletion re-queues, read without the store. */
    private final java.util.Set<String> terminating = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public NamespaceController(KubeApi api, ResourceEvents events) {
        super(api.clock());
        this.api = api;
        this.events = events;
        this.namespaces = api.registry().find("", "v1", "namespaces").orElseThrow();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    protected void watch() {
        events.addListener((type, eventType, obj) -> {
            if (type.equals(namespaces)) {
                String name = obj.path("metadata").path("name").asText();
                if (eventType == dev.kubetest.core.api.WatchEventType.DELETED) {
                    terminating.remove(name);
                } else if (obj.path("metadata").hasNonNull("deletionTimestamp")) {
                    terminating.add(name);
                    queue.add(name);
                }
            } else if (type.namespaced() && (eventType == dev.kubetest.core.api.WatchEventType.DELETED || obj.path("metadata").hasNonNull("deletionTimestamp"))) {
                String ns = obj.path("metadata").path("namespace").asText();
                if (terminating.contains(ns)) {
                    queue.add(ns);
                }
            }
        });
    }

    @Override
    protected Result reconcile(String name) {
        ObjectNode ns = api.find(namespaces, null, name).orElse(null);
        if (ns == null) {
            return Result.DONE;
        }
        if (!ns.path("metadata").hasNonNull("deletionTimestamp") || !hasFinalizer(ns)) {
            return Result.DONE;
        }
        Map<String, Integer> remaining = new TreeMap<>();
        Map<String, Integer> finalizers = new TreeMap<>();
        String failure = null;
        for (ResourceType t : events.resources()) {
            if (!t.namespaced() || !t.supports("delete")) {
                continue;
            }
            List<ObjectNode> items = api.lists().list(t, name, ListOptions.all()).items();
            for (ObjectNode o : items) {
                if (!o.path("metadata").hasNonNull("deletionTimestamp")) {
                    try {
                        api.delete(t, name, o.path("metadata").path("name").asText(), DeleteOptions.propagation("Background"));
                    } catch (ApiException e) {
                        if (e.code() != 404 && e.code() != 409) {
                            failure = t.qualifiedResource();
                        }
                    }
                }
            }
            List<ObjectNode> left = api.lists().list(t, name, ListOptions.all()).items();
            if (!left.isEmpty()) {
                remaining.put(t.plural() + "." + t.group(), left.size());
                for (ObjectNode o : left) {
                    for (JsonNode f : o.path("metadata").path("finalizers")) {
                        finalizers.merge(f.asText(), 1, Integer::sum);
                    }
                }
            }
        }
        writeConditions(name, NamespaceConditions.of(remaining, finalizers, failure));
        if (!remaining.isEmpty()) {
            // deletions of the remaining objects requeue the namespace; the timer is a safety net
            return Result.requeueAfter(Duration.ofSeconds(5));
        }
        finalizeNamespace(name);
        return Result.DONE;
    }

    private static boolean hasFinalizer(JsonNode ns) {
        for (JsonNode f : ns.path("spec").path("finalizers")) {
            if (f.asText().equals(FINALIZER)) {
                return true;
            }
        }
        return false;
    }

    private void writeConditions(String name, List<NamespaceConditions.Condition> conditions) {
        api.mutate(namespaces, null, name, null, WriteOptions.manager("kube-controller-manager"), current -> {
            NamespaceConditions.apply(current, conditions, api.timestamp());
            return current;
        }, KubeApi.Target.STATUS);
    }

    private void finalizeNamespace(String name) {
        api.mutate(namespaces, null, name, null, WriteOptions.manager("kube-controller-manager"), current -> {
            ArrayNode kept = Json.NODES.arrayNode();
            for (JsonNode f : current.path("spec").path("finalizers")) {
                if (!f.asText().equals(FINALIZER)) {
                    kept.add(f);
                }
            }
            Json.with(current, "spec").set("finalizers", kept);
            return current;
        }, KubeApi.Target.FINALIZE);
    }
}
