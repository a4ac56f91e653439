package dev.kubetest.core.controller;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubetest.core.api.KubeApi;
import dev.kubetest.core.meta.ListOptions;
import dev.kubetest.core.meta.ResourceType;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Watches every listable resource the cluster serves (built-in and custom, joining as CRDs register them) and
 * fans the events out to controllers that care about all of them: the garbage collector and the namespace
 * controller. One watch per stored resource, on its preferred version.
 */
public final class ResourceEvents implements AutoCloseable {
    /** Receives an event of any resource. Called on the writer's thread: only enqueue. */
    public interface Listener {
        void onEvent(ResourceType type, dev.kubetest.core.api.WatchEventType eventType, ObjectNode object);
    }

    private final KubeApi api;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    /** Listeners of one resource, by storage key: an event reaches only the listeners of its resource. */
    private final Map<String, List<Listener>> listenersByResource = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, AutoCloseable> watches = new HashMap<>();
    private boolean started;
    private boolean closed;

    public ResourceEvents(KubeApi api) {
        this.api = api;
    }

    /** Listens to the events of every resource. */
    public void addListener(Listener l) {
        listeners.add(l);
    }

    /** Listens to the events of one resource (any of its versions). */
    public void addListener(ResourceType type, Listener l) {
        listenersByResource.computeIfAbsent(type.storageKey(), k -> new CopyOnWriteArrayList<>()).add(l);
    }

    private void dispatch(ResourceType type, dev.kubetest.core.api.WatchEventType eventType, ObjectNode obj) {
        listeners.forEach(l -> l.onEvent(type, eventType, obj));
        List<Listener> own = listenersByResource.get(type.storageKey());
        if (own != null) {
            own.forEach(l -> l.onEvent(type, eventType, obj));
        }
    }

    /**
     * The pattern of a controller that keeps one object in every active namespace: {@code namespace} gets a
     * namespace's name when the namespace appears or changes, and when the kept object ({@code storageKey},
     * {@code name}) in it changes ({@code deletionsOnly}: only when it is deleted).
     */
    public void keepInEveryNamespace(ResourceType kept, String name, boolean deletionsOnly,
                                     java.util.function.Consumer<String> namespace) {
        addListener(api.registry().find("", "v1", "namespaces").orElseThrow(), (type, eventType, obj) -> {
            if (eventType != dev.kubetest.core.api.WatchEventType.DELETED) {
                namespace.accept(obj.path("metadata").path("name").asText());
            }
        });
        addListener(kept, (type, eventType, obj) -> {
            if (name.equals(obj.path("metadata").path("name").asText())
                    && (!deletionsOnly || eventType == dev.kubetest.core.api.WatchEventType.DELETED)) {
                namespace.accept(obj.path("metadata").path("namespace").asText());
            }
        });
    }

    public synchronized void start() {
        if (started) {
            return;
        }
        started = true;
        api.registry().onChange(r -> sync());
        sync();
    }

    /** The resources watched: every stored resource that can be listed (one version per storage key). */
    public List<ResourceType> resources() {
        Map<String, ResourceType> byStorage = new java.util.LinkedHashMap<>();
        for (ResourceType t : api.registry().all()) {
            if (t.supports("list") && t.supports("watch")) {
                byStorage.putIfAbsent(t.storageKey(), api.registry().preferred(t.group(), t.plural()).orElse(t));
            }
        }
        return List.copyOf(byStorage.values());
    }

    private synchronized void sync() {
        if (closed) {
            return;
        }
        List<ResourceType> wanted = resources();
        java.util.Set<String> keys = new java.util.HashSet<>();
        for (ResourceType t : wanted) {
            keys.add(t.storageKey());
            watches.computeIfAbsent(t.storageKey(), k -> api.lists().watch(t, null, ListOptions.all(),
                    (eventType, obj) -> dispatch(t, eventType, obj)));
        }
        watches.entrySet().removeIf(e -> {
            if (!keys.contains(e.getKey())) {
                closeQuietly(e.getValue());
                return true;
            }
            return false;
        });
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // store subscriptions close without failing
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        watches.values().forEach(ResourceEvents::closeQuietly);
        watches.clear();
    }
}
