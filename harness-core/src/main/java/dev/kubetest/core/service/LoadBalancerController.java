package dev.kubetest.core.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubetest.core.api.KubeApi;
import dev.kubetest.core.controller.ObjectKeys;
import dev.kubetest.core.controller.QueueController;
import dev.kubetest.core.controller.ResourceEvents;
import dev.kubetest.core.events.EventRecorder;
import dev.kubetest.core.meta.ApiException;
import dev.kubetest.core.meta.ListOptions;
import dev.kubetest.core.meta.ResourceType;
import dev.kubetest.core.meta.WriteOptions;
import java.util.HashSet;
import java.util.Set;

/**
 * The cluster's load balancer, as a cloud's service controller (or kind's cloud-provider-kind) acts: a Service of
 * type LoadBalancer without a {@code loadBalancerClass} gets an address from a simulated pool
 * (172.18.255.200-254, on the nodes' network) in {@code status.loadBalancer.ingress} with
 * EnsuringLoadBalancer/EnsuredLoadBalancer events, and connections to that address reach the Service's ready
 * endpoints; a Service of another class stays pending, as no controller of that class runs here; a Service that
 * stops being a LoadBalancer loses its address. The pool is read from the Services themselves, so nothing is
 * kept in memory.
 */
public final class LoadBalancerController extends QueueController<String> {
    public static final String NAME = "service-lb";
    static final String POOL_PREFIX = "172.18.255.";
    static final int POOL_FIRST = 200;
    static final int POOL_LAST = 254;
    private static final WriteOptions MANAGER = WriteOptions.manager("service-controller");

    private final KubeApi api;
    private final ResourceEvents events;
    private final ResourceType services;
    private final EventRecorder recorder;

    public LoadBalancerController(KubeApi api, ResourceEvents events) {
        super(api.clock());
        this.api = api;
        this.events = events;
        this.services = api.registry().find("", "v1", "services").orElseThrow();
        this.recorder = new EventRecorder(api, "service-controller", null);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    protected void watch() {
        events.addListener(services, (type, eventType, svc) -> queue.add(ObjectKeys.of(svc)));
    }

    static boolean ours(JsonNode svc) {
        return "LoadBalancer".equals(svc.path("spec").path("type").asText())
                && svc.path("spec").path("loadBalancerClass").asText("").isEmpty();
    }

    @Override
    protected Result reconcile(String key) {
        ObjectNode svc = api.find(services, ObjectKeys.namespace(key), ObjectKeys.name(key)).orElse(null);
        if (svc == null) {
            return Result.DONE;
        }
        JsonNode ingress = svc.path("status").path("loadBalancer").path("ingress");
        boolean wanted = ours(svc) && !svc.path("metadata").hasNonNull("deletionTimestamp");
        if (wanted && ingress.isArray() && !ingress.isEmpty()) {
            return Result.DONE;
        }
        if (!wanted && (!ingress.isArray() || ingress.isEmpty())) {
            return Result.DONE;
        }
        String ip = null;
        if (wanted) {
            recorder.record(svc, null, "Normal", "EnsuringLoadBalancer", "Ensuring load balancer");
            ip = freeAddress();
            if (ip == null) {
                recorder.record(svc, null, "Warning", "SyncLoadBalancerFailed",
                        "Error syncing load balancer: failed to ensure load balancer: no addresses left in the pool");
                return Result.DONE;
            }
        }
        String address = ip;
        try {
            api.mutate(services, ObjectKeys.namespace(key), ObjectKeys.name(key), null, MANAGER, s -> {
                ObjectNode lb = dev.kubetest.core.json.Json.with(dev.kubetest.core.json.Json.with(s, "status"), "loadBalancer");
                if (address == null) {
                    lb.remove("ingress");
                } else {
                    ObjectNode entry = lb.putArray("ingress").addObject();
                    entry.put("ip", address);
                    entry.put("ipMode", "VIP");
                }
                return s;
            }, KubeApi.Target.STATUS);
        } catch (ApiException e) {
            if (e.code() == 409) {
                return Result.requeueAfter(java.time.Duration.ZERO);
            }
            if (e.code() != 404) {
                throw e;
            }
            return Result.DONE;
        }
        if (address != null) {
            recorder.record(svc, null, "Normal", "EnsuredLoadBalancer", "Ensured load balancer");
        }
        return Result.DONE;
    }

    /** The lowest pool address no Service holds. */
    private String freeAddress() {
        Set<String> taken = new HashSet<>();
        for (JsonNode s : api.lists().list(services, null, ListOptions.all()).items()) {
            for (JsonNode i : s.path("status").path("loadBalancer").path("ingress")) {
                taken.add(i.path("ip").asText());
            }
        }
        for (int n = POOL_FIRST; n <= POOL_LAST; n++) {
            if (!taken.contains(POOL_PREFIX + n)) {
                return POOL_PREFIX + n;
            }
        }
        return null;
    }
}
