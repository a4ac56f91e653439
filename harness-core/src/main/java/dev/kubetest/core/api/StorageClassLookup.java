package dev.kubetest.core.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kubetest.core.store.ObjectStore;
import java.util.Map;
import java.util.Optional;

/**
 * The DefaultStorageClass admission's view of the stored StorageClasses (the default one, newest first) and the
 * DefaultIngressClass admission's of the IngressClasses.
 */
final class StorageClassLookup {
    static final String DEFAULT_ANNOTATION = "storageclass.kubernetes.io/is-default-class";
    private static final String STORAGE_KEY = "storageclasses.storage.k8s.io";

    private StorageClassLookup() {}

    static Optional<String> defaultClass(ObjectStore store) {
        return store.list(STORAGE_KEY, null, null, -1, null).items().stream().map(Map.Entry::getValue)
                .filter(sc -> "true".equals(sc.path("metadata").path("annotations").path(DEFAULT_ANNOTATION).asText())
                        || "true".equals(sc.path("metadata").path("annotations")
                        .path("storageclass.beta.kubernetes.io/is-default-class").asText()))
                .max(java.util.Comparator.comparing((JsonNode sc) -> sc.path("metadata").path("creationTimestamp").asText())
                        .thenComparing(sc -> sc.path("metadata").path("name").asText()))
                .map(sc -> sc.path("metadata").path("name").asText());
    }

    /** The IngressClasses marked {@code ingressclass.kubernetes.io/is-default-class: "true"}, by name. */
    static java.util.List<String> defaultIngressClasses(ObjectStore store) {
        return store.list("ingressclasses.networking.k8s.io", null, null, -1, null).items().stream().map(Map.Entry::getValue)
                .filter(c -> "true".equals(c.path("metadata").path("annotations").path("ingressclass.kubernetes.io/is-default-class").asText()))
                .map(c -> c.path("metadata").path("name").asText()).sorted().toList();
    }
}
