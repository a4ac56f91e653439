package dev.kubetest.apiserver.discovery;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubetest.core.registry.ResourceRegistry;
import dev.kubetest.core.meta.ResourceType;
import dev.kubetest.core.json.Json;
import java.util.List;
import java.util.Map;

/** Discovery documents built from the registry: legacy (APIVersions, APIGroupList, APIResourceList) and aggregated v2. */
public final class Discovery {
    public static final String AGGREGATED_V2 = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";
    public static final String AGGREGATED_V2BETA1 = "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList";

    private final ResourceRegistry registry;

    public Discovery(ResourceRegistry registry) {
        this.registry = registry;
    }

    /** The kind, group and version a subresource answers with, and its verbs. */
    private record Sub(String group, String version, String kind, List<String> verbs) {}

    private static Sub subresource(ResourceType t, String sub) {
        return switch (sub) {
            case "status" -> new Sub(t.group(), t.version(), t.kind(), List.of("get", "patch", "update"));
            case "scale" -> new Sub("autoscaling", "v1", "Scale", List.of("get", "patch", "update"));
            case "binding" -> new Sub("", "v1", "Binding", List.of("create"));
            case "eviction" -> new Sub("policy", "v1", "Eviction", List.of("create"));
            case "log" -> new Sub("", "v1", "Pod", List.of("get"));
            case "exec" -> new Sub("", "v1", "PodExecOptions", List.of("create", "get"));
            case "attach" -> new Sub("", "v1", "PodAttachOptions", List.of("create", "get"));
            case "portforward" -> new Sub("", "v1", "PodPortForwardOptions", List.of("create", "get"));
            case "proxy" -> new Sub("", "v1", t.kind() + "ProxyOptions",
                    List.of("create", "delete", "get", "patch", "update"));
            case "ephemeralcontainers" -> new Sub("", "v1", "Pod", List.of("get", "patch", "update"));
            case "token" -> new Sub("authentication.k8s.io", "v1", "TokenRequest", List.of("create"));
            case "finalize" -> new Sub("", "v1", "Namespace", List.of("update"));
            case "approval" -> new Sub(t.group(), t.version(), t.kind(), List.of("get", "patch", "update"));
            default -> new Sub(t.group(), t.version(), t.kind(), List.of("get"));
        };
    }

    public ObjectNode apiVersions(String serverAddress) {
        ObjectNode o = Json.object();
        o.put("kind", "APIVersions");
        o.putArray("versions").add("v1");
        ObjectNode cidr = o.putArray("serverAddressByClientCIDRs").addObject();
        cidr.put("clientCIDR", "0.0.0.0/0");
        cidr.put("serverAddress", serverAddress);
        return o;
    }

    public ObjectNode apiGroupList() {
        ObjectNode o = Json.object();
        o.put("kind", "APIGroupList");
        o.put("apiVersion", "v1");
        ArrayNode groups = o.putArray("groups");
        for (Map.Entry<String, List<String>> g : registry.groupVersions().entrySet()) {
            if (!g.getKey().isEmpty()) {
                groups.add(apiGroup(g.getKey(), g.getValue()));
            }
        }
        return o;
    }

    /** The APIGroup document of {@code /apis/{group}}, or null when the group is unknown. */
    public ObjectNode apiGroup(String group) {
        List<String> versions = registry.groupVersions().get(group);
        if (versions == null || group.isEmpty()) {
            return null;
        }
        ObjectNode o = apiGroup(group, versions);
        o.put("kind", "APIGroup");
        o.put("apiVersion", "v1");
        return o;
    }

    private static ObjectNode apiGroup(String group, List<String> versions) {
        ObjectNode g = Json.object();
        g.put("name", group);
        ArrayNode vs = g.putArray("versions");
        for (String v : versions) {
            ObjectNode gv = vs.addObject();
            gv.put("groupVersion", group + "/" + v);
            gv.put("version", v);
        }
        ObjectNode pref = g.putObject("preferredVersion");
        pref.put("groupVersion", group + "/" + versions.get(0));
        pref.put("version", versions.get(0));
        return g;
    }

