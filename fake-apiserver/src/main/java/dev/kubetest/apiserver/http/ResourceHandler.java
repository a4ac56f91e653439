package dev.kubetest.apiserver.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubetest.apiserver.stream.AttachSession;
import dev.kubetest.apiserver.stream.ExecSession;
import dev.kubetest.apiserver.stream.PodLogs;
import dev.kubetest.apiserver.stream.PortForwardSession;
import dev.kubetest.apiserver.table.TablePrinters;
import dev.kubetest.core.meta.ApiException;
import dev.kubetest.core.meta.DeleteOptions;
import dev.kubetest.core.api.KubeApi;
import dev.kubetest.core.subresource.Subresources;
import dev.kubetest.core.meta.ListOptions;
import dev.kubetest.core.api.ListWatch;
import dev.kubetest.core.meta.ResourceType;
import dev.kubetest.core.meta.WriteOptions;
import dev.kubetest.core.json.Json;
import java.util.List;

/** The verbs on resource URLs: get, list, watch, create, update, patch, delete, deletecollection. */
final class ResourceHandler {
    private final KubeApi api;
    private final Subresources actions;
    private final dev.kubetest.core.kubelet.NodeConnector nodes;

    /** One subresource's answer to a request on it. */
    @FunctionalInterface
    private interface SubresourceHandler {
        void serve(Request r, ResourceType type, String ns, String name);
    }

    /** A subresource served by its own handler, and the HTTP methods it takes. */
    private record Subresource(java.util.Set<String> methods, SubresourceHandler handler) {}

    /** Subresources that write the object itself, by the part of it they change. */
    private static final java.util.Map<String, KubeApi.Target> TARGETS = java.util.Map.of(
            "status", KubeApi.Target.STATUS,
            "finalize", KubeApi.Target.FINALIZE,
            "ephemeralcontainers", KubeApi.Target.EPHEMERAL_CONTAINERS,
            "approval", KubeApi.Target.APPROVAL);

    /** Subresources with handlers of their own: actions (binding, eviction, token), streams, and scale. */
    private final java.util.Map<String, Subresource> subresources;

    ResourceHandler(KubeApi api, Subresources actions, dev.kubetest.core.kubelet.NodeConnector nodes) {
        this.api = api;
        this.actions = actions;
        this.nodes = nodes;
        java.util.Set<String> post = java.util.Set.of("POST");
        java.util.Set<String> stream = java.util.Set.of("GET", "POST");
        this.subresources = java.util.Map.of(
                "proxy", new Subresource(java.util.Set.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"),
                        (r, type, ns, name) -> ProxyHandler.serve(r, api, nodes, type, ns, name)),
                "binding", new Subresource(post, (r, type, ns, name) ->
                        Responses.json(r.ctx, r.keepAlive, 201, actions.pods().bind(ns, name, objectBody(r), writeOptions(r)))),
                "eviction", new Subresource(post, (r, type, ns, name) ->
                        Responses.json(r.ctx, r.keepAlive, 201, actions.pods().evict(ns, name, objectBody(r)))),
                "token", new Subresource(post, (r, type, ns, name) ->
                        Responses.json(r.ctx, r.keepAlive, 201, actions.tokens().create(ns, name, objectBody(r)))),
                "exec", new Subresource(stream, (r, type, ns, name) -> ExecSession.start(r, api, nodes, type, ns, name)),
                "portforward", new Subresource(stream, (r, type, ns, name) ->
                        PortForwardSession.start(r, api, nodes, type, ns, name)),
                "attach", new Subresource(stream, (r, type, ns, name) -> AttachSession.start(r, api, nodes, type, ns, name)),
                "log", new Subresource(java.util.Set.of("GET"), (r, type, ns, name) ->
                        PodLogs.serve(r, api, nodes, type, ns, name)),
                "scale", new Subresource(java.util.Set.of("GET", "PUT", "PATCH", "POST", "DELETE"),
                        (r, type, ns, name) -> scale(r, type, ns, name)));
    }

