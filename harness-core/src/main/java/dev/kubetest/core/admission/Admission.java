package dev.kubetest.core.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubetest.core.api.ApiException;
import dev.kubetest.core.api.ResourceType;
import dev.kubetest.core.json.Json;
import java.util.List;
import java.util.function.BiPredicate;
import java.util.random.RandomGenerator;

/**
 * The built-in admission chain of the API server: defaulting (including the service account token volume,
 * default tolerations and QoS class of pods), Job selectors, service IP and node port allocation, then
 * validation. One per cluster (it owns the cluster's address ranges).
 */
public final class Admission {
    private final ServiceAddresses addresses = new ServiceAddresses();
    private final BiPredicate<String, String> serviceAccountExists;
    private final RandomGenerator random;
    private final PriorityAdmission.Classes priorityClasses;

    /**
     * {@code serviceAccountExists(namespace, name)} answers the service account admission's lookup,
     * {@code priorityClasses} the priority admission's.
     */
    public Admission(BiPredicate<String, String> serviceAccountExists, PriorityAdmission.Classes priorityClasses,
                     RandomGenerator random) {
        this.serviceAccountExists = serviceAccountExists;
        this.priorityClasses = priorityClasses;
        this.random = random;
    }

    public ServiceAddresses addresses() {
        return addresses;
    }

    /** Mutates and validates an object being created (uid and namespace already set). */
    public void admitCreate(ResourceType type, ObjectNode obj) {
        if (!type.builtIn()) {
            return;
        }
        Defaulting.apply(type, obj);
        String name = obj.path("metadata").path("name").asText();
        switch (type.storageKey()) {
            case "pods" -> {
                pod(obj, name);
                PriorityAdmission.pod(type, obj, name, priorityClasses);
            }
            case "priorityclasses.scheduling.k8s.io" -> PriorityAdmission.priorityClass(type, obj, priorityClasses);
            case "jobs.batch" -> jobSelector(obj);
            default -> { }
        }
        List<ApiException.Cause> causes = Validation.onCreate(type, obj);
        if (!causes.isEmpty()) {
            throw ApiException.invalid(type, name, causes);
        }
        if (type.storageKey().equals("services")) {
            allocate(type, obj, name);
        }
    }

    /** Mutates and validates an update of the main resource. */
    public void admitUpdate(ResourceType type, JsonNode old, ObjectNode obj) {
        if (!type.builtIn()) {
            return;
        }
        Defaulting.apply(type, obj);
        boolean service = type.storageKey().equals("services");
        String oldType = old.path("spec").path("type").asText("ClusterIP");
        String newType = obj.path("spec").path("type").asText("ClusterIP");
        if (service && newType.equals("ExternalName") && !oldType.equals("ExternalName")) {
            ServiceTypeChange.dropClusterFields(old, obj);
        } else if (service && !obj.path("spec").has("clusterIP") && old.path("spec").has("clusterIP")) {
            ObjectNode spec = Json.with(obj, "spec");
            spec.set("clusterIP", old.path("spec").get("clusterIP").deepCopy());
            if (old.path("spec").has("clusterIPs")) {
                spec.set("clusterIPs", old.path("spec").get("clusterIPs").deepCopy());
            }
        }
        if (service && !ServiceTypeChange.needsNodePorts(newType) && ServiceTypeChange.needsNodePorts(oldType)) {
            ServiceTypeChange.dropNodePorts(old, obj);
        }
        List<ApiException.Cause> causes = Validation.onUpdate(type, old, obj);
        if (!causes.isEmpty()) {
            throw ApiException.invalid(type, obj.path("metadata").path("name").asText(), causes);
        }
        if (service) {
            String name = obj.path("metadata").path("name").asText();
            if (oldType.equals("ExternalName") && !newType.equals("ExternalName")) {
                allocate(type, obj, name);
            } else if (!ServiceTypeChange.needsNodePorts(oldType) && ServiceTypeChange.needsNodePorts(newType)) {
                allocateNodePorts(type, Json.with(obj, "spec"), name);
            }
            ServiceTypeChange.released(old, obj).forEach(r -> released(type, r));
        }
    }

    /**
     * {@code pods/ephemeralcontainers}: defaults for the new ephemeral containers, then upstream's rules (only
     * additions; names unique in the pod; no ports, probes, lifecycle, resources or restart policy; a target
     * container that exists).
     */
    public void admitEphemeralContainers(ResourceType type, JsonNode old, ObjectNode obj) {
        for (JsonNode c : obj.path("spec").path("ephemeralContainers")) {
            if (c instanceof ObjectNode container) {
                PodSpecDefaults.container(container);
            }
        }
        List<ApiException.Cause> causes = EphemeralContainers.validate(old, obj);
        if (!causes.isEmpty()) {
            throw ApiException.invalid(type, obj.path("metadata").path("name").asText(), causes);
        }
    }

    /**
     * Updates of {@code status} and {@code approval}: a CertificateSigningRequest's approval conditions change only
     * through {@code approval} (a status update keeps them), and its conditions follow upstream's rules.
     */
    public void admitStatus(ResourceType type, JsonNode old, ObjectNode obj, boolean approval) {
        if (!type.storageKey().equals("certificatesigningrequests.certificates.k8s.io")) {
            return;
        }
        if (!approval) {
            CertificateRequests.keepApproval(old, obj);
        }
        List<ApiException.Cause> causes = CertificateRequests.validateStatus(old, obj);
        if (!causes.isEmpty()) {
            throw ApiException.invalid(type, obj.path("metadata").path("name").asText(), causes);
        }
    }

