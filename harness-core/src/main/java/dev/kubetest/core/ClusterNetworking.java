package dev.kubetest.core;

import dev.kubetest.core.api.KubeApi;
import dev.kubetest.core.controller.Controller;
import dev.kubetest.core.controller.ResourceEvents;
import dev.kubetest.core.gateway.GatewayClassController;
import dev.kubetest.core.gateway.GatewayController;
import dev.kubetest.core.gateway.GatewayProxy;
import dev.kubetest.core.gateway.RouteStatusController;
import dev.kubetest.core.ingress.IngressController;
import dev.kubetest.core.ingress.IngressProxy;
import dev.kubetest.core.meta.WriteOptions;
import dev.kubetest.core.service.EndpointSliceController;
import dev.kubetest.core.service.EndpointSliceMirroringController;
import dev.kubetest.core.service.EndpointsController;
import dev.kubetest.core.service.LoadBalancerController;
import dev.kubetest.core.service.ServiceRouter;
import java.util.List;
import java.util.Set;

/**
 * The cluster's network, wired: the router a runtime asks for names and Service routing (with the ingress
 * controller's and the Gateways' proxies unless switched off), the default IngressClass, and the controllers that
 * keep endpoints, load balancers, Ingresses and the Gateway API's status.
 */
final class ClusterNetworking {
    private ClusterNetworking() {}

    /** The router, with the layer-7 proxies not in {@code disabled} ({@code ingress}, {@code gateway}). */
    static ServiceRouter router(KubeApi api, Set<String> disabled) {
        ServiceRouter router = new ServiceRouter(api);
        if (!disabled.contains(IngressController.NAME)) {
            router.addProxy(new IngressProxy(api, router));
        }
        if (!disabled.contains(GatewayController.NAME)) {
            router.addProxy(new GatewayProxy(api, router));
        }
        return router;
    }

    /** The IngressClass {@code kubetest}, the default, unless the ingress controller is switched off. */
    static void createIngressClass(KubeApi api, Set<String> disabled) {
        if (!disabled.contains(IngressController.NAME)) {
            api.create(api.registry().find("networking.k8s.io", "v1", "ingressclasses").orElseThrow(), null,
                    IngressController.ingressClass(), WriteOptions.manager("kubetest"));
        }
    }

    /** The network's controllers, each of which a builder can switch off by name. */
    static List<Controller> controllers(KubeApi api, ResourceEvents events) {
        return List.of(
                new EndpointsController(api, events),
                new EndpointSliceController(api, events),
                new EndpointSliceMirroringController(api, events),
                new LoadBalancerController(api, events),
                new IngressController(api, events),
                new GatewayClassController(api, events),
                new GatewayController(api, events),
                RouteStatusController.httpRoutes(api, events),
                RouteStatusController.grpcRoutes(api, events));
    }
}
