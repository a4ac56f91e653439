package dev.kubetest.core.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubetest.core.api.KubeApi;
import dev.kubetest.core.controller.ObjectKeys;
import dev.kubetest.core.controller.QueueController;
import dev.kubetest.core.controller.ResourceEvents;
import dev.kubetest.core.json.Json;
import dev.kubetest.core.meta.ResourceType;
import java.util.ArrayList;
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

    private final KubeApi api;
    private final ResourceEvents events;
    private final ResourceType services;
    private final ResourceType endpoints;
    private final SliceWriter writer;

    public EndpointSliceMirroringController(KubeApi api, ResourceEvents events) {
        super(api.clock());
        this.api = api;
        this.events = events;
        this.services = api.registry().find("", "v1", "services").orElseThrow();
        this.endpoints = api.registry().find("", "v1", "endpoints").orElseThrow();
        this.writer = new SliceWriter(api, MANAGED_BY, "endpointslicemirroring-controller");
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
        boolean mirror = svc != null && eps != null && !ServiceEndpoints.hasSelector(svc)
                && !svc.path("metadata").hasNonNull("deletionTimestamp") && !eps.path("metadata").hasNonNull("deletionTimestamp")
                && !"true".equals(eps.path("metadata").path("labels").path("endpointslice.kubernetes.io/skip-mirror").asText());
        writer.sync(ns, name, mirror ? mirrored(eps) : List.of(), eps, "Endpoints", eps == null ? Json.object() : labels(eps));
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
}
