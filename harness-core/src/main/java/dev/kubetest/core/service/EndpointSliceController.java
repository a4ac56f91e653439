package dev.kubetest.core.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubetest.core.api.KubeApi;
import dev.kubetest.core.controller.ObjectKeys;
import dev.kubetest.core.controller.QueueController;
import dev.kubetest.core.controller.ResourceEvents;
import dev.kubetest.core.json.Json;
import dev.kubetest.core.meta.ResourceType;
import java.util.List;

/**
 * The EndpointSlice controller, as kube-controller-manager's: for each Service with a selector, slices named
 * {@code <service>-<random>} (owned by the Service, labelled {@code kubernetes.io/service-name} and
 * {@code endpointslice.kubernetes.io/managed-by}) listing the selected pods per port set, at most 100 each, with
 * their ready, serving and terminating conditions. Existing slices are rewritten in place when their contents
 * change, extra ones deleted; slices of Services without a selector are the user's.
 */
public final class EndpointSliceController extends QueueController<String> {
    public static final String NAME = "endpointslice";
    public static final String MANAGED_BY = "endpointslice-controller.k8s.io";

    private final KubeApi api;
    private final ResourceEvents events;
    private final ResourceType services;
    private final ResourceType pods;
    private final SliceWriter writer;

    public EndpointSliceController(KubeApi api, ResourceEvents events) {
        super(api.clock());
        this.api = api;
        this.events = events;
        this.services = api.registry().find("", "v1", "services").orElseThrow();
        this.pods = api.registry().find("", "v1", "pods").orElseThrow();
        this.writer = new SliceWriter(api, MANAGED_BY, "endpointslice-controller");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    protected void watch() {
        ServiceQueue.watch(api, events, services, pods, queue::add);
    }

    @Override
    protected Result reconcile(String key) {
        String ns = ObjectKeys.namespace(key);
        String name = ObjectKeys.name(key);
        JsonNode svc = api.find(services, ns, name).orElse(null);
        List<ObjectNode> desired = svc == null || !ServiceEndpoints.hasSelector(svc)
                || svc.path("metadata").hasNonNull("deletionTimestamp") ? List.of()
                : ServiceEndpoints.slices(svc, ServiceEndpoints.endpoints(svc, ServiceQueue.selected(api, pods, svc)));
        writer.sync(ns, name, desired, svc, "Service", svc == null ? Json.object() : labels(svc));
        return Result.DONE;
    }

    private ObjectNode labels(JsonNode svc) {
        ObjectNode labels = Json.object();
        svc.path("metadata").path("labels").fields().forEachRemaining(e -> labels.set(e.getKey(), e.getValue()));
        labels.put("kubernetes.io/service-name", svc.path("metadata").path("name").asText());
        labels.put("endpointslice.kubernetes.io/managed-by", MANAGED_BY);
        if (ServiceEndpoints.headless(svc)) {
            labels.put("service.kubernetes.io/headless", "");
        }
        return labels;
    }
}
