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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Serves what CustomResourceDefinitions define: registers a resource for every served version (so discovery,
 * kubectl and the API know it), sets the NamesAccepted and Established conditions, and when a CRD is deleted
 * removes its custom resources before letting the CRD go ({@code customresourcecleanup.apiextensions.k8s.io}).
 */
public final class CustomResourceDefinitionController extends QueueController<String> {
    public static final String NAME = "customresourcedefinition";
    public static final String CLEANUP_FINALIZER = "customresourcecleanup.apiextensions.k8s.io";

    private final KubeApi api;
    private final ResourceType crds;

    public CustomResourceDefinitionController(KubeApi api) {
        super(api.clock());
        this.api = api;
        this.crds = api.registry().find("apiextensions.k8s.io", "v1", "customresourcedefinitions").orElseThrow();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    protected void watch() {
        onClose(api.lists().watch(crds, null, ListOptions.all(), (type, obj) -> {
            if (type == dev.kubetest.core.api.WatchEventType.DELETED) {
                JsonNode spec = obj.path("spec");
                api.registry().removeResource(spec.path("group").asText(), spec.path("names").path("plural").asText());
            } else {
                queue.add(obj.path("metadata").path("name").asText());
            }
        }));
    }

    /** The resource types a CRD defines, one per served version, highest version priority first. Pure. */
    public static List<ResourceType> typesOf(JsonNode crd) {
        JsonNode spec = crd.path("spec");
        JsonNode names = spec.path("names");
        String kind = names.path("kind").asText();
        List<JsonNode> versions = new ArrayList<>();
        spec.path("versions").forEach(v -> {
            if (v.path("served").asBoolean(true)) {
                versions.add(v);
            }
        });
        versions.sort(Comparator.comparing((JsonNode v) -> v.path("name").asText(), VERSION_PRIORITY));
        List<ResourceType> out = new ArrayList<>();
        for (JsonNode v : versions) {
            List<String> subresources = new ArrayList<>();
            v.path("subresources").fieldNames().forEachRemaining(subresources::add);
            out.add(new ResourceType(spec.path("group").asText(), v.path("name").asText(), kind,
                    names.path("plural").asText(),
                    names.path("singular").asText(kind.toLowerCase(java.util.Locale.ROOT)),
                    !"Cluster".equals(spec.path("scope").asText()),
                    strings(names.path("shortNames")), ResourceType.STANDARD_VERBS, strings(names.path("categories")),
                    subresources, true, false));
        }
        return out;
    }

    private static List<String> strings(JsonNode arr) {
        List<String> out = new ArrayList<>();
        arr.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static final Pattern KUBE_VERSION = Pattern.compile("v(\\d+)(?:(alpha|beta)(\\d+))?");

    /** Kubernetes version priority: GA before beta before alpha, higher numbers first, others last by name. */
    static final Comparator<String> VERSION_PRIORITY = (a, b) -> {
        Matcher ma = KUBE_VERSION.matcher(a);
        Matcher mb = KUBE_VERSION.matcher(b);
        boolean ka = ma.matches();
        boolean kb = mb.matches();
        if (ka != kb) {
            return ka ? -1 : 1;
        }
        if (!ka) {
            return a.compareTo(b);
        }
        int sa = stability(ma.group(2));
        int sb = stability(mb.group(2));
        if (sa != sb) {
            return Integer.compare(sb, sa);
        }
        int major = Integer.compare(Integer.parseInt(mb.group(1)), Integer.parseInt(ma.group(1)));
        if (major != 0) {
            return major;
        }
        return ma.group(3) == null ? 0 : Integer.compare(Integer.parseInt(mb.group(3)), Integer.parseInt(ma.group(3)));
    };

    private static int stability(String s) {
        return s == null ? 2 : s.equals("beta") ? 1 : 0;
    }

    @Override
    protected Result reconcile(String name) {
        ObjectNode crd = api.find(crds, null, name).orElse(null);
        if (crd == null) {
            return Result.DONE;
        }
        List<ResourceType> types = typesOf(crd);
        if (crd.path("metadata").hasNonNull("deletionTimestamp")) {
            return cleanUp(crd, types);
        }
        api.registry().addAll(types);
        if (!isEstablished(crd)) {
            api.mutate(crds, null, name, null, WriteOptions.manager("kube-apiserver"), current -> {
                ObjectNode status = Json.with(current, "status");
                status.set("acceptedNames", current.path("spec").path("names").deepCopy());
                ArrayNode stored = status.putArray("storedVersions");
                current.path("spec").path("versions").forEach(v -> {
                    if (v.path("storage").asBoolean(false)) {
                        stored.add(v.path("name").asText());
                    }
                });
                ArrayNode conditions = status.putArray("conditions");
                condition(conditions, "NamesAccepted", "NoConflicts", "no conflicts found");
                condition(conditions, "Established", "InitialNamesAccepted", "the initial names have been accepted");
                return current;
            }, KubeApi.Target.STATUS);
        }
        return Result.DONE;
    }

    private void condition(ArrayNode conditions, String type, String reason, String message) {
        ObjectNode c = conditions.addObject();
        c.put("type", type);
        c.put("status", "True");
        c.put("lastTransitionTime", api.timestamp());
        c.put("reason", reason);
        c.put("message", message);
    }

    private static boolean isEstablished(JsonNode crd) {
        for (JsonNode c : crd.path("status").path("conditions")) {
            if ("Established".equals(c.path("type").asText()) && "True".equals(c.path("status").asText())) {
                return true;
            }
        }
        return false;
    }

    private Result cleanUp(ObjectNode crd, List<ResourceType> types) {
        if (!types.isEmpty()) {
            ResourceType t = types.get(0);
            List<ObjectNode> left = api.lists().list(t, null, ListOptions.all()).items();
            for (ObjectNode o : left) {
                if (!o.path("metadata").hasNonNull("deletionTimestamp")) {
                    try {
                        api.delete(t, o.path("metadata").path("namespace").asText(null),
                                o.path("metadata").path("name").asText(), DeleteOptions.defaults());
                    } catch (ApiException e) {
                        if (e.code() != 404) {
                            throw e;
                        }
                    }
                }
            }
            if (!api.lists().list(t, null, ListOptions.all()).items().isEmpty()) {
                return Result.requeueAfter(java.time.Duration.ofSeconds(1));
            }
        }
        api.mutate(crds, null, crd.path("metadata").path("name").asText(), null, WriteOptions.manager("kube-apiserver"),
                current -> {
                    ObjectNode meta = (ObjectNode) current.get("metadata");
                    ArrayNode kept = Json.NODES.arrayNode();
                    meta.path("finalizers").forEach(f -> {
                        if (!f.asText().equals(CLEANUP_FINALIZER)) {
                            kept.add(f);
                        }
                    });
                    meta.set("finalizers", kept);
                    return current;
                }, KubeApi.Target.MAIN);
        return Result.DONE;
    }
}
