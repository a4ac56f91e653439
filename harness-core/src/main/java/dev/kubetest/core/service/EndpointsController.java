package dev.kubetest.core.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubetest.core.api.KubeApi;
import dev.kubetest.core.controller.ObjectKeys;
import dev.kubetest.core.controller.QueueController;
import dev.kubetest.core.controller.ResourceEvents;
import dev.kubetest.core.json.Json;
import dev.kubetest.core.meta.ApiException;
import dev.kubetest.core.meta.DeleteOptions;
import dev.kubetest.core.meta.ResourceType;
import dev.kubetest.core.meta.WriteOptions;

/**
 * The (legacy, still maintained) Endpoints controller: for each Service with a selector, an Endpoints object of the
 * same name whose subsets list ready pods under {@code addresses} and the others under
 * {@code notReadyAddresses}, per port set; deleted with the Service. Endpoints of Services without a selector
 * are the user's.
 */
public final class EndpointsController extends QueueController<String> {
    public static final String NAME = "endpoint";
    private static final WriteOptions MANAGER = WriteOptions.manager("endpoint-controller");

    private final KubeApi api;
    private final ResourceEvents events;
    private final ResourceType services;
    private final ResourceType pods;
    private final ResourceType endpoints;

    public EndpointsController(KubeApi api, ResourceEvents events) {
        super(api.clock());
        this.api = api;
        this.events = events;
        this.services = api.registry().find("", "v1", "services").orElseThrow();
        this.pods = api.registry().find("", "v1", "pods").orElseThrow();
        this.endpoints = api.registry().find("", "v1", "endpoints").orElseThrow();
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
        if (svc == null) {
            // the Service is gone: so are its Endpoints (unless they were the user's, for a selector-less one)
            api.find(endpoints, ns, name).filter(e -> MANAGER.fieldManager().equals(managerOf(e))).ifPresent(e -> {
                try {
                    api.delete(endpoints, ns, name, DeleteOptions.ifUid(e.path("metadata").path("uid").asText()));
                } catch (ApiException ex) {
                    if (ex.code() != 404 && ex.code() != 409) {
                        throw ex;
                    }
                }
            });
            return Result.DONE;
        }
        if (!ServiceEndpoints.hasSelector(svc)) {
            return Result.DONE;
        }
        ArrayNode subsets = ServiceEndpoints.subsets(svc, ServiceEndpoints.endpoints(svc, ServiceQueue.selected(api, pods, svc)));
        ObjectNode labels = Json.object();
        svc.path("metadata").path("labels").fields().forEachRemaining(e -> labels.set(e.getKey(), e.getValue()));
        if (ServiceEndpoints.headless(svc)) {
            labels.put("service.kubernetes.io/headless", "");
        }
        JsonNode current = api.find(endpoints, ns, name).orElse(null);
        try {
            if (current == null) {
                ObjectNode e = Json.object();
                e.put("apiVersion", "v1");
                e.put("kind", "Endpoints");
                ObjectNode meta = e.putObject("metadata");
                meta.put("name", name);
                meta.set("labels", labels);
                if (!subsets.isEmpty()) {
                    e.set("subsets", subsets);
                }
                api.create(endpoints, ns, e, MANAGER);
            } else if (!sameSubsets(current, subsets) || !current.path("metadata").path("labels").equals(labels)) {
                api.mutate(endpoints, ns, name, null, MANAGER, e -> {
                    if (subsets.isEmpty()) {
                        e.remove("subsets");
                    } else {
                        e.set("subsets", subsets);
                    }
                    ((ObjectNode) e.get("metadata")).set("labels", labels);
                    return e;
                }, KubeApi.Target.MAIN);
            }
        } catch (ApiException e) {
            if (e.code() != 404 && e.code() != 403 && e.code() != 409) {
                throw e;
            }
            if (e.code() == 409) {
                return Result.requeueAfter(java.time.Duration.ZERO);
            }
        }
        return Result.DONE;
    }

    private static boolean sameSubsets(JsonNode current, ArrayNode subsets) {
        return subsets.isEmpty() ? current.path("subsets").isEmpty() : current.path("subsets").equals(subsets);
    }

    private static String managerOf(JsonNode endpoints) {
        for (JsonNode m : endpoints.path("metadata").path("managedFields")) {
            return m.path("manager").asText();
        }
        return "";
    }
}
