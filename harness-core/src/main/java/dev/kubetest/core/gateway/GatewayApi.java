package dev.kubetest.core.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubetest.core.api.KubeApi;
import dev.kubetest.core.meta.ListOptions;
import dev.kubetest.core.meta.ResourceType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * The Gateway API as the cluster's built-in implementation sees it: the standard-channel CRDs it ships (v1.3.0:
 * GatewayClass, Gateway, HTTPRoute, GRPCRoute, ReferenceGrant), its controller name, and the lookups its
 * controllers share. The kinds exist only once the CRDs are applied, as on a real cluster.
 */
public final class GatewayApi {
    /** The API group. */
    public static final String GROUP = "gateway.networking.k8s.io";
    /** The {@code spec.controllerName} of GatewayClasses this implementation serves. */
    public static final String CONTROLLER = "kubetest.dev/gateway-controller";
    /** Where the CRDs are on the classpath. */
    public static final String STANDARD_INSTALL = "kubetest/gateway-api/v1.3.0/standard-install.yaml";

    private final KubeApi api;

    GatewayApi(KubeApi api) {
        this.api = api;
    }

    /** The standard-channel CRD manifests (for {@code cluster.apply(GatewayApi.standardInstall(), null)}). */
    public static String standardInstall() {
        // Class, not its loader: on the boot class path (the standalone server's archive) the loader is null
        try (InputStream in = GatewayApi.class.getResourceAsStream("/" + STANDARD_INSTALL)) {
            if (in == null) {
                throw new IllegalStateException(STANDARD_INSTALL + " is not on the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Waits (as {@code kubectl wait --for=condition=Established}) until every served version of {@code crds} is served. */
    public static void awaitEstablished(dev.kubetest.core.registry.ResourceRegistry registry, List<? extends JsonNode> crds) {
        for (JsonNode crd : crds) {
            String group = crd.path("spec").path("group").asText();
            String kind = crd.path("spec").path("names").path("kind").asText();
            for (JsonNode v : crd.path("spec").path("versions")) {
                if (v.path("served").asBoolean(false)) {
                    try {
                        registry.awaitKind(group + "/" + v.path("name").asText(), kind, java.time.Duration.ofSeconds(10));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
        }
    }

    Optional<ResourceType> type(String plural) {
        return api.registry().preferred(GROUP, plural);
    }

    List<? extends JsonNode> list(String plural) {
        return type(plural).map(t -> api.lists().list(t, null, ListOptions.all()).items()).orElse(List.of());
    }

    Optional<ObjectNode> find(String plural, String namespace, String name) {
        return type(plural).flatMap(t -> api.find(t, namespace, name));
    }

    /** Whether the GatewayClass {@code name} exists and is served by this implementation. */
    boolean ourClass(String name) {
        return find("gatewayclasses", null, name).map(c -> CONTROLLER.equals(c.path("spec").path("controllerName").asText())).orElse(false);
    }

    /** The Gateways of this implementation's classes. */
    List<JsonNode> ourGateways() {
        return list("gateways").stream().filter(g -> ourClass(g.path("spec").path("gatewayClassName").asText()))
                .map(g -> (JsonNode) g).toList();
    }

    /** The Gateway a route's parent reference names, when it is one of this implementation's. */
    Optional<JsonNode> parentGateway(JsonNode route, JsonNode parentRef) {
        if (!GROUP.equals(parentRef.path("group").asText(GROUP)) || !"Gateway".equals(parentRef.path("kind").asText("Gateway"))) {
            return Optional.empty();
        }
        String ns = parentRef.path("namespace").asText(route.path("metadata").path("namespace").asText());
        return find("gateways", ns, parentRef.path("name").asText()).filter(g -> ourClass(g.path("spec").path("gatewayClassName").asText()))
                .map(g -> (JsonNode) g);
    }

    /**
     * Sets condition {@code type} in {@code conditions} as controllers do: {@code lastTransitionTime} moves only when
     * the status changes; {@code observedGeneration} is the object's generation.
     */
    static void condition(ArrayNode conditions, String type, boolean status, String reason, String message, long generation, String now) {
        ObjectNode c = null;
        for (JsonNode existing : conditions) {
            if (type.equals(existing.path("type").asText())) {
                c = (ObjectNode) existing;
            }
        }
        String value = status ? "True" : "False";
        if (c == null) {
            c = conditions.addObject();
            c.put("type", type);
        }
        if (!value.equals(c.path("status").asText())) {
            c.put("lastTransitionTime", now);
        }
        c.put("status", value);
        c.put("reason", reason);
        c.put("message", message);
        c.put("observedGeneration", generation);
        // the field order of upstream's condition type
        ObjectNode ordered = c.deepCopy();
        c.removeAll();
        for (String f : List.of("lastTransitionTime", "message", "observedGeneration", "reason", "status", "type")) {
            if (ordered.has(f)) {
                c.set(f, ordered.get(f));
            }
        }
    }
}
