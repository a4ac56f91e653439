package dev.kubetest.core.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubetest.core.json.Json;

/**
 * What the API server fills in on create and keeps on update for particular kinds (the strategies of
 * upstream's registry). Admission defaulting of pod and workload specs comes with its own issue.
 */
final class ObjectDefaults {
    static final String NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";

    private ObjectDefaults() {}

    static void prepareForCreate(ResourceType type, ObjectNode obj) {
        if (type.hasStatus() && type.builtIn()) {
            obj.set("status", Json.object());
        } else if (type.hasStatus()) {
            obj.remove("status");
        }
        switch (type.storageKey()) {
            case "namespaces" -> {
                ensureNamespaceLabel(obj);
                ObjectNode spec = Json.with(obj, "spec");
                if (!spec.has("finalizers")) {
                    spec.putArray("finalizers").add("kubernetes");
                }
                Json.with(obj, "status").put("phase", "Active");
            }
            case "pods" -> {
                ObjectNode status = Json.with(obj, "status");
                status.put("phase", "Pending");
            }
            case "services" -> Json.with(Json.with(obj, "status"), "loadBalancer");
            // upstream's defaulting (SetDefaults_PersistentVolume, _PersistentVolumeClaim): a new volume or claim is
            // Pending until the volume controller binds it
            case "persistentvolumes", "persistentvolumeclaims" -> Json.with(obj, "status").put("phase", "Pending");
            case "customresourcedefinitions.apiextensions.k8s.io" -> {
                ObjectNode meta = Json.with(obj, "metadata");
                com.fasterxml.jackson.databind.node.ArrayNode finalizers = meta.path("finalizers").isArray()
                        ? (com.fasterxml.jackson.databind.node.ArrayNode) meta.get("finalizers") : meta.putArray("finalizers");
                boolean present = false;
                for (JsonNode f : finalizers) {
                    present |= f.asText().equals("customresourcecleanup.apiextensions.k8s.io");
                }
                if (!present) {
                    finalizers.add("customresourcecleanup.apiextensions.k8s.io");
                }
            }
            case "certificatesigningrequests.certificates.k8s.io" -> {
                // upstream fills in the requesting user; without authentication every client is the cluster admin
                ObjectNode spec = Json.with(obj, "spec");
                spec.put("username", "kubetest-admin");
                spec.putArray("groups").add("system:masters").add("system:authenticated");
                spec.remove("uid");
                spec.remove("extra");
            }
            case "secrets" -> {
                if (obj.path("type").asText("").isEmpty()) {
                    obj.put("type", "Opaque");
                }
            }
            default -> { }
        }
    }

    /** Applied to every update of the main resource. */
    static void prepareForUpdate(ResourceType type, ObjectNode obj, JsonNode old) {
        if (type.storageKey().equals("certificatesigningrequests.certificates.k8s.io")) {
            // a CertificateSigningRequest's spec never changes; its status changes through status and approval
            if (old.has("spec")) {
                obj.set("spec", old.get("spec").deepCopy());
            }
        }
        if (type.storageKey().equals("namespaces")) {
            ensureNamespaceLabel(obj);
            if (!obj.path("spec").has("finalizers") && old.path("spec").has("finalizers")) {
                Json.with(obj, "spec").set("finalizers", old.path("spec").get("finalizers").deepCopy());
            }
        }
    }

    private static void ensureNamespaceLabel(ObjectNode obj) {
        ObjectNode meta = Json.with(obj, "metadata");
        Json.with(meta, "labels").put(NAMESPACE_NAME_LABEL, meta.path("name").asText());
    }
}