    /** The APIResourceList of a group-version, or null when it is unknown. */
    public ObjectNode apiResourceList(String group, String version) {
        List<ResourceType> types = registry.resources(group, version);
        if (types.isEmpty()) {
            return null;
        }
        ObjectNode o = Json.object();
        o.put("kind", "APIResourceList");
        o.put("apiVersion", "v1");
        o.put("groupVersion", group.isEmpty() ? version : group + "/" + version);
        ArrayNode resources = o.putArray("resources");
        for (ResourceType t : types) {
            ObjectNode r = resources.addObject();
            r.put("name", t.plural());
            r.put("singularName", t.singular());
            r.put("namespaced", t.namespaced());
            r.put("kind", t.kind());
            strings(r.putArray("verbs"), t.verbs());
            if (!t.shortNames().isEmpty()) {
                strings(r.putArray("shortNames"), t.shortNames());
            }
            if (!t.categories().isEmpty()) {
                strings(r.putArray("categories"), t.categories());
            }
            for (String sub : t.subresources()) {
                Sub s = subresource(t, sub);
                ObjectNode sr = resources.addObject();
                sr.put("name", t.plural() + "/" + sub);
                sr.put("singularName", "");
                sr.put("namespaced", t.namespaced());
                if (!s.group().equals(t.group()) || !s.version().equals(t.version())) {
                    sr.put("group", s.group());
                    sr.put("version", s.version());
                }
                sr.put("kind", s.kind());
                strings(sr.putArray("verbs"), s.verbs());
            }
        }
        return o;
    }

    /** The aggregated discovery document of {@code /api} (core only) or {@code /apis} (every other group). */
    public ObjectNode aggregated(boolean core, String apiVersion) {
        ObjectNode o = Json.object();
        o.put("kind", "APIGroupDiscoveryList");
        o.put("apiVersion", apiVersion);
        o.putObject("metadata");
        ArrayNode items = o.putArray("items");
        for (Map.Entry<String, List<String>> g : registry.groupVersions().entrySet()) {
            if (g.getKey().isEmpty() != core) {
                continue;
            }
            ObjectNode item = items.addObject();
            ObjectNode meta = item.putObject("metadata");
            if (!core) {
                meta.put("name", g.getKey());
            }
            ArrayNode versions = item.putArray("versions");
            for (String v : g.getValue()) {
                ObjectNode ver = versions.addObject();
                ver.put("version", v);
                ArrayNode resources = ver.putArray("resources");
                for (ResourceType t : registry.resources(g.getKey(), v)) {
                    resources.add(aggregatedResource(t));
                }
                ver.put("freshness", "Current");
            }
        }
        return o;
    }

    private static ObjectNode aggregatedResource(ResourceType t) {
        ObjectNode r = Json.object();
        r.put("resource", t.plural());
        r.set("responseKind", kind(t.group(), t.version(), t.kind()));
        r.put("scope", t.namespaced() ? "Namespaced" : "Cluster");
        r.put("singularResource", t.singular());
        strings(r.putArray("verbs"), t.verbs());
        if (!t.shortNames().isEmpty()) {
            strings(r.putArray("shortNames"), t.shortNames());
        }
        if (!t.categories().isEmpty()) {
            strings(r.putArray("categories"), t.categories());
        }
        if (!t.subresources().isEmpty()) {
            ArrayNode subs = r.putArray("subresources");
            for (String sub : t.subresources()) {
                Sub s = subresource(t, sub);
                ObjectNode so = subs.addObject();
                so.put("subresource", sub);
                so.set("responseKind", kind(s.group(), s.version(), s.kind()));
                strings(so.putArray("verbs"), s.verbs());
            }
        }
        return r;
    }

    private static ObjectNode kind(String group, String version, String kind) {
        ObjectNode k = Json.object();
        k.put("group", group);
        k.put("version", version);
        k.put("kind", kind);
        return k;
    }

    private static void strings(ArrayNode arr, List<String> values) {
        values.forEach(arr::add);
    }
}
