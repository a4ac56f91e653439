package dev.kubetest.core.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubetest.core.api.KubeApi;
import dev.kubetest.core.controller.ObjectKeys;
import dev.kubetest.core.controller.QueueController;
import dev.kubetest.core.controller.ResourceEvents;
import dev.kubetest.core.meta.ApiException;
import dev.kubetest.core.meta.WriteOptions;
import java.time.temporal.ChronoUnit;

/**
 * The shape of the Gateway API controllers: each keeps the status of one kind, re-queued when any object of the
 * Gateway API (or a Service, Secret, Namespace) changes, and writes the status only when it differs.
 */
abstract class StatusController extends QueueController<String> {
    private static final WriteOptions MANAGER = WriteOptions.manager("kubetest-gateway-controller");

    protected final KubeApi api;
    protected final GatewayApi gateways;
    private final ResourceEvents events;

    StatusController(KubeApi api, ResourceEvents events) {
        super(api.clock());
        this.api = api;
        this.events = events;
        this.gateways = new GatewayApi(api);
    }

    /** The kind's plural, e.g. {@code gateways}. */
    protected abstract String plural();

    /** The status the object should have, computed from a copy of its current one; null to leave it alone. */
    protected abstract ObjectNode desiredStatus(JsonNode obj, ObjectNode current, String now);

    @Override
    protected void watch() {
        events.addListener((type, eventType, obj) -> {
            boolean related = GatewayApi.GROUP.equals(type.group())
                    || (type.group().isEmpty() && (type.plural().equals("services") || type.plural().equals("secrets")
                    || type.plural().equals("namespaces")));
            if (!related) {
                return;
            }
            if (GatewayApi.GROUP.equals(type.group()) && type.plural().equals(plural())) {
                if (eventType != dev.kubetest.core.api.WatchEventType.DELETED) {
                    queue.add(ObjectKeys.of(obj));
                }
                return;
            }
            for (JsonNode o : gateways.list(plural())) {
                queue.add(ObjectKeys.of(o));
            }
        });
    }

    @Override
    protected Result reconcile(String key) {
        var type = gateways.type(plural()).orElse(null);
        if (type == null) {
            return Result.DONE;
        }
        String ns = ObjectKeys.namespace(key).isEmpty() ? null : ObjectKeys.namespace(key);
        ObjectNode obj = api.find(type, ns, ObjectKeys.name(key)).orElse(null);
        if (obj == null || obj.path("metadata").hasNonNull("deletionTimestamp")) {
            return Result.DONE;
        }
        String now = api.clock().now().truncatedTo(ChronoUnit.SECONDS).toString();
        ObjectNode current = obj.path("status").isObject() ? ((ObjectNode) obj.path("status")).deepCopy() : dev.kubetest.core.json.Json.object();
        ObjectNode desired = desiredStatus(obj, current, now);
        if (desired == null || desired.equals(obj.path("status"))) {
            return Result.DONE;
        }
        try {
            api.mutate(type, ns, ObjectKeys.name(key), obj.path("metadata").path("resourceVersion").asText(), MANAGER, o -> {
                o.set("status", desired);
                return o;
            }, KubeApi.Target.STATUS);
        } catch (ApiException e) {
            if (e.code() == 409) {
                return Result.requeueAfter(java.time.Duration.ZERO);
            }
            if (e.code() != 404) {
                throw e;
            }
        }
        return Result.DONE;
    }
}
