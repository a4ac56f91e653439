package dev.kubetest.core.controller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubetest.core.meta.ApiException;
import dev.kubetest.core.meta.DeleteOptions;
import dev.kubetest.core.api.KubeApi;
import dev.kubetest.core.meta.ResourceType;
import dev.kubetest.core.meta.WriteOptions;
import dev.kubetest.core.json.Json;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The APIServices a kube-apiserver registers for what it serves itself, as its aggregator's autoregistration
 * does: one per built-in group/version ({@code v1.}, {@code v1.apps}, ...; label automanaged=onstart) and one per
 * CustomResourceDefinition group/version (automanaged=true), created and removed as CRDs come and go, each with
 * an Available condition ("Local APIServices are always available"). Keyed by APIService name.
 */
public final class LocalApiServices extends QueueController<String> {
    public static final String NAME = "apiservice-autoregistration";
    static final String AUTOMANAGED = "kube-aggregator.kubernetes.io/automanaged";
    /** upstream's group and version priorities for the built-in groups (kube-aggregator's table). */
    private static final Map<String, int[]> PRIORITIES = Map.ofEntries(
            Map.entry("/v1", new int[] {18000, 1}),
            Map.entry("apiregistration.k8s.io/v1", new int[] {18000, 15}),
            Map.entry("apps/v1", new int[] {17800, 15}),
            Map.entry("events.k8s.io/v1", new int[] {17750, 15}),
            Map.entry("authentication.k8s.io/v1", new int[] {17700, 15}),
            Map.entry("authorization.k8s.io/v1", new int[] {17600, 15}),
            Map.entry("autoscaling/v1", new int[] {17500, 15}),
            Map.entry("autoscaling/v2", new int[] {17500, 30}),
            Map.entry("batch/v1", new int[] {17400, 15}),
            Map.entry("certificates.k8s.io/v1", new int[] {17300, 15}),
            Map.entry("networking.k8s.io/v1", new int[] {17200, 15}),
            Map.entry("policy/v1", new int[] {17100, 15}),
            Map.entry("rbac.authorization.k8s.io/v1", new int[] {17000, 15}),
            Map.entry("storage.k8s.io/v1", new int[] {16800, 15}),
            Map.entry("apiextensions.k8s.io/v1", new int[] {16700, 15}),
            Map.entry("admissionregistration.k8s.io/v1", new int[] {16700, 15}),
            Map.entry("scheduling.k8s.io/v1", new int[] {16600, 15}),
            Map.entry("coordination.k8s.io/v1", new int[] {16500, 15}),
            Map.entry("node.k8s.io/v1", new int[] {16300, 15}),
            Map.entry("discovery.k8s.io/v1", new int[] {16200, 15}),
            Map.entry("flowcontrol.apiserver.k8s.io/v1", new int[] {16100, 21}));

    private final KubeApi api;
    private final ResourceEvents events;
    private final ResourceType apiServices;

    /** What an APIService should say: its group, version, priorities and whether it comes from a CRD. */
    record Desired(String group, String version, int groupPriority, int versionPriority, boolean fromCrd) {}

    public LocalApiServices(KubeApi api, ResourceEvents events) {
        super(api.clock());
        this.api = api;
        this.events = events;
        this.apiServices = api.registry().find("apiregistration.k8s.io", "v1", "apiservices").orElseThrow();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    protected void watch() {
        api.registry().onChange(r -> enqueueAll());
        events.addListener(apiServices, (type, eventType, obj) -> {
            // its own writes come back as events: only a deletion or someone else's change needs another look
            if ((eventType == dev.kubetest.core.api.WatchEventType.DELETED
                            || eventType == dev.kubetest.core.api.WatchEventType.MODIFIED && !available(obj))) {
                queue.add(obj.path("metadata").path("name").asText());
            }
        });
        enqueueAll();
    }

    private void enqueueAll() {
        desired().keySet().forEach(queue::add);
        for (ObjectNode s : api.lists().list(apiServices, null, dev.kubetest.core.meta.ListOptions.all()).items()) {
            queue.add(s.path("metadata").path("name").asText());
        }
    }

    private long desiredGeneration = -1;
    private Map<String, Desired> desiredCache = Map.of();

    /** The APIServices the registry's group/versions call for, by name; worked out again when the registry changes. */
    synchronized Map<String, Desired> desired() {
        long generation = api.registry().generation();
        if (generation != desiredGeneration) {
            desiredCache = desiredFor();
            desiredGeneration = generation;
        }
        return desiredCache;
    }

    private Map<String, Desired> desiredFor() {
        Map<String, Desired> out = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> g : api.registry().groupVersions().entrySet()) {
            for (String v : g.getValue()) {
                boolean fromCrd = api.registry().resources(g.getKey(), v).stream().noneMatch(ResourceType::builtIn);
                int[] p = PRIORITIES.getOrDefault(g.getKey() + "/" + v, fromCrd ? new int[] {1000, 100} : new int[] {1000, 15});
                out.put(v + "." + g.getKey(), new Desired(g.getKey(), v, p[0], p[1], fromCrd));
            }
        }
        return out;
    }

    @Override
    protected Result reconcile(String name) {
        Desired want = desired().get(name);
        ObjectNode current = api.find(apiServices, null, name).orElse(null);
        if (want == null) {
            String managed = current == null ? "" : current.path("metadata").path("labels").path(AUTOMANAGED).asText("");
            if (managed.equals("true") || managed.equals("onstart")) {
                api.deleteIfPresent(apiServices, null, name, DeleteOptions.ifUid(current.path("metadata").path("uid").asText()));
            }
            return Result.DONE;
        }
        if (current == null) {
            try {
                api.create(apiServices, null, object(name, want), WRITER);
            } catch (ApiException e) {
                if (e.code() != 409) {
                    throw e;
                }
            }
            current = api.get(apiServices, null, name);
        }
        if (!available(current)) {
            api.mutate(apiServices, null, name, null, WRITER, o -> {
                o.set("status", status());
                return o;
            }, KubeApi.Target.STATUS);
        }
        return Result.DONE;
    }

    private static final WriteOptions WRITER = WriteOptions.manager("kube-apiserver");

    private static boolean available(JsonNode svc) {
        for (JsonNode c : svc.path("status").path("conditions")) {
            if (c.path("type").asText().equals("Available") && c.path("status").asText().equals("True")) {
                return true;
            }
        }
        return false;
    }

    private ObjectNode status() {
        ObjectNode status = Json.object();
        ObjectNode c = status.putArray("conditions").addObject();
        c.put("type", "Available");
        c.put("status", "True");
        c.put("lastTransitionTime", api.timestamp());
        c.put("reason", "Local");
        c.put("message", "Local APIServices are always available");
        return status;
    }

    private static ObjectNode object(String name, Desired want) {
        ObjectNode o = Json.object();
        o.put("apiVersion", "apiregistration.k8s.io/v1");
        o.put("kind", "APIService");
        ObjectNode meta = o.putObject("metadata");
        meta.put("name", name);
        meta.putObject("labels").put(AUTOMANAGED, want.fromCrd() ? "true" : "onstart");
        ObjectNode spec = o.putObject("spec");
        if (!want.group().isEmpty()) {
            spec.put("group", want.group());
        }
        spec.put("version", want.version());
        spec.put("groupPriorityMinimum", want.groupPriority());
        spec.put("versionPriority", want.versionPriority());
        return o;
    }
}
