package dev.kubetest.core.kubelet;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kubetest.core.meta.ApiException;
import dev.kubetest.core.api.KubeApi;
import dev.kubetest.core.meta.ResourceType;
import dev.kubetest.core.runtime.ContainerRuntime;
import dev.kubetest.core.runtime.ContainerSpec;
import dev.kubetest.core.runtime.VolumeDir;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Fills a pod's volumes as the kubelet's volume plugins do: emptyDir (empty, shared by the pod's containers),
 * configMap and secret (one file per key, or per item), downwardAPI, projected volumes combining them with a
 * service account token, and hostPath and persistentVolumeClaim volumes backed by storage that outlives the pod. Run before the containers start and again when a source changes.
 */
final class VolumeSetup {
    private VolumeSetup() {}

    /** A volume that cannot be set up yet (its source is missing): the FailedMount message. */
    static final class MountError extends Exception {
        MountError(String message) {
            super(message);
        }
    }

    static void prepare(KubeApi api, ContainerRuntime runtime, JsonNode pod) throws MountError {
        String uid = pod.path("metadata").path("uid").asText();
        for (JsonNode v : pod.path("spec").path("volumes")) {
            String name = v.path("name").asText();
            if ("Memory".equals(v.path("emptyDir").path("medium").asText())) {
                runtime.tmpfs(uid, name, tmpfsSize(pod, v.get("emptyDir")));
            }
            VolumeDir dir = runtime.volume(uid, name);
            int defaultMode = 420;
            if (v.has("hostPath") || v.has("persistentVolumeClaim")) {
                attach(api, runtime, pod, v);
            } else if (v.has("configMap")) {
                JsonNode src = v.get("configMap");
                Map<String, byte[]> files = source(api, pod, true, src.path("name").asText(), src.path("items"),
                        src.path("optional").asBoolean(false), name);
                replace(dir, files, src.path("defaultMode").asInt(defaultMode));
            } else if (v.has("secret")) {
                JsonNode src = v.get("secret");
                Map<String, byte[]> files = source(api, pod, false, src.path("secretName").asText(), src.path("items"),
                        src.path("optional").asBoolean(false), name);
                replace(dir, files, src.path("defaultMode").asInt(defaultMode));
            } else if (v.has("downwardAPI")) {
                replace(dir, downward(pod, v.get("downwardAPI").path("items")), v.get("downwardAPI").path("defaultMode").asInt(defaultMode));
            } else if (v.has("projected")) {
                Map<String, byte[]> files = new TreeMap<>();
                for (JsonNode s : v.get("projected").path("sources")) {
                    if (s.has("configMap")) {
                        files.putAll(source(api, pod, true, s.get("configMap").path("name").asText(), s.get("configMap").path("items"),
                                s.get("configMap").path("optional").asBoolean(false), name));
                    } else if (s.has("secret")) {
                        files.putAll(source(api, pod, false, s.get("secret").path("name").asText(), s.get("secret").path("items"),
                                s.get("secret").path("optional").asBoolean(false), name));
                    } else if (s.has("downwardAPI")) {
                        files.putAll(downward(pod, s.get("downwardAPI").path("items")));
                    } else if (s.has("serviceAccountToken")) {
                        files.put(s.get("serviceAccountToken").path("path").asText("token"), token(api, pod, s.get("serviceAccountToken")));
                    }
                }
                replace(dir, files, v.get("projected").path("defaultMode").asInt(defaultMode));
            }
        }
    }

    /**
     * The size of a memory-backed emptyDir, as upstream sizes its tmpfs: the {@code sizeLimit}, else the pod's
     * memory limit (the sum of its containers' limits, when every container has one), else unbounded (0).
     */
    static long tmpfsSize(JsonNode pod, JsonNode emptyDir) {
        if (emptyDir.hasNonNull("sizeLimit")) {
            return dev.kubetest.core.meta.Quantities.amount(emptyDir.get("sizeLimit").asText()).longValue();
        }
        java.math.BigDecimal sum = java.math.BigDecimal.ZERO;
        for (JsonNode c : pod.path("spec").path("containers")) {
            JsonNode limit = c.path("resources").path("limits").get("memory");
            if (limit == null || limit.isNull()) {
                return 0;
            }
            sum = sum.add(dev.kubetest.core.meta.Quantities.amount(limit.asText()));
        }
        return sum.longValue();
    }

    /** Backs a hostPath (per node) or persistentVolumeClaim (per claim) volume with storage that outlives the pod. */
    private static void attach(KubeApi api, ContainerRuntime runtime, JsonNode pod, JsonNode v) throws MountError {
        String name = v.path("name").asText();
        String uid = pod.path("metadata").path("uid").asText();
        ContainerRuntime.PersistentStorage storage;
        if (v.has("hostPath")) {
            String path = v.get("hostPath").path("path").asText();
            String type = v.get("hostPath").path("type").asText("");
            boolean file = type.equals("File") || type.equals("FileOrCreate");
            boolean create = type.isEmpty() || type.endsWith("OrCreate");
            storage = new ContainerRuntime.PersistentStorage("node/" + pod.path("spec").path("nodeName").asText()
                    + (path.startsWith("/") ? path : "/" + path), path, file, create);
        } else {
            String claim = v.get("persistentVolumeClaim").path("claimName").asText();
            String ns = pod.path("metadata").path("namespace").asText();
            ResourceType claims = api.registry().find("", "v1", "persistentvolumeclaims").orElseThrow();
            ResourceType volumes = api.registry().find("", "v1", "persistentvolumes").orElseThrow();
            JsonNode pvc = api.find(claims, ns, claim).orElseThrow(() -> new MountError("Unable to attach or mount volumes: "
                    + "unmounted volumes=[" + name + "], unattached volumes=[], failed to process volumes=[]: "
                    + "persistentvolumeclaim \"" + claim + "\" not found"));
            String volumeName = pvc.path("spec").path("volumeName").asText("");
            JsonNode pv = volumeName.isEmpty() || !"Bound".equals(pvc.path("status").path("phase").asText()) ? null
                    : api.find(volumes, null, volumeName).orElse(null);
            if (pv == null) {
                throw new MountError("Unable to attach or mount volumes: unmounted volumes=[" + name + "], unattached "
                        + "volumes=[], failed to process volumes=[" + name + "]: error processing PVC " + ns + "/" + claim
                        + ": PVC is not bound");
            }
            storage = new ContainerRuntime.PersistentStorage(
                    dev.kubetest.core.storage.SimulatedVolumes.storageKey(pv, pod.path("spec").path("nodeName").asText()),
                    claim, false, true);
        }
        String failure = runtime.attach(uid, name, storage);
        if (failure != null) {
            throw new MountError("MountVolume.SetUp failed for volume \"" + name + "\" : hostPath type check failed: " + failure);
        }
    }

    private static void replace(VolumeDir dir, Map<String, byte[]> files, int mode) {
        Map<String, byte[]> current = new TreeMap<>();
        for (String f : dir.files()) {
            dir.read(f).ifPresent(b -> current.put(f, b));
        }
        boolean same = current.keySet().equals(files.keySet());
        for (Map.Entry<String, byte[]> e : files.entrySet()) {
            same &= java.util.Arrays.equals(current.get(e.getKey()), e.getValue());
        }
        if (same) {
            return;
        }
        dir.clear();
        files.forEach((path, data) -> dir.write(path, data, mode));
    }

    private static Map<String, byte[]> source(KubeApi api, JsonNode pod, boolean configMap, String objectName, JsonNode items,
                                              boolean optional, String volume) throws MountError {
        ResourceType type = api.registry().find("", "v1", configMap ? "configmaps" : "secrets").orElseThrow();
        JsonNode obj;
        try {
            obj = api.get(type, pod.path("metadata").path("namespace").asText(), objectName);
        } catch (ApiException e) {
            if (optional) {
                return Map.of();
            }
            throw new MountError("MountVolume.SetUp failed for volume \"" + volume + "\" : " + (configMap ? "configmap" : "secret")
                    + " \"" + objectName + "\" not found");
        }
        Map<String, byte[]> all = new TreeMap<>();
        obj.path("data").fields().forEachRemaining(e -> all.put(e.getKey(), configMap
                ? e.getValue().asText().getBytes(StandardCharsets.UTF_8) : Base64.getDecoder().decode(e.getValue().asText())));
        if (configMap) {
            obj.path("binaryData").fields().forEachRemaining(e -> all.put(e.getKey(), Base64.getDecoder().decode(e.getValue().asText())));
        }
        if (!items.isArray() || items.isEmpty()) {
            return all;
        }
        Map<String, byte[]> out = new TreeMap<>();
        for (JsonNode item : items) {
            byte[] data = all.get(item.path("key").asText());
            if (data == null) {
                if (!optional) {
                    throw new MountError("MountVolume.SetUp failed for volume \"" + volume + "\" : configmap references non-existent config key: "
                            + item.path("key").asText());
                }
                continue;
            }
            out.put(item.path("path").asText(item.path("key").asText()), data);
        }
        return out;
    }

    private static Map<String, byte[]> downward(JsonNode pod, JsonNode items) {
        Map<String, byte[]> out = new TreeMap<>();
        for (JsonNode item : items) {
            String value;
            String fieldPath = item.path("fieldRef").path("fieldPath").asText("");
            if (fieldPath.equals("metadata.labels") || fieldPath.equals("metadata.annotations")) {
                List<String> lines = new ArrayList<>();
                new TreeMap<String, String>(toMap(pod.path("metadata").path(fieldPath.substring(9))))
                        .forEach((k, v) -> lines.add(k + "=\"" + v + "\""));
                value = String.join("\n", lines);
            } else if (!fieldPath.isEmpty()) {
                value = EnvResolver.field(pod, fieldPath);
            } else {
                value = "0";
            }
            out.put(item.path("path").asText(), value.getBytes(StandardCharsets.UTF_8));
        }
        return out;
    }

    private static Map<String, String> toMap(JsonNode n) {
        Map<String, String> m = new TreeMap<>();
        n.fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue().asText()));
        return m;
    }

    private static byte[] token(KubeApi api, JsonNode pod, JsonNode spec) {
        String ns = pod.path("metadata").path("namespace").asText();
        String sa = pod.path("spec").path("serviceAccountName").asText("default");
        List<String> audiences = new ArrayList<>();
        if (spec.has("audience")) {
            audiences.add(spec.path("audience").asText());
        }
        String uid = "";
        try {
            uid = api.get(api.registry().find("", "v1", "serviceaccounts").orElseThrow(), ns, sa).path("metadata").path("uid").asText();
        } catch (ApiException ignored) {
            // the token still names the account
        }
        return api.tokenIssuer().issue(ns, sa, uid, audiences, api.clock().now(), spec.path("expirationSeconds").asLong(3607))
                .getBytes(StandardCharsets.UTF_8);
    }

    static List<ContainerSpec.Mount> mounts(JsonNode container) {
        List<ContainerSpec.Mount> out = new ArrayList<>();
        for (JsonNode m : container.path("volumeMounts")) {
            out.add(new ContainerSpec.Mount(m.path("name").asText(), m.path("mountPath").asText(), m.path("subPath").asText(""),
                    m.path("readOnly").asBoolean(false)));
        }
        return out;
    }
}