    void handle(Request r, ResourcePath p) {
        ResourceType type = api.registry().find(p.group(), p.version(), p.resource())
                .orElseThrow(ApiHandler::notFoundPath);
        if (!type.namespaced() && p.namespace() != null) {
            throw ApiHandler.notFoundPath();
        }
        if (p.subresource() != null && !type.hasSubresource(p.subresource())) {
            throw ApiHandler.notFoundPath();
        }
        String ns = p.namespace();
        MediaTypes.Form form = MediaTypes.responseForm(r.accept());
        String method = r.method();
        boolean watch = p.legacyWatch() || r.flag("watch");
        if (p.name() == null) {
            switch (method) {
                case "GET" -> {
                    if (watch) {
                        new WatchStream(r, api, type, form).start(ns, listOptions(r));
                    } else {
                        list(r, type, ns, form);
                    }
                }
                case "POST" -> {
                    java.util.Optional<Subresources.CollectionCreate> action = actions.collectionCreate(type);
                    if (action.isPresent()) {
                        Responses.json(r.ctx, r.keepAlive, 201, action.get().create(ns, objectBody(r), writeOptions(r)));
                        return;
                    }
                    ObjectNode body = objectBody(r);
                    WriteOptions options = writeOptions(r);
                    checkDuplicates(r, type.kind(), type.version(), options);
                    ObjectNode created = api.create(type, ns, body, options);
                    Responses.json(r.ctx, r.keepAlive, 201, created, options.warnings());
                }
                case "DELETE" -> {
                    List<ObjectNode> deleted = api.deleteCollection(type, ns, listOptions(r), deleteOptions(r));
                    Responses.json(r.ctx, r.keepAlive, 200, listBody(type, deleted, Long.toString(api.lists().currentRevision()), null, null));
                }
                default -> throw ApiException.methodNotAllowed("the server does not allow this method on the requested resource");
            }
            return;
        }
        if (watch && method.equals("GET")) {
            ListOptions o = listOptions(r).withFieldSelector("metadata.name=" + p.name());
            new WatchStream(r, api, type, form).start(ns, o);
            return;
        }
        if (p.subresource() != null) {
            Subresource sub = subresources.get(p.subresource());
            if (sub != null && sub.methods().contains(method)) {
                sub.handler().serve(r, type, ns, p.name());
                return;
            }
        }
        KubeApi.Target target = p.subresource() == null ? KubeApi.Target.MAIN : TARGETS.get(p.subresource());
        if (target == null) {
            throw new ApiException(404, "NotFound", "the server could not find the requested resource",
                    null, null, null, null);
        }
        switch (method) {
            case "GET" -> single(r, type, api.get(type, ns, p.name()), form, 200);
            case "PUT" -> {
                WriteOptions options = writeOptions(r);
                checkDuplicates(r, type.kind(), type.version(), options);
                ObjectNode updated = api.update(type, ns, p.name(), objectBody(r), target, options);
                Responses.json(r.ctx, r.keepAlive, 200, updated, options.warnings());
            }
            case "PATCH" -> {
                if (MediaTypes.baseType(r.contentType()).equals("application/apply-patch+yaml")) {
                    JsonNode config = MediaTypes.decode(r.body(), r.contentType());
                    if (!(config instanceof ObjectNode cfg)) {
                        throw ApiException.badRequest("the apply configuration must be an object");
                    }
                    WriteOptions options = writeOptions(r);
                    checkDuplicates(r, type.kind(), type.version(), options);
                    KubeApi.Applied applied = api.apply(type, ns, p.name(), cfg, target, options);
                    Responses.json(r.ctx, r.keepAlive, applied.created() ? 201 : 200, applied.object(), options.warnings());
                    return;
                }
                KubeApi.PatchType patchType = switch (MediaTypes.baseType(r.contentType())) {
                    case "application/json-patch+json" -> KubeApi.PatchType.JSON;
                    case "application/merge-patch+json" -> KubeApi.PatchType.MERGE;
                    case "application/strategic-merge-patch+json" -> KubeApi.PatchType.STRATEGIC;
                    default -> throw new ApiException(415, "UnsupportedMediaType", "the body of the request was in an "
                            + "unknown format - accepted media types include: application/json-patch+json, "
                            + "application/merge-patch+json, application/apply-patch+yaml, "
                            + "application/strategic-merge-patch+json",
                            null, null, null, null);
                };
                JsonNode patch = MediaTypes.decode(r.body(), r.contentType());
                WriteOptions options = writeOptions(r);
                ObjectNode patched = api.patch(type, ns, p.name(), patchType, patch, target, options);
                Responses.json(r.ctx, r.keepAlive, 200, patched, options.warnings());
            }
            case "DELETE" -> {
                JsonNode body = r.body().length == 0 ? null : MediaTypes.decode(r.body(), "application/json");
                DeleteOptions options = DeleteOptions.fromJson(body, r.param("propagationPolicy"),
                        r.param("gracePeriodSeconds"), "All".equals(r.param("dryRun")), r.param("orphanDependents"));
                KubeApi.Deletion d = api.delete(type, ns, p.name(), options);
                int code = !d.deleted() && Boolean.FALSE.equals(options.orphanDependents()) ? 202 : 200;
                Responses.json(r.ctx, r.keepAlive, code, d.object());
            }
            default -> throw ApiException.methodNotAllowed("the server does not allow this method on the requested resource");
        }
    }

