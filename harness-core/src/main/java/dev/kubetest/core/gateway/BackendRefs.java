package dev.kubetest.core.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kubetest.core.api.KubeApi;

/** Whether a route's backend reference resolves: a Service that exists, in another namespace only with a ReferenceGrant. */
final class BackendRefs {
    private BackendRefs() {}

    /** {@code Reason: message} when {@code ref} does not resolve, else null. */
    static String problem(KubeApi api, GatewayApi gateways, String routeKind, String routeNs, JsonNode ref) {
        String group = ref.path("group").asText("");
        String kind = ref.path("kind").asText("Service");
        if (!group.isEmpty() || !kind.equals("Service")) {
            return "InvalidKind: Unsupported backend kind " + (group.isEmpty() ? "" : group + "/") + kind;
        }
        String ns = ref.path("namespace").asText(routeNs);
        String name = ref.path("name").asText();
        if (!ns.equals(routeNs) && !granted(gateways, routeKind, routeNs, ns, name)) {
            return "RefNotPermitted: Backend ref to Service " + ns + "/" + name + " not permitted by any ReferenceGrant";
        }
        if (api.find(api.registry().find("", "v1", "services").orElseThrow(), ns, name).isEmpty()) {
            return "BackendNotFound: Service \"" + name + "\" not found";
        }
        return null;
    }

    /** Whether a ReferenceGrant in {@code targetNs} lets routes of {@code fromNs} reference Service {@code name}. */
    static boolean granted(GatewayApi gateways, String routeKind, String fromNs, String targetNs, String name) {
        for (JsonNode grant : gateways.list("referencegrants")) {
            if (!targetNs.equals(grant.path("metadata").path("namespace").asText())) {
                continue;
            }
            boolean from = false;
            for (JsonNode f : grant.path("spec").path("from")) {
                from |= GatewayApi.GROUP.equals(f.path("group").asText()) && routeKind.equals(f.path("kind").asText())
                        && fromNs.equals(f.path("namespace").asText());
            }
            boolean to = false;
            for (JsonNode t : grant.path("spec").path("to")) {
                to |= t.path("group").asText("").isEmpty() && "Service".equals(t.path("kind").asText())
                        && (!t.hasNonNull("name") || name.equals(t.path("name").asText()));
            }
            if (from && to) {
                return true;
            }
        }
        return false;
    }
}