    /** Releases what a deleted object held (a Service's IP and node ports). */
    public void released(ResourceType type, JsonNode obj) {
        if (type.storageKey().equals("services")) {
            String ip = obj.path("spec").path("clusterIP").asText("");
            if (!ip.isEmpty() && !ip.equals("None")) {
                addresses.releaseIp(ip);
            }
            for (JsonNode p : obj.path("spec").path("ports")) {
                if (p.has("nodePort")) {
                    addresses.releaseNodePort(p.path("nodePort").asInt());
                }
            }
        }
    }

    private void pod(ObjectNode pod, String name) {
        ObjectNode spec = Json.with(pod, "spec");
        String ns = pod.path("metadata").path("namespace").asText();
        String sa = spec.path("serviceAccountName").asText("default");
        if (!sa.equals("default") && !serviceAccountExists.test(ns, sa)) {
            throw new ApiException(403, "Forbidden", "pods \"" + name + "\" is forbidden: error looking up service account "
                    + ns + "/" + sa + ": serviceaccount \"" + sa + "\" not found", name, "", "pods", null);
        }
        if (spec.path("automountServiceAccountToken").asBoolean(true)) {
            tokenVolume(spec);
        }
        Json.with(pod, "status").put("qosClass", PodSpecDefaults.qosClass(spec));
    }

    private static final String TOKEN_PATH = "/var/run/secrets/kubernetes.io/serviceaccount";

    private void tokenVolume(ObjectNode spec) {
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
            volumeName.append(alphabet.charAt(random.nextInt(alphabet.length())));
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

    private static void jobSelector(ObjectNode job) {
        ObjectNode spec = Json.with(job, "spec");
        if (spec.path("manualSelector").asBoolean(false)) {
            return;
        }
        String uid = job.path("metadata").path("uid").asText();
        String name = job.path("metadata").path("name").asText();
        Json.with(Json.with(spec, "selector"), "matchLabels").put("batch.kubernetes.io/controller-uid", uid);
        ObjectNode labels = Json.with(Json.with(Json.with(spec, "template"), "metadata"), "labels");
        labels.put("batch.kubernetes.io/controller-uid", uid);
        labels.put("batch.kubernetes.io/job-name", name);
        labels.put("controller-uid", uid);
        labels.put("job-name", name);
    }

    private void allocate(ResourceType type, ObjectNode svc, String name) {
        ObjectNode spec = Json.with(svc, "spec");
        String svcType = spec.path("type").asText("ClusterIP");
        if (svcType.equals("ExternalName")) {
            return;
        }
        String ip = spec.path("clusterIP").asText("");
        if (ip.isEmpty()) {
            ip = addresses.allocateIp();
        } else if (!ip.equals("None")) {
            try {
                if (!addresses.claimIp(ip)) {
                    throw ApiException.invalid(type, name, List.of(new ApiException.Cause("FieldValueInvalid",
                            "Invalid value: []string{\"" + ip + "\"}: failed to allocate IP " + ip
                                    + ": provided IP is already allocated", "spec.clusterIPs")));
                }
            } catch (IllegalArgumentException e) {
                throw ApiException.invalid(type, name, List.of(new ApiException.Cause("FieldValueInvalid",
                        "Invalid value: []string{\"" + ip + "\"}: failed to allocate IP " + ip + ": " + e.getMessage(),
                        "spec.clusterIPs")));
            }
        }
        spec.put("clusterIP", ip);
        spec.putArray("clusterIPs").add(ip);
        if (!ip.equals("None") || spec.has("selector")) {
            if (!spec.has("ipFamilies")) {
                spec.putArray("ipFamilies").add("IPv4");
            }
            if (!spec.has("ipFamilyPolicy")) {
                spec.put("ipFamilyPolicy", "SingleStack");
            }
        }
        if (svcType.equals("NodePort") || svcType.equals("LoadBalancer")) {
            allocateNodePorts(type, spec, name);
        }
    }

    private void allocateNodePorts(ResourceType type, ObjectNode spec, String name) {
        JsonNode ports = spec.path("ports");
        for (int i = 0; i < ports.size(); i++) {
            ObjectNode p = (ObjectNode) ports.get(i);
            if (p.has("nodePort") && p.get("nodePort").asInt() != 0) {
                int np = p.get("nodePort").asInt();
                try {
                    if (!addresses.claimNodePort(np)) {
                        throw ApiException.invalid(type, name, List.of(new ApiException.Cause("FieldValueInvalid",
                                "Invalid value: " + np + ": provided port is already allocated", "spec.ports[" + i + "].nodePort")));
                    }
                } catch (IllegalArgumentException e) {
                    throw ApiException.invalid(type, name, List.of(new ApiException.Cause("FieldValueInvalid",
                            "Invalid value: " + np + ": " + e.getMessage(), "spec.ports[" + i + "].nodePort")));
                }
            } else {
                p.put("nodePort", addresses.allocateNodePort());
            }
        }
    }
}
