package dev.kubetest.core.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubetest.core.meta.ApiException;
import dev.kubetest.core.meta.ApiException.Cause;
import dev.kubetest.core.meta.ResourceType;
import dev.kubetest.core.json.Json;
import java.util.ArrayList;
import java.util.List;

/**
 * Pods: Pending at create; defaults for the pod spec; the service account admission (the account must exist, the
 * token volume is mounted) and the QoS class; priority admission; validation of containers and of what an update
 * may change; ephemeral containers kept by updates of the pod itself; graceful deletion.
 */
final class PodStrategy implements KindStrategy {
    private static final String TOKEN_PATH = "/var/run/secrets/kubernetes.io/serviceaccount";

    @Override
    public void prepareForCreate(ObjectNode obj) {
        Json.with(obj, "status").put("phase", "Pending");
    }

    @Override
    public void prepareForUpdate(ObjectNode obj, JsonNode old) {
        // as upstream's pod strategy: an update of the pod keeps its ephemeral containers as they are
        JsonNode ephemeral = old.path("spec").get("ephemeralContainers");
        if (ephemeral == null) {
            Json.with(obj, "spec").remove("ephemeralContainers");
        } else {
            Json.with(obj, "spec").set("ephemeralContainers", ephemeral.deepCopy());
        }
    }

    @Override
    public void applyDefaults(ObjectNode obj) {
        if (obj.get("spec") instanceof ObjectNode spec) {
            PodSpecDefaults.apply(spec);
            PodSpecDefaults.podOnly(spec);
        }
    }

    @Override
    public void admitCreate(ResourceType type, ObjectNode obj, AdmissionContext ctx) {
        String name = obj.path("metadata").path("name").asText();
        serviceAccount(obj, name, ctx);
        PriorityAdmission.pod(type, obj, name, ctx.priorityClasses());
    }

    @Override
    public List<Cause> validateCreate(JsonNode obj) {
        List<Cause> out = new ArrayList<>();
        Validation.podSpec(obj.path("spec"), "spec", List.of("Always", "OnFailure", "Never"), out);
        return out;
    }

    @Override
    public List<Cause> validateUpdate(JsonNode old, JsonNode obj) {
        List<Cause> out = new ArrayList<>(validateCreate(obj));
        Validation.podUpdate(old.path("spec"), obj.path("spec"), out);
        return out;
    }

    /**
     * Upstream's graceful deletion of pods: a pod bound to a node and not finished is deleted over the requested
     * grace period or its {@code terminationGracePeriodSeconds} (the kubelet stops its containers, then removes it);
     * an unbound or finished pod, or a grace of 0, goes at once.
     */
    @Override
    public long gracePeriod(JsonNode obj, Long requested) {
        if (obj.path("spec").path("nodeName").asText("").isEmpty()) {
            return 0;
        }
        String phase = obj.path("status").path("phase").asText("");
        if (phase.equals("Succeeded") || phase.equals("Failed")) {
            return 0;
        }
        long grace = requested != null ? requested : obj.path("spec").path("terminationGracePeriodSeconds").asLong(30);
        if (grace < 0) {
            grace = 1;
        }
        if (obj.path("metadata").hasNonNull("deletionTimestamp")) {
            long current = obj.path("metadata").path("deletionGracePeriodSeconds").asLong(0);
            return requested != null && requested < current ? Math.max(requested, 0) : current;
        }
        return grace;
    }

    private static void serviceAccount(ObjectNode pod, String name, AdmissionContext ctx) {
        ObjectNode spec = Json.with(pod, "spec");
        String ns = pod.path("metadata").path("namespace").asText();
        String sa = spec.path("serviceAccountName").asText("default");
        if (!sa.equals("default") && !ctx.serviceAccountExists().test(ns, sa)) {
            throw new ApiException(403, "Forbidden", "pods \"" + name + "\" is forbidden: error looking up service account "
                    + ns + "/" + sa + ": serviceaccount \"" + sa + "\" not found", name, "", "pods", null);
        }
        if (spec.path("automountServiceAccountToken").asBoolean(true)) {
            tokenVolume(spec, ctx);
        }
        Json.with(pod, "status").put("qosClass", PodSpecDefaults.qosClass(spec));
    }

    private static void tokenVolume(ObjectNode spec, AdmissionContext ctx) {
        for (String list : List.of("initContainers", "containers")) {
            for (JsonNode c : spec.path(list)) {
                for (JsonNode m : c.path("volumeMounts")) {
                    if (TOKEN_PATH.equals(m.path("mountPath").asText())) {
                        return;
                    }
                }
            }
        }
        String alphabet = "bcdfghjklmnpqrstvwxz2456789";
        StringBuilder volumeName = new StringBuilder("kube-api-access-");
        for (int i = 0; i < 5; i++) {
            volumeName.append(alphabet.charAt(ctx.random().nextInt(alphabet.length())));
        }
        ArrayNode volumes = spec.path("volumes").isArray() ? (ArrayNode) spec.get("volumes") : spec.putArray("volumes");
        ObjectNode v = volumes.addObject();
        v.put("name", volumeName.toString());
        ObjectNode projected = v.putObject("projected");
        ArrayNode sources = projected.putArray("sources");
        ObjectNode token = sources.addObject().putObject("serviceAccountToken");
        token.put("expirationSeconds", 3607);
        token.put("path", "token");
        ObjectNode cm = sources.addObject().putObject("configMap");
        cm.put("name", "kube-root-ca.crt");
        ObjectNode item = cm.putArray("items").addObject();
        item.put("key", "ca.crt");
        item.put("path", "ca.crt");
        ObjectNode downward = sources.addObject().putObject("downwardAPI");
        ObjectNode nsItem = downward.putArray("items").addObject();
        ObjectNode fieldRef = nsItem.putObject("fieldRef");
        fieldRef.put("apiVersion", "v1");
        fieldRef.put("fieldPath", "metadata.namespace");
        nsItem.put("path", "namespace");
        projected.put("defaultMode", 420);
        for (String list : List.of("initContainers", "containers")) {
            for (JsonNode c : spec.path(list)) {
                ObjectNode container = (ObjectNode) c;
                ArrayNode mounts = container.path("volumeMounts").isArray()
                        ? (ArrayNode) container.get("volumeMounts") : container.putArray("volumeMounts");
                ObjectNode m = mounts.addObject();
                m.put("name", volumeName.toString());
                m.put("readOnly", true);
                m.put("mountPath", TOKEN_PATH);
            }
        }
    }
}
