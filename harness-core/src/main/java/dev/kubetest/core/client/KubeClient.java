package dev.kubetest.core.client;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubetest.core.meta.ApiException;
import dev.kubetest.core.meta.DeleteOptions;
import dev.kubetest.core.api.KubeApi;
import dev.kubetest.core.meta.ListOptions;
import dev.kubetest.core.meta.ResourceType;
import dev.kubetest.core.meta.WriteOptions;
import dev.kubetest.core.json.Json;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * The in-process client every internal component uses: the same API semantics as an HTTP client (conflicts,
 * finalizers, status subresource, 404s), with typed fabric8 model objects or raw JSON trees.
 */
public final class KubeClient {
    private final KubeApi api;
    private final String fieldManager;

    public KubeClient(KubeApi api, String fieldManager) {
        this.api = api;
        this.fieldManager = fieldManager;
    }

    public KubeApi api() {
        return api;
    }

    /** The resource a typed model class stands for. */
    public ResourceType typeOf(Class<? extends HasMetadata> modelClass) {
        String apiVersion = HasMetadata.getApiVersion(modelClass);
        String kind = HasMetadata.getKind(modelClass);
        return type(apiVersion, kind);
    }

    public ResourceType type(String apiVersion, String kind) {
        return api.registry().findByKind(apiVersion, kind).orElseThrow(() -> ApiException.notFound(
                "no matches for kind \"" + kind + "\" in version \"" + apiVersion + "\""));
    }

    private WriteOptions writeOptions() {
        return WriteOptions.manager(fieldManager);
    }

    // ---- typed

    @SuppressWarnings("unchecked")
    public <T extends HasMetadata> T create(T object) {
        ResourceType type = typeOf(object.getClass());
        ObjectNode created = api.create(type, object.getMetadata().getNamespace(), Json.toObject(object), writeOptions());
        return (T) Json.convert(created, object.getClass());
    }

    public <T extends HasMetadata> Optional<T> get(Class<T> modelClass, String namespace, String name) {
        return api.find(typeOf(modelClass), namespace, name).map(o -> Json.convert(o, modelClass));
    }

    public <T extends HasMetadata> List<T> list(Class<T> modelClass, String namespace, ListOptions options) {
        List<T> out = new ArrayList<>();
        for (ObjectNode o : api.lists().list(typeOf(modelClass), namespace, options).items()) {
            out.add(Json.convert(o, modelClass));
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    public <T extends HasMetadata> T update(T object) {
        ResourceType type = typeOf(object.getClass());
        ObjectNode updated = api.update(type, object.getMetadata().getNamespace(), object.getMetadata().getName(),
                Json.toObject(object), KubeApi.Target.MAIN, writeOptions());
        return (T) Json.convert(updated, object.getClass());
    }

    @SuppressWarnings("unchecked")
    public <T extends HasMetadata> T updateStatus(T object) {
        ResourceType type = typeOf(object.getClass());
        ObjectNode updated = api.update(type, object.getMetadata().getNamespace(), object.getMetadata().getName(),
                Json.toObject(object), KubeApi.Target.STATUS, writeOptions());
        return (T) Json.convert(updated, object.getClass());
    }

    /** Deletes; returns false when the object did not exist. */
    public boolean delete(Class<? extends HasMetadata> modelClass, String namespace, String name, DeleteOptions options) {
        try {
            api.delete(typeOf(modelClass), namespace, name, options);
            return true;
        } catch (ApiException e) {
            if (e.code() == 404) {
                return false;
            }
            throw e;
        }
    }

    public <T extends HasMetadata> AutoCloseable watch(Class<T> modelClass, String namespace, ListOptions options,
                                                       BiConsumer<String, T> handler) {
        return api.lists().watch(typeOf(modelClass), namespace, options,
                (type, obj) -> handler.accept(type.name(), Json.convert(obj, modelClass)));
    }

    // ---- untyped

    public ObjectNode create(ResourceType type, String namespace, ObjectNode object) {
        return api.create(type, namespace, object, writeOptions());
    }

    public ObjectNode get(ResourceType type, String namespace, String name) {
        return api.get(type, namespace, name);
    }
}
