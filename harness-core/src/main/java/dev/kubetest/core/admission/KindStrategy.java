package dev.kubetest.core.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubetest.core.meta.ApiException.Cause;
import dev.kubetest.core.meta.ObjectNames;
import dev.kubetest.core.meta.ResourceType;
import java.util.List;
import java.util.Optional;

/**
 * The rules of one built-in kind, as kube-apiserver's registry keeps a strategy per kind: what the server fills in
 * on create and update, defaulting, mutating admission, validation, what a deleted object releases, and how
 * deletion goes. Every method has the behaviour of a kind without rules; a kind's class overrides what it needs.
 * Found by {@link KindStrategies#of}; adding a kind with rules is adding one such class. Implementations hold no
 * state: what a cluster owns comes in the {@link AdmissionContext}.
 */
public interface KindStrategy {
    /** How the kind's names are checked. */
    default ObjectNames.Rule nameRule() {
        return ObjectNames.Rule.SUBDOMAIN;
    }

    /** What the server sets on create, after the status of a kind with one has been reset (PrepareForCreate). */
    default void prepareForCreate(ObjectNode obj) {
    }

    /** What the server keeps or sets on every update of the main resource (PrepareForUpdate). */
    default void prepareForUpdate(ObjectNode obj, JsonNode old) {
    }

    /** Upstream's defaulting, on create and on every update of the main resource. */
    default void applyDefaults(ObjectNode obj) {
    }

    /** Mutating admission on create, after defaulting and before validation. */
    default void admitCreate(ResourceType type, ObjectNode obj, AdmissionContext ctx) {
    }

    /** Mutating admission on an update of the main resource, after defaulting and before validation. */
    default void admitUpdate(ResourceType type, JsonNode old, ObjectNode obj, AdmissionContext ctx) {
    }

    /** Validation of a new object, as field errors with upstream's messages. */
    default List<Cause> validateCreate(JsonNode obj) {
        return List.of();
    }

    /** Validation of an update of the main resource (the new object's own rules, then what may not change). */
    default List<Cause> validateUpdate(JsonNode old, JsonNode obj) {
        return validateCreate(obj);
    }

    /** After validation of a create: what the object takes from the cluster (a Service's IP and node ports). */
    default void allocate(ResourceType type, ObjectNode obj, AdmissionContext ctx) {
    }

    /** After validation of an update: what the object now takes from the cluster, and what it gave back. */
    default void reallocate(ResourceType type, JsonNode old, ObjectNode obj, AdmissionContext ctx) {
    }

    /** What a deleted object (or one whose write failed) gives back to the cluster. */
    default void released(JsonNode obj, AdmissionContext ctx) {
    }

    /** Admission of a status (or approval) update, beyond the generic rules. */
    default List<Cause> admitStatus(JsonNode old, ObjectNode obj, boolean approval) {
        return List.of();
    }

    /** A map field whose values are base64 ({@code []byte} in Go), checked as the decoder does; null for none. */
    default String bytesField() {
        return null;
    }

    /** Why this object may not be deleted at all, if it may not. */
    default Optional<String> refuseDeletion(String name) {
        return Optional.empty();
    }

    /** Seconds a deletion waits for (0: the object goes at once), given the grace period asked for. */
    default long gracePeriod(JsonNode obj, Long requested) {
        return 0;
    }

    /** What the object shows once its deletion has begun (a namespace's Terminating phase). */
    default void beginDeletion(ObjectNode obj) {
    }

    /** Whether the object, its finalizers gone, must still stay (a namespace's spec.finalizers). */
    default boolean holdsDeletion(JsonNode obj) {
        return false;
    }

    /**
     * The answer to a create of a kind that is never stored (the access, token and self-subject reviews), or empty
     * for a kind whose creates are stored.
     */
    default Optional<ObjectNode> answerWithoutStoring(ResourceType type, ObjectNode request) {
        return Optional.empty();
    }

    /** Whether {@code spec.selector} is a plain label map (a ReplicationController's) rather than a LabelSelector. */
    default boolean selectorIsLabelMap() {
        return false;
    }
}
