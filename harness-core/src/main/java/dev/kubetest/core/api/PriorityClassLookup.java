package dev.kubetest.core.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kubetest.core.admission.PriorityAdmission;
import dev.kubetest.core.store.ObjectStore;
import java.util.List;
import java.util.Map;

/** The priority admission's view of the stored PriorityClasses. */
final class PriorityClassLookup implements PriorityAdmission.Classes {
    private static final String STORAGE_KEY = "priorityclasses.scheduling.k8s.io";
    private final ObjectStore store;

    PriorityClassLookup(ObjectStore store) {
        this.store = store;
    }

    @Override
    public JsonNode find(String name) {
        return store.get(STORAGE_KEY, ObjectStore.key(null, name));
    }

    @Override
    public List<? extends JsonNode> all() {
        return store.list(STORAGE_KEY, null, null, -1, null).items().stream().map(Map.Entry::getValue).toList();
    }
}
