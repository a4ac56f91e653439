package dev.kubetest.core.api;

import dev.kubetest.core.meta.ApiException;
import dev.kubetest.core.meta.ResourceType;
import dev.kubetest.core.meta.WriteOptions;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubetest.core.json.Json;
import java.util.function.UnaryOperator;

/**
 * The {@code kubernetes} Service in {@code default} and the Endpoints and EndpointSlice behind it, as kube-apiserver's
 * own controllers keep them: the Service (10.96.0.1:443, labels component=apiserver and provider=kubernetes) from
 * boot, and the endpoints pointing at the API server once one listens.
 */
public final class ApiServerEndpoints {
    /** The first address of the service range, which upstream reserves for this Service. */
    public static final String CLUSTER_IP = "10.96.0.1";
    private static final String NAME = "kubernetes";
    private static final WriteOptions WRITER = WriteOptions.manager("kube-apiserver");

    private ApiServerEndpoints() {}

    /** Creates the Service at boot; its target port is upstream's default until a server says otherwise. */
    public static void createService(KubeApi api) {
        api.create(services(api), "default", service(6443), WRITER);
    }

    /** Points the Service's target port, Endpoints and EndpointSlice at a server listening on {@code ip:port}. */
    public static void publish(KubeApi api, String ip, int port) {
        upsert(api, services(api), o -> {
            ObjectNode p = (ObjectNode) o.path("spec").path("ports").get(0);
            p.put("targetPort", port);
            return o;
        }, () -> service(port));
        ObjectNode endpoints = Json.object();
        endpoints.put("apiVersion", "v1");
        endpoints.put("kind", "Endpoints");
        metadata(endpoints).putObject("labels").put("endpointslice.kubernetes.io/skip-mirror", "true");
        ObjectNode subset = endpoints.putArray("subsets").addObject();
        subset.putArray("addresses").addObject().put("ip", ip);
        port(subset.putArray("ports").addObject(), port);
        upsert(api, api.registry().find("", "v1", "endpoints").orElseThrow(), o -> replaceBody(o, endpoints), () -> endpoints);
        ObjectNode slice = Json.object();
        slice.put("apiVersion", "discovery.k8s.io/v1");
        slice.put("kind", "EndpointSlice");
        metadata(slice).putObject("labels").put("kubernetes.io/service-name", NAME);
        slice.put("addressType", "IPv4");
        ObjectNode endpoint = slice.putArray("endpoints").addObject();
        endpoint.putArray("addresses").add(ip);
        endpoint.putObject("conditions").put("ready", true);
        port(slice.putArray("ports").addObject(), port);
        upsert(api, api.registry().find("discovery.k8s.io", "v1", "endpointslices").orElseThrow(),
                o -> replaceBody(o, slice), () -> slice);
    }

    private static ResourceType services(KubeApi api) {
        return api.registry().find("", "v1", "services").orElseThrow();
    }

    private static ObjectNode service(int targetPort) {
        ObjectNode svc = Json.object();
        svc.put("apiVersion", "v1");
        svc.put("kind", "Service");
        ObjectNode labels = metadata(svc).putObject("labels");
        labels.put("component", "apiserver");
        labels.put("provider", "kubernetes");
        ObjectNode spec = svc.putObject("spec");
        spec.put("type", "ClusterIP");
        spec.put("clusterIP", CLUSTER_IP);
        spec.put("sessionAffinity", "None");
        ObjectNode p = spec.putArray("ports").addObject();
        p.put("name", "https");
        p.put("port", 443);
        p.put("protocol", "TCP");
        p.put("targetPort", targetPort);
        return svc;
    }

    private static ObjectNode metadata(ObjectNode o) {
        ObjectNode meta = o.putObject("metadata");
        meta.put("name", NAME);
        meta.put("namespace", "default");
        return meta;
    }

    private static void port(ObjectNode p, int port) {
        p.put("name", "https");
        p.put("port", port);
        p.put("protocol", "TCP");
    }

    /** The current object with everything but its metadata taken from {@code desired}, and desired's labels. */
    private static ObjectNode replaceBody(ObjectNode current, ObjectNode desired) {
        ObjectNode out = desired.deepCopy();
        ObjectNode meta = ((ObjectNode) current.get("metadata")).deepCopy();
        meta.set("labels", desired.path("metadata").path("labels").deepCopy());
        out.set("metadata", meta);
        return out;
    }

    private static void upsert(KubeApi api, ResourceType type, UnaryOperator<ObjectNode> change,
                               java.util.function.Supplier<ObjectNode> fresh) {
        try {
            api.mutate(type, "default", NAME, null, WRITER, change, KubeApi.Target.MAIN);
        } catch (ApiException e) {
            if (e.code() != 404) {
                throw e;
            }
            api.create(type, "default", fresh.get(), WRITER);
        }
    }
}
