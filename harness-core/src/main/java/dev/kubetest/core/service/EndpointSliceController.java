package dev.kubetest.core.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubetest.core.api.KubeApi;
import dev.kubetest.core.controller.ObjectKeys;
import dev.kubetest.core.controller.QueueController;
import dev.kubetest.core.controller.ResourceEvents;
import dev.kubetest.core.json.Json;
import dev.kubetest.core.meta.ApiException;
import dev.kubetest.core.meta.DeleteOptions;
import dev.kubetest.core.meta.ListOptions;
import dev.kubetest.core.meta.ResourceType;
import dev.kubetest.core.meta.WriteOptions;
import java.util.ArrayList;
import java.util.Comparator;
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
    private static final WriteOptions MANAGER = WriteOptions.manager("endpointslice-controller");

    private final KubeApi api;
    private final ResourceEvents events;
    private final ResourceType services;
    private final ResourceType pods;
    private final ResourceType slices;

    public EndpointSliceController(KubeApi api, ResourceEvents events) {
        super(api.clock());
        this.api = api;
        this.events = events;
        this.services = api.registry().find("", "v1", "services").orElseThrow();
        this.pods = api.registry().find("", "v1", "pods").orElseThrow();
        this.slices = api.registry().find("discovery.k8s.io", "v1", "endpointslices").orElseThrow();
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
        List<ObjectNode> existing = new ArrayList<>(api.lists().list(slices, ns,
                ListOptions.labels("kubernetes.io/service-name=" + name + ",endpointslice.kubernetes.io/managed-by=" + MANAGED_BY))
                .items());
        existing.sort(Comparator.comparing(s -> s.path("metadata").path("name").asText()));
        List<ObjectNode> desired = svc == null || !ServiceEndpoints.hasSelector(svc)
                || svc.path("metadata").hasNonNull("deletionTimestamp") ? List.of()
                : ServiceEndpoints.slices(svc, ServiceEndpoints.endpoints(svc, ServiceQueue.selected(api, pods, svc)));
        for (int i = 0; i < Math.max(existing.size(), desired.size()); i++) {
            if (i >= desired.size()) {
                delete(existing.get(i));
            } else if (i >= existing.size()) {
                create(svc, desired.get(i));
            } else {
                update(svc, existing.get(i), desired.get(i));
            }
        }
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

    private void create(JsonNode svc, ObjectNode content) {
        ObjectNode slice = content.deepCopy();
        slice.put("apiVersion", "discovery.k8s.io/v1");
        slice.put("kind", "EndpointSlice");
        ObjectNode meta = slice.putObject("metadata");
        meta.put("generateName", svc.path("metadata").path("name").asText() + "-");
        meta.set("labels", labels(svc));
        ObjectNode ref = meta.putArray("ownerReferences").addObject();
        ref.put("apiVersion", "v1");
        ref.put("kind", "Service");
        ref.put("name", svc.path("metadata").path("name").asText());
        ref.put("uid", svc.path("metadata").path("uid").asText());
        ref.put("controller", true);
        ref.put("blockOwnerDeletion", true);
        try {
            api.create(slices, svc.path("metadata").path("namespace").asText(), slice, MANAGER);
        } catch (ApiException e) {
            if (e.code() != 404 && e.code() != 403) {
                throw e; // a namespace being deleted refuses new objects
            }
        }
    }

    private void update(JsonNode svc, ObjectNode current, ObjectNode content) {
        ObjectNode labels = labels(svc);
        if (current.path("endpoints").equals(content.path("endpoints")) && current.path("ports").equals(content.path("ports"))
                && current.path("metadata").path("labels").equals(labels)) {
            return;
        }
        try {
            api.mutate(slices, current.path("metadata").path("namespace").asText(), current.path("metadata").path("name").asText(),
                    null, MANAGER, s -> {
                        s.set("endpoints", content.path("endpoints").deepCopy());
                        s.set("ports", content.path("ports").deepCopy());
                        ((ObjectNode) s.get("metadata")).set("labels", labels);
                        return s;
                    }, KubeApi.Target.MAIN);
        } catch (ApiException e) {
            if (e.code() != 404) {
                throw e;
            }
        }
    }

    private void delete(JsonNode slice) {
        try {
            api.delete(slices, slice.path("metadata").path("namespace").asText(), slice.path("metadata").path("name").asText(),
                    DeleteOptions.ifUid(slice.path("metadata").path("uid").asText()));
        } catch (ApiException e) {
            if (e.code() != 404 && e.code() != 409) {
                throw e;
            }
        }
    }
}