    private void scale(Request r, ResourceType type, String ns, String name) {
        switch (r.method()) {
            case "GET" -> Responses.json(r.ctx, r.keepAlive, 200, actions.scale().get(type, ns, name));
            case "PUT" -> Responses.json(r.ctx, r.keepAlive, 200, actions.scale().update(type, ns, name, objectBody(r), writeOptions(r)));
            case "PATCH" -> {
                KubeApi.PatchType patchType = switch (MediaTypes.baseType(r.contentType())) {
                    case "application/json-patch+json" -> KubeApi.PatchType.JSON;
                    case "application/strategic-merge-patch+json" -> KubeApi.PatchType.STRATEGIC;
                    default -> KubeApi.PatchType.MERGE;
                };
                Responses.json(r.ctx, r.keepAlive, 200, actions.scale().patch(type, ns, name, patchType,
                        MediaTypes.decode(r.body(), r.contentType()), writeOptions(r)));
            }
            default -> throw ApiException.methodNotAllowed("the server does not allow this method on the requested resource");
        }
    }

    /** Duplicate keys in a JSON or YAML body, reported as fieldValidation asks (400 Strict, warnings Warn). */
    private static void checkDuplicates(Request r, String kind, String version, WriteOptions options) {
        String type = MediaTypes.baseType(r.contentType());
        boolean yaml = type.contains("yaml");
        if (!yaml && !type.contains("json")) {
            return;
        }
        java.util.List<String> dups = DuplicateFields.find(r.body(), yaml);
        if (dups.isEmpty() || "Ignore".equals(options.fieldValidation())) {
            return;
        }
        if ("Strict".equals(options.fieldValidation())) {
            java.util.List<String> parts = new java.util.ArrayList<>();
            dups.forEach(d -> parts.add("duplicate field \"" + d + "\""));
            throw ApiException.badRequest(kind + " in version \"" + version + "\" cannot be handled as a " + kind
                    + ": strict decoding error: " + String.join(", ", parts));
        }
        dups.forEach(d -> options.warnings().add("duplicate field \"" + d + "\""));
    }

    private static ObjectNode objectBody(Request r) {
        JsonNode body = MediaTypes.decode(r.body(), r.contentType());
        if (!(body instanceof ObjectNode o)) {
            throw ApiException.badRequest("the body of the request must be an object");
        }
        return o;
    }

    private void single(Request r, ResourceType type, ObjectNode obj, MediaTypes.Form form, int code) {
        switch (form) {
            case TABLE_V1, TABLE_V1BETA1 -> Responses.json(r.ctx, r.keepAlive, code,
                    TablePrinters.table(Columns.of(api, type), List.of(obj), null, null, null, api.clock().now(), include(r), true,
                            tableVersion(form)));
            case PARTIAL_METADATA -> Responses.json(r.ctx, r.keepAlive, code, TablePrinters.partialMetadata(obj));
            default -> Responses.json(r.ctx, r.keepAlive, code, obj);
        }
    }

