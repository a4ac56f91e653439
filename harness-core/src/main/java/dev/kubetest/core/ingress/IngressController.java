package dev.kubetest.core.ingress;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubetest.core.api.KubeApi;
import dev.kubetest.core.controller.ObjectKeys;
import dev.kubetest.core.controller.QueueController;
import dev.kubetest.core.controller.ResourceEvents;
import dev.kubetest.core.events.EventRecorder;
import dev.kubetest.core.json.Json;
import dev.kubetest.core.meta.ApiException;
import dev.kubetest.core.meta.ListOptions;
import dev.kubetest.core.meta.ResourceType;
import dev.kubetest.core.meta.WriteOptions;

/**
 * The control side of the {@code kubetest} ingress controller (IngressClass {@code kubetest}, the cluster's default
 * at boot): an Ingress of its class gets the controller's address in {@code status.loadBalancer.ingress} and a
 * {@code Sync} event each time it changes, as ingress-nginx gives them; a resource backend gets a warning, as this
 * controller serves only Services; an Ingress moved to another class loses the address. {@link IngressProxy} is
 * the data side.
 */
public final class IngressController extends QueueController<String> {
    public static final String NAME = "ingress";
    /** The IngressClass this controller serves, created at boot and marked as the default. */
    public static final String CLASS = "kubetest";
    /** Its {@code spec.controller}. */
    public static final String CONTROLLER = "kubetest.dev/ingress-controller";
    /** The address it listens on (ports 80 and 443), outside the load balancer pool. */
    public static final String ADDRESS = "172.18.255.100";
    private static final WriteOptions MANAGER = WriteOptions.manager("kubetest-ingress-controller");

    private final KubeApi api;
    private final ResourceEvents events;
    private final ResourceType ingresses;
    private final EventRecorder recorder;

    public IngressController(KubeApi api, ResourceEvents events) {
        super(api.clock());
        this.api = api;
        this.events = events;
        this.ingresses = api.registry().find("networking.k8s.io", "v1", "ingresses").orElseThrow();
        this.recorder = new EventRecorder(api, "kubetest-ingress-controller", null);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    protected void watch() {
        events.addListener(ingresses, (type, eventType, ing) -> {
            if (!"DELETED".equals(eventType)) {
                queue.add(ObjectKeys.of(ing));
            }
        });
    }

    /** Whether the Ingress is of this controller's class (by name, or by the legacy annotation). */
    static boolean ours(JsonNode ing) {
        String name = ing.path("spec").path("ingressClassName").asText("");
        if (name.isEmpty()) {
            name = ing.path("metadata").path("annotations").path("kubernetes.io/ingress.class").asText("");
        }
        return CLASS.equals(name);
    }

    /** The IngressClass object created at boot. */
    public static ObjectNode ingressClass() {
        ObjectNode c = Json.object();
        c.put("apiVersion", "networking.k8s.io/v1");
        c.put("kind", "IngressClass");
        ObjectNode meta = c.putObject("metadata");
        meta.put("name", CLASS);
        meta.putObject("annotations").put("ingressclass.kubernetes.io/is-default-class", "true");
        c.putObject("spec").put("controller", CONTROLLER);
        return c;
    }

    @Override
    protected Result reconcile(String key) {
        ObjectNode ing = api.find(ingresses, ObjectKeys.namespace(key), ObjectKeys.name(key)).orElse(null);
        if (ing == null) {
            return Result.DONE;
        }
        boolean wanted = ours(ing) && !ing.path("metadata").hasNonNull("deletionTimestamp");
        JsonNode current = ing.path("status").path("loadBalancer").path("ingress");
        boolean has = current.isArray() && !current.isEmpty();
        long generation = ing.path("metadata").path("generation").asLong();
        String synced = ing.path("metadata").path("uid").asText() + "/" + generation;
        if (wanted && !synced.equals(lastSynced.put(key, synced))) {
            recorder.record(ing, null, "Normal", "Sync", "Scheduled for sync");
            warnAboutResourceBackends(ing);
        }
        if (wanted == has) {
            return Result.DONE;
        }
        try {
            api.mutate(ingresses, ObjectKeys.namespace(key), ObjectKeys.name(key), null, MANAGER, o -> {
                ObjectNode lb = Json.with(Json.with(o, "status"), "loadBalancer");
                if (wanted) {
                    lb.putArray("ingress").addObject().put("ip", ADDRESS);
                } else {
                    lb.remove("ingress");
                }
                return o;
            }, KubeApi.Target.STATUS);
        } catch (ApiException e) {
            if (e.code() == 409) {
                return Result.requeueAfter(java.time.Duration.ZERO);
            }
            if (e.code() != 404) {
                throw e;
            }
        }
        return Result.DONE;
    }

    private final java.util.Map<String, String> lastSynced = new java.util.concurrent.ConcurrentHashMap<>();

    private void warnAboutResourceBackends(JsonNode ing) {
        java.util.List<JsonNode> backends = new java.util.ArrayList<>();
        if (ing.path("spec").hasNonNull("defaultBackend")) {
            backends.add(ing.path("spec").path("defaultBackend"));
        }
        for (JsonNode rule : ing.path("spec").path("rules")) {
            rule.path("http").path("paths").forEach(p -> backends.add(p.path("backend")));
        }
        for (JsonNode b : backends) {
            if (b.hasNonNull("resource")) {
                JsonNode r = b.path("resource");
                recorder.record(ing, null, "Warning", "UnsupportedBackend", "resource backend "
                        + r.path("kind").asText() + "/" + r.path("name").asText()
                        + " is not served: the kubetest ingress controller serves Service backends only");
            }
        }
    }

    /** Whether any stored Ingress is this controller's (for tests of the boot state). */
    boolean any() {
        return api.lists().list(ingresses, null, ListOptions.all()).items().stream().anyMatch(IngressController::ours);
    }
}
