package dev.kubetest.core.registry;

import dev.kubetest.core.meta.ResourceType;
import com.fasterxml.jackson.databind.JsonNode;
import dev.kubetest.core.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The resources a cluster serves. Built-in kinds come from the data file {@code builtin-resources.json};
 * CustomResourceDefinitions add and remove resources at run time. Thread-safe: lookups read an immutable
 * snapshot, changes replace it.
 */
public final class ResourceRegistry {
    private volatile Snapshot snapshot = new Snapshot(List.of());
    private volatile long generation;
    private final List<Consumer<ResourceRegistry>> listeners = new CopyOnWriteArrayList<>();

    /** A registry holding every built-in kind. */
    public static ResourceRegistry withBuiltins() {
        ResourceRegistry registry = new ResourceRegistry();
        registry.snapshot = Builtins.SNAPSHOT;
        registry.generation = 1;
        return registry;
    }

    /** The built-in kinds, read once per JVM: class-path data, and a snapshot is never changed once made. */
    private static final class Builtins {
        static final Snapshot SNAPSHOT = new Snapshot(loadBuiltins());
    }

    static List<ResourceType> loadBuiltins() {
        try (InputStream in = ResourceRegistry.class.getResourceAsStream("builtin-resources.json")) {
            JsonNode root = Json.parse(in);
            List<ResourceType> types = new ArrayList<>();
            for (JsonNode groupNode : root) {
                String group = groupNode.get("group").asText();
                for (JsonNode versionNode : groupNode.get("versions")) {
                    String version = versionNode.get("version").asText();
                    for (JsonNode r : versionNode.get("resources")) {
                        types.add(fromJson(group, version, r));
                    }
                }
            }
            return types;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read builtin-resources.json", e);
        }
    }

    private static ResourceType fromJson(String group, String version, JsonNode r) {
        String kind = r.get("kind").asText();
        List<String> verbs = r.has("verbs") ? strings(r.get("verbs")) : ResourceType.STANDARD_VERBS;
        return new ResourceType(group, version, kind,
                r.get("plural").asText(),
                r.has("singular") ? r.get("singular").asText() : kind.toLowerCase(Locale.ROOT),
                r.path("namespaced").asBoolean(true),
                strings(r.get("shortNames")),
                verbs,
                strings(r.get("categories")),
                strings(r.get("subresources")),
                r.path("generation").asBoolean(!group.isEmpty()),
                true);
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        if (array != null) {
            array.forEach(n -> out.add(n.asText()));
        }
        return List.copyOf(out);
    }

    public synchronized void addAll(Collection<ResourceType> types) {
        List<ResourceType> all = new ArrayList<>(snapshot.all);
        for (ResourceType t : types) {
            all.removeIf(o -> o.group().equals(t.group()) && o.version().equals(t.version())
                    && o.plural().equals(t.plural()));
            all.add(t);
        }
        snapshot = new Snapshot(all);
        generation++;
        notifyAll();
        listeners.forEach(l -> l.accept(this));
    }

    /**
     * Waits until {@code apiVersion}/{@code kind} is served (a CRD just created is registered by its controller a
     * moment later), for at most {@code timeout} of wall time.
     */
    public synchronized Optional<ResourceType> awaitKind(String apiVersion, String kind, java.time.Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Optional<ResourceType> t;
        while ((t = findByKind(apiVersion, kind)).isEmpty()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return t;
            }
            java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return t;
    }

    public void add(ResourceType type) {
        addAll(List.of(type));
    }

    /** Removes every version of {@code plural.group} (a deleted CRD). */
    public synchronized void removeResource(String group, String plural) {
        List<ResourceType> all = new ArrayList<>(snapshot.all);
        all.removeIf(o -> o.group().equals(group) && o.plural().equals(plural));
        snapshot = new Snapshot(all);
        generation++;
        listeners.forEach(l -> l.accept(this));
    }

    /** Called after every change (discovery caches listen). */
    public void onChange(Consumer<ResourceRegistry> listener) {
        listeners.add(listener);
    }

    /** Bumped on every change: caches of documents derived from the registry compare it. */
    public long generation() {
        return generation;
    }

    public List<ResourceType> all() {
        return snapshot.all;
    }

    /** Groups in discovery order (core first, then as registered), each with its versions in order. */
    public Map<String, List<String>> groupVersions() {
        return snapshot.groupVersions;
    }

    public List<ResourceType> resources(String group, String version) {
        return snapshot.byGroupVersion.getOrDefault(group + "/" + version, List.of());
    }

    public Optional<ResourceType> find(String group, String version, String plural) {
        return Optional.ofNullable(snapshot.byGvr.get(group + "/" + version + "/" + plural));
    }

    public Optional<ResourceType> findByKind(String apiVersion, String kind) {
        return Optional.ofNullable(snapshot.byGvk.get(apiVersion + "/" + kind));
    }

    /** The preferred (first registered) version of a group's resource. */
    public Optional<ResourceType> preferred(String group, String plural) {
        List<String> versions = snapshot.groupVersions.get(group);
        if (versions == null) {
            return Optional.empty();
        }
        for (String v : versions) {
            Optional<ResourceType> t = find(group, v, plural);
            if (t.isPresent()) {
                return t;
            }
        }
        return Optional.empty();
    }

    private static final class Snapshot {
        final List<ResourceType> all;
        final Map<String, ResourceType> byGvr = new LinkedHashMap<>();
        final Map<String, ResourceType> byGvk = new LinkedHashMap<>();
        final Map<String, List<ResourceType>> byGroupVersion = new LinkedHashMap<>();
        final Map<String, List<String>> groupVersions = new LinkedHashMap<>();

        Snapshot(List<ResourceType> all) {
            this.all = List.copyOf(all);
            for (ResourceType t : this.all) {
                byGvr.put(t.group() + "/" + t.version() + "/" + t.plural(), t);
                byGvk.putIfAbsent(t.apiVersion() + "/" + t.kind(), t);
                byGroupVersion.computeIfAbsent(t.group() + "/" + t.version(), k -> new ArrayList<>()).add(t);
                List<String> versions = groupVersions.computeIfAbsent(t.group(), k -> new ArrayList<>());
                if (!versions.contains(t.version())) {
                    versions.add(t.version());
                }
            }
            byGroupVersion.replaceAll((k, v) -> List.copyOf(v));
            groupVersions.replaceAll((k, v) -> List.copyOf(v));
        }
    }
}