    private void list(Request r, ResourceType type, String ns, MediaTypes.Form form) {
        ListWatch.Page page = api.lists().list(type, ns, listOptions(r));
        switch (form) {
            case TABLE_V1, TABLE_V1BETA1 -> Responses.json(r.ctx, r.keepAlive, 200,
                    TablePrinters.table(Columns.of(api, type), page.items(), page.resourceVersion(), page.continueToken(),
                            page.remainingItemCount(), api.clock().now(), include(r), true, tableVersion(form)));
            case PARTIAL_METADATA -> {
                ObjectNode list = listBody(type, page.items().stream().map(TablePrinters::partialMetadata).toList(),
                        page.resourceVersion(), page.continueToken(), page.remainingItemCount());
                list.put("kind", "PartialObjectMetadataList");
                list.put("apiVersion", "meta.k8s.io/v1");
                Responses.json(r.ctx, r.keepAlive, 200, list);
            }
            default -> Responses.jsonList(r.ctx, r.keepAlive, listBody(type, List.of(), page.resourceVersion(),
                    page.continueToken(), page.remainingItemCount()), page.items());
        }
    }

    private static String tableVersion(MediaTypes.Form form) {
        return form == MediaTypes.Form.TABLE_V1 ? "meta.k8s.io/v1" : "meta.k8s.io/v1beta1";
    }

    private static TablePrinters.IncludeObject include(Request r) {
        String v = r.param("includeObject");
        if ("Object".equals(v)) {
            return TablePrinters.IncludeObject.OBJECT;
        }
        return "None".equals(v) ? TablePrinters.IncludeObject.NONE : TablePrinters.IncludeObject.METADATA;
    }

    static ObjectNode listBody(ResourceType type, List<? extends JsonNode> items, String rv, String cont, Long remaining) {
        ObjectNode list = Json.object();
        list.put("kind", type.listKind());
        list.put("apiVersion", type.apiVersion());
        ObjectNode meta = list.putObject("metadata");
        meta.put("resourceVersion", rv);
        if (cont != null) {
            meta.put("continue", cont);
        }
        if (remaining != null) {
            meta.put("remainingItemCount", remaining);
        }
        ArrayNode arr = list.putArray("items");
        items.forEach(arr::add);
        return list;
    }

    static ListOptions listOptions(Request r) {
        String limit = r.param("limit");
        String timeout = r.param("timeoutSeconds");
        String sendInitial = r.param("sendInitialEvents");
        try {
            return new ListOptions(r.param("labelSelector"), r.param("fieldSelector"),
                    limit == null ? null : Long.valueOf(limit), r.param("continue"), r.param("resourceVersion"),
                    r.param("resourceVersionMatch"), r.flag("allowWatchBookmarks"),
                    sendInitial == null ? null : Boolean.valueOf(sendInitial),
                    timeout == null ? null : Long.valueOf(timeout));
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("invalid query parameter: " + e.getMessage());
        }
    }

    static WriteOptions writeOptions(Request r) {
        List<String> dryRun = r.params("dryRun");
        if (!dryRun.isEmpty() && !dryRun.equals(List.of("All"))) {
            throw ApiException.badRequest("Invalid dryRun value " + dryRun + ": supported values: \"All\"");
        }
        String manager = r.param("fieldManager");
        if (manager == null && !"PATCH".equals(r.method()) || manager == null && !MediaTypes.baseType(r.contentType())
                .equals("application/apply-patch+yaml")) {
            manager = managerFromUserAgent(r.header(io.netty.handler.codec.http.HttpHeaderNames.USER_AGENT));
        }
        return new WriteOptions(!dryRun.isEmpty(), manager, r.param("fieldValidation"), r.flag("force"));
    }

    /** The manager upstream records for a write without fieldManager: the user agent up to its first '/'. */
    static String managerFromUserAgent(String userAgent) {
        if (userAgent == null || userAgent.isBlank()) {
            return "unknown";
        }
        int slash = userAgent.indexOf('/');
        String m = slash < 0 ? userAgent : userAgent.substring(0, slash);
        return m.length() > 128 ? m.substring(0, 128) : m;
    }

    private static DeleteOptions deleteOptions(Request r) {
        JsonNode body = r.body().length == 0 ? null : MediaTypes.decode(r.body(), "application/json");
        return DeleteOptions.fromJson(body, r.param("propagationPolicy"), r.param("gracePeriodSeconds"),
                "All".equals(r.param("dryRun")), r.param("orphanDependents"));
    }
}
