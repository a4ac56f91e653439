package dev.kubetest.core.subresource;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubetest.core.api.KubeApi;
import dev.kubetest.core.meta.ResourceType;
import dev.kubetest.core.meta.WriteOptions;
import java.util.Optional;

/**
 * The subresources that are actions or views rather than parts of the stored object, as kube-apiserver registers
 * them as storages of their own beside a kind's main storage: pod binding and eviction, service account tokens,
 * and the Scale view. Each works through the {@link KubeApi} it is made with; the API does not know them.
 */
public final class Subresources {
    /** A create on a collection that is answered by an action instead of being stored. */
    @FunctionalInterface
    public interface CollectionCreate {
        ObjectNode create(String namespace, ObjectNode body, WriteOptions options);
    }

    private final KubeApi api;
    private final PodSubresources pods;
    private final ScaleSubresource scale;
    private final TokenRequests tokens;

    public Subresources(KubeApi api) {
        this.api = api;
        this.pods = new PodSubresources(api);
        this.scale = new ScaleSubresource(api);
        this.tokens = new TokenRequests(api);
    }

    /** {@code pods/binding} and {@code pods/eviction}. */
    public PodSubresources pods() {
        return pods;
    }

    /** {@code scale} of the kinds that have it, custom resources included. */
    public ScaleSubresource scale() {
        return scale;
    }

    /** {@code serviceaccounts/token}. */
    public TokenRequests tokens() {
        return tokens;
    }

    /**
     * The action a create on this collection stands for, if it is one: the legacy {@code bindings} resource binds
     * the pod its Binding names.
     */
    public Optional<CollectionCreate> collectionCreate(ResourceType type) {
        boolean bindings = api.registry().find("", "v1", "bindings").filter(type::equals).isPresent();
        return bindings ? Optional.of((ns, body, options) -> pods.bind(ns, null, body, options)) : Optional.empty();
    }
}
