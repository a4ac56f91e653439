package dev.kubetest.core.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubetest.core.api.KubeApi;
import dev.kubetest.core.controller.ResourceEvents;

/**
 * Accepts the GatewayClasses whose {@code controllerName} is {@link GatewayApi#CONTROLLER}: {@code Accepted} and
 * {@code SupportedVersion} conditions, as conformance expects; classes of other controllers are left alone.
 */
public final class GatewayClassController extends StatusController {
    public static final String NAME = "gatewayclass";

    public GatewayClassController(KubeApi api, ResourceEvents events) {
        super(api, events);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    protected String plural() {
        return "gatewayclasses";
    }

    @Override
    protected ObjectNode desiredStatus(JsonNode obj, ObjectNode status, String now) {
        if (!GatewayApi.CONTROLLER.equals(obj.path("spec").path("controllerName").asText())) {
            return null;
        }
        long generation = obj.path("metadata").path("generation").asLong(1);
        ArrayNode conditions = status.path("conditions").isArray() ? (ArrayNode) status.path("conditions") : status.putArray("conditions");
        GatewayApi.condition(conditions, "Accepted", true, "Accepted", "Handled by the kubetest gateway controller", generation, now);
        GatewayApi.condition(conditions, "SupportedVersion", true, "SupportedVersion", "Gateway API CRD bundle version is supported",
                generation, now);
        return status;
    }
}
