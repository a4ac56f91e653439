package dev.kubetest.core.controller;

import com.fasterxml.jackson.databind.JsonNode;

/** The {@code namespace/name} keys namespaced controllers queue, as client-go's {@code MetaNamespaceKeyFunc}. */
public final class ObjectKeys {
    private ObjectKeys() {}

    public static String of(JsonNode obj) {
        return of(obj.path("metadata").path("namespace").asText(), obj.path("metadata").path("name").asText());
    }

    public static String of(String namespace, String name) {
        return namespace + "/" + name;
    }

    public static String namespace(String key) {
        return key.substring(0, key.indexOf('/'));
    }

    public static String name(String key) {
        return key.substring(key.indexOf('/') + 1);
    }
}
