package dev.kubetest.core.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubetest.core.api.KubeApi;
import dev.kubetest.core.meta.ApiException;
import dev.kubetest.core.meta.DeleteOptions;
import dev.kubetest.core.meta.ListOptions;
import dev.kubetest.core.meta.ResourceType;
import dev.kubetest.core.meta.WriteOptions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * How the EndpointSlice controllers write: a Service's slices of one manager are made to match the desired
 * contents in name order, rewritten in place when their endpoints, ports or labels differ, made when missing
 * ({@code <owner>-<random>}, owned by {@code owner}) and deleted when extra.
 */
final class SliceWriter {
    private final KubeApi api;
    private final ResourceType slices;
    private final String managedBy;
    private final WriteOptions manager;

    SliceWriter(KubeApi api, String managedBy, String fieldManager) {
        this.api = api;
        this.slices = api.registry().find("discovery.k8s.io", "v1", "endpointslices").orElseThrow();
        this.managedBy = managedBy;
        this.manager = WriteOptions.manager(fieldManager);
    }

    /**
     * Makes the slices of Service {@code ns/service} this writer manages hold {@code desired} (each with
     * {@code addressType}, {@code endpoints}, {@code ports}), labelled {@code labels} and owned by {@code owner}
     * (of {@code ownerKind}); none when {@code desired} is empty.
     */
    void sync(String ns, String service, List<ObjectNode> desired, JsonNode owner, String ownerKind, ObjectNode labels) {
        List<ObjectNode> existing = new ArrayList<>(api.lists().list(slices, ns,
                ListOptions.labels("kubernetes.io/service-name=" + service + ",endpointslice.kubernetes.io/managed-by=" + managedBy))
                .items());
        existing.sort(Comparator.comparing(s -> s.path("metadata").path("name").asText()));
        for (int i = 0; i < Math.max(existing.size(), desired.size()); i++) {
            if (i >= desired.size()) {
                delete(existing.get(i));
            } else if (i >= existing.size()) {
                create(ns, owner, ownerKind, labels, desired.get(i));
            } else {
                update(existing.get(i), labels, desired.get(i));
            }
        }
    }

    private void create(String ns, JsonNode owner, String ownerKind, ObjectNode labels, ObjectNode content) {
        ObjectNode slice = content.deepCopy();
        slice.put("apiVersion", "discovery.k8s.io/v1");
        slice.put("kind", "EndpointSlice");
        ObjectNode meta = slice.putObject("metadata");
        meta.put("generateName", owner.path("metadata").path("name").asText() + "-");
        meta.set("labels", labels.deepCopy());
        ObjectNode ref = meta.putArray("ownerReferences").addObject();
        ref.put("apiVersion", "v1");
        ref.put("kind", ownerKind);
        ref.put("name", owner.path("metadata").path("name").asText());
        ref.put("uid", owner.path("metadata").path("uid").asText());
        ref.put("controller", true);
        ref.put("blockOwnerDeletion", true);
        try {
            api.create(slices, ns, slice, manager);
        } catch (ApiException e) {
            if (e.code() != 404 && e.code() != 403) {
                throw e; // a namespace being deleted refuses new objects
            }
        }
    }

    private void update(ObjectNode current, ObjectNode labels, ObjectNode content) {
        if (current.path("endpoints").equals(content.path("endpoints")) && current.path("ports").equals(content.path("ports"))
                && current.path("metadata").path("labels").equals(labels)) {
            return;
        }
        try {
            api.mutate(slices, current.path("metadata").path("namespace").asText(), current.path("metadata").path("name").asText(),
                    null, manager, s -> {
                        s.set("endpoints", content.path("endpoints").deepCopy());
                        s.set("ports", content.path("ports").deepCopy());
                        ((ObjectNode) s.get("metadata")).set("labels", labels.deepCopy());
                        return s;
                    }, KubeApi.Target.MAIN);
        } catch (ApiException e) {
            if (e.code() != 404) {
                throw e;
            }
        }
    }

    private void delete(JsonNode slice) {
        try {
            api.delete(slices, slice.path("metadata").path("namespace").asText(), slice.path("metadata").path("name").asText(),
                    DeleteOptions.ifUid(slice.path("metadata").path("uid").asText()));
        } catch (ApiException e) {
            if (e.code() != 404 && e.code() != 409) {
                throw e;
            }
        }
    }
}
