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
import dev.kubetest.core.meta.ListOptions;
import dev.kubetest.core.meta.ResourceType;
import dev.kubetest.core.meta.WriteOptions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The EndpointSliceMirroring controller, as kube-controller-manager's: the Endpoints a user writes for a Service
 * without a selector are mirrored into EndpointSlices ({@code <endpoints>-<random>}, owned by the Endpoints,
 * labelled {@code kubernetes.io/service-name} and managed by {@code endpointslicemirroring-controller.k8s.io}):
 * per subset, {@code addresses} as ready endpoints and {@code notReadyAddresses} as not ready, at most 100 per
 * slice and 1,000 per Endpoints. Endpoints labelled {@code endpointslice.kubernetes.io/skip-mirror: "true"}, of a
 * Service with a selector or of no Service are not mirrored.
 */
public final class EndpointSliceMirroringController extends QueueController<String> {
    public static final String NAME = "endpointslicemirroring";
    public static final String MANAGED_BY = "endpointslicemirroring-controller.k8s.io";
    static final int MAX_MIRRORED = 1000;
    private static final WriteOptions MANAGER = WriteOptions.manager("endpointslicemirroring-controller");

    private final KubeApi api;
    private final ResourceEvents events;
    private final ResourceType services;
    private final ResourceType endpoints;
    private final ResourceType slices;

    public EndpointSliceMirroringController(KubeApi api, ResourceEvents events) {
        super(api.clock());
        this.api = api;
        this.events = events;
        this.services = api.registry().find("", "v1", "services").orElseThrow();
        this.endpoints = api.registry().find("", "v1", "endpoints").orElseThrow();
        this.slices = api.registry().find("discovery.k8s.io", "v1", "endpointslices").orElseThrow();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    protected void watch() {
        events.addListener(services, (type, eventType, svc) -> queue.add(ObjectKeys.of(svc)));
        events.addListener(endpoints, (type, eventType, eps) -> queue.add(ObjectKeys.of(eps)));
    }

    @Override
    protected Result reconcile(String key) {
        String ns = ObjectKeys.namespace(key);
        String name = ObjectKeys.name(key);
        JsonNode svc = api.find(services, ns, name).orElse(null);
        JsonNode eps = api.find(endpoints, ns, name).orElse(null);
        List<ObjectNode> existing = new ArrayList<>(api.lists().list(slices, ns,
                ListOptions.labels("kubernetes.io/service-name=" + name + ",endpointslice.kubernetes.io/managed-by=" + MANAGED_BY))
                .items());
        existing.sort(Comparator.comparing(s -> s.path("metadata").path("name").asText()));
        boolean mirror = svc != null && eps != null && !ServiceEndpoints.hasSelector(svc)
                && !svc.path("metadata").hasNonNull("deletionTimestamp") && !eps.path("metadata").hasNonNull("deletionTimestamp")
                && !"true".equals(eps.path("metadata").path("labels").path("endpointslice.kubernetes.io/skip-mirror").asText());
        List<ObjectNode> desired = mirror ? mirrored(eps) : List.of();
        for (int i = 0; i < Math.max(existing.size(), desired.size()); i++) {
            if (i >= desired.size()) {
                delete(existing.get(i));
            } else if (i >= existing.size()) {
                create(eps, desired.get(i));
            } else {
                update(eps, existing.get(i), desired.get(i));
            }
        }
        return Result.DONE;
    }

    /** The slices' contents ({@code addressType}, {@code endpoints}, {@code ports}) for an Endpoints object. Pure. */
    static List<ObjectNode> mirrored(JsonNode eps) {
        List<ObjectNode> out = new ArrayList<>();
        int budget = MAX_MIRRORED;
        for (JsonNode subset : eps.path("subsets")) {
            List<ObjectNode> list = new ArrayList<>();
            for (String field : List.of("addresses", "notReadyAddresses")) {
                boolean ready = field.equals("addresses");
                for (JsonNode a : subset.path(field)) {
                    if (budget-- <= 0 || !a.path("ip").asText().matches("\\d+\\.\\d+\\.\\d+\\.\\d+")) {
                        continue;
                    }
                    ObjectNode e = Json.object();
                    e.putArray("addresses").add(a.path("ip").asText());
                    e.putObject("conditions").put("ready", ready);
                    if (a.hasNonNull("hostname")) {
                        e.put("hostname", a.path("hostname").asText());
                    }
                    if (a.hasNonNull("nodeName")) {
                        e.put("nodeName", a.path("nodeName").asText());
                    }
                    if (a.has("targetRef")) {
                        e.set("targetRef", a.path("targetRef").deepCopy());
                    }
                    list.add(e);
                }
            }
            ArrayNode ports = Json.object().putArray("ports");
            for (JsonNode p : subset.path("ports")) {
                ObjectNode port = ports.addObject();
                if (p.hasNonNull("name")) {
                    port.put("name", p.path("name").asText());
                }
                port.put("port", p.path("port").asInt());
                port.put("protocol", p.path("protocol").asText("TCP"));
                if (p.hasNonNull("appProtocol")) {
                    port.put("appProtocol", p.path("appProtocol").asText());
                }
            }
            for (int from = 0; from < list.size(); from += ServiceEndpoints.MAX_PER_SLICE) {
                ObjectNode slice = Json.object();
                slice.put("addressType", "IPv4");
                ArrayNode eplist = slice.putArray("endpoints");
                list.subList(from, Math.min(list.size(), from + ServiceEndpoints.MAX_PER_SLICE)).forEach(eplist::add);
                slice.set("ports", ports.deepCopy());
                out.add(slice);
            }
        }
        return out;
    }

    private ObjectNode labels(JsonNode eps) {
        ObjectNode labels = Json.object();
        eps.path("metadata").path("labels").fields().forEachRemaining(e -> labels.set(e.getKey(), e.getValue()));
        labels.put("kubernetes.io/service-name", eps.path("metadata").path("name").asText());
        labels.put("endpointslice.kubernetes.io/managed-by", MANAGED_BY);
        return labels;
    }

    private void create(JsonNode eps, ObjectNode content) {
        ObjectNode slice = content.deepCopy();
        slice.put("apiVersion", "discovery.k8s.io/v1");
        slice.put("kind", "EndpointSlice");
        ObjectNode meta = slice.putObject("metadata");
        meta.put("generateName", eps.path("metadata").path("name").asText() + "-");
        meta.set("labels", labels(eps));
        ObjectNode ref = meta.putArray("ownerReferences").addObject();
        ref.put("apiVersion", "v1");
        ref.put("kind", "Endpoints");
        ref.put("name", eps.path("metadata").path("name").asText());
        ref.put("uid", eps.path("metadata").path("uid").asText());
        ref.put("controller", true);
        ref.put("blockOwnerDeletion", true);
        try {
            api.create(slices, eps.path("metadata").path("namespace").asText(), slice, MANAGER);
        } catch (ApiException e) {
            if (e.code() != 404 && e.code() != 403) {
                throw e;
            }
        }
    }

    private void update(JsonNode eps, ObjectNode current, ObjectNode content) {
        ObjectNode labels = labels(eps);
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
