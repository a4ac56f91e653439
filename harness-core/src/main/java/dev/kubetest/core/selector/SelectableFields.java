package dev.kubetest.core.selector;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kubetest.core.meta.ResourceType;
import java.util.LinkedHashMap;
import java.util.Map;

/** The fields upstream lets a field selector name, per resource, and how to read each from an object. */
public final class SelectableFields {
    /** A selectable field: where it lives in the object and its value when absent. */
    public record Field(String[] path, String absent) {
        String valueOf(JsonNode object) {
            JsonNode n = object;
            for (String p : path) {
                n = n == null ? null : n.get(p);
            }
            if (n == null || n.isNull()) {
                return absent;
            }
            return n.asText();
        }
    }

    private static final Map<String, Field> COMMON = Map.of(
            "metadata.name", field("metadata.name", ""),
            "metadata.namespace", field("metadata.namespace", ""));

    private static final Map<String, Map<String, Field>> BY_RESOURCE = Map.ofEntries(
            Map.entry("pods", with(
                    "spec.nodeName", "", "spec.restartPolicy", "", "spec.schedulerName", "",
                    "spec.serviceAccountName", "", "spec.hostNetwork", "false", "status.phase", "",
                    "status.podIP", "", "status.nominatedNodeName", "")),
            Map.entry("events", with(
                    "involvedObject.kind", "", "involvedObject.namespace", "", "involvedObject.name", "",
                    "involvedObject.uid", "", "involvedObject.apiVersion", "", "involvedObject.resourceVersion", "",
                    "involvedObject.fieldPath", "", "reason", "", "reportingComponent", "", "type", "",
                    "source", "")),
            Map.entry("events.events.k8s.io", with(
                    "regarding.kind", "", "regarding.namespace", "", "regarding.name", "", "regarding.uid", "",
                    "regarding.apiVersion", "", "regarding.resourceVersion", "", "regarding.fieldPath", "",
                    "reason", "", "reportingController", "", "type", "")),
            Map.entry("secrets", with("type", "")),
            Map.entry("nodes", with("spec.unschedulable", "false")),
            Map.entry("namespaces", with("status.phase", "")),
            Map.entry("replicasets.apps", with("status.replicas", "0")),
            Map.entry("replicationcontrollers", with("status.replicas", "0")),
            Map.entry("jobs.batch", with("status.successful", "0")),
            Map.entry("certificatesigningrequests.certificates.k8s.io", with("spec.signerName", "")));

    private SelectableFields() {}

    public static Map<String, Field> forType(ResourceType type) {
        return BY_RESOURCE.getOrDefault(type.storageKey(), COMMON);
    }

    private static Field field(String dotted, String absent) {
        if (dotted.equals("source")) {
            return new Field(new String[] {"source", "component"}, absent);
        }
        return new Field(dotted.split("\\."), absent);
    }

    private static Map<String, Field> with(String... pairs) {
        Map<String, Field> m = new LinkedHashMap<>(COMMON);
        for (int i = 0; i < pairs.length; i += 2) {
            m.put(pairs[i], field(pairs[i], pairs[i + 1]));
        }
        return Map.copyOf(m);
    }
}
