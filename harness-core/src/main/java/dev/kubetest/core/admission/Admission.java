package dev.kubetest.core.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubetest.core.meta.ApiException;
import dev.kubetest.core.meta.ResourceType;
import java.util.List;
import java.util.function.BiPredicate;
import java.util.random.RandomGenerator;

/**
 * The built-in admission chain of the API server, run with each kind's {@link KindStrategy}: defaulting, mutating
 * admission, validation, then what the object takes from the cluster (a Service's addresses). One per cluster (it
 * owns the cluster's address ranges).
 */
public final class Admission {
    private final ServiceAddresses addresses = new ServiceAddresses();
    private final AdmissionContext context;

    /**
     * {@code serviceAccountExists(namespace, name)} answers the service account admission's lookup,
     * {@code priorityClasses} the priority admission's, {@code defaultStorageClass} the DefaultStorageClass plugin's.
     */
    public Admission(BiPredicate<String, String> serviceAccountExists, PriorityAdmission.Classes priorityClasses,
                     java.util.function.Supplier<java.util.Optional<String>> defaultStorageClass,
                     java.util.function.Function<String, java.util.Optional<JsonNode>> storageClass, RandomGenerator random,
                     java.util.function.Supplier<List<String>> defaultIngressClasses) {
        this.context = new AdmissionContext(addresses, serviceAccountExists, priorityClasses, defaultStorageClass,
                storageClass, random, defaultIngressClasses);
    }

    public ServiceAddresses addresses() {
        return addresses;
    }

    /** Mutates and validates an object being created (uid and namespace already set): the kind's strategy's rules. */
    public void admitCreate(ResourceType type, ObjectNode obj) {
        if (!type.builtIn()) {
            return;
        }
        KindStrategy kind = KindStrategies.of(type);
        kind.applyDefaults(obj);
        kind.admitCreate(type, obj, context);
        List<ApiException.Cause> causes = kind.validateCreate(obj);
        if (!causes.isEmpty()) {
            throw ApiException.invalid(type, obj.path("metadata").path("name").asText(), causes);
        }
        kind.allocate(type, obj, context);
    }

    /** Mutates and validates an update of the main resource. */
    public void admitUpdate(ResourceType type, JsonNode old, ObjectNode obj) {
        if (!type.builtIn()) {
            return;
        }
        KindStrategy kind = KindStrategies.of(type);
        kind.applyDefaults(obj);
        kind.admitUpdate(type, old, obj, context);
        List<ApiException.Cause> causes = kind.validateUpdate(old, obj);
        if (!causes.isEmpty()) {
            throw ApiException.invalid(type, obj.path("metadata").path("name").asText(), causes);
        }
        kind.reallocate(type, old, obj, context);
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

    /** Updates of {@code status} and {@code approval}, beyond the generic rules: the kind's strategy decides. */
    public void admitStatus(ResourceType type, JsonNode old, ObjectNode obj, boolean approval) {
        List<ApiException.Cause> causes = KindStrategies.of(type).admitStatus(old, obj, approval);
        if (!causes.isEmpty()) {
            throw ApiException.invalid(type, obj.path("metadata").path("name").asText(), causes);
        }
    }

    /** Gives back what a deleted object (or one whose write failed) held: a Service's IP and node ports. */
    public void released(ResourceType type, JsonNode obj) {
        KindStrategies.of(type).released(obj, context);
    }
}
