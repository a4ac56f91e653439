package dev.kubetest.core.api;

import dev.kubetest.core.meta.MetadataRules;
import dev.kubetest.core.meta.ObjectNames;
import dev.kubetest.core.registry.ResourceRegistry;
import dev.kubetest.core.patch.StrategicMergePatch;
import dev.kubetest.core.patch.Patches;
import dev.kubetest.core.meta.ApiException;
import dev.kubetest.core.meta.ResourceType;
import dev.kubetest.core.meta.ListOptions;
import dev.kubetest.core.meta.WriteOptions;
import dev.kubetest.core.meta.DeleteOptions;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubetest.core.clock.Clock;
import dev.kubetest.core.json.Json;
import dev.kubetest.core.apply.ServerSideApply;
import dev.kubetest.core.schema.ModelSchema;
import dev.kubetest.core.store.ObjectStore;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The API verbs with upstream semantics (create, get, update, patch, delete) over the {@link ObjectStore}.
 * The HTTP server and the in-process client both call this class, so a behaviour is the same whichever way a
 * test reaches the cluster. Lists and watches live in {@link ListWatch}.
 */
public final class KubeApi {
    /** Namespaces that cannot be deleted. */

    private final ResourceRegistry registry;
    private final ObjectStore store;
    private final Clock clock;
    private final ListWatch listWatch;
    private final SplittableRandom random = new SplittableRandom();
    private final TokenIssuer tokens = new TokenIssuer();
    private final dev.kubetest.core.admission.Admission admission;
    private final dev.kubetest.core.admission.CustomResourceAdmission customResources;

    /** {@code activity} is the cluster's tracker of work in flight (requests keep the skipping clock still). */
    public KubeApi(ResourceRegistry registry, ObjectStore store, Clock clock, dev.kubetest.core.clock.Activity activity) {
        this.registry = registry;
        this.store = store;
        this.clock = clock;
        this.activity = activity;
        this.listWatch = new ListWatch(store);
        this.admission = new dev.kubetest.core.admission.Admission((ns, sa) ->
                store.get("serviceaccounts", ObjectStore.key(ns, sa)) != null, new PriorityClassLookup(store),
                () -> StorageClassLookup.defaultClass(store),
                name -> java.util.Optional.ofNullable(store.get("storageclasses.storage.k8s.io", ObjectStore.key(null, name))),
                new SplittableRandom(), () -> StorageClassLookup.defaultIngressClasses(store));
        this.customResources = new dev.kubetest.core.admission.CustomResourceAdmission(name ->
                store.get("customresourcedefinitions.apiextensions.k8s.io", ObjectStore.key("", name)));
    }

    private final dev.kubetest.core.clock.Activity activity;

    public dev.kubetest.core.clock.Activity activity() {
        return activity;
    }

    public dev.kubetest.core.admission.Admission admission() {
        return admission;
    }

    public ResourceRegistry registry() {
        return registry;
    }

    public ObjectStore store() {
        return store;
    }

    public Clock clock() {
        return clock;
    }

    public ListWatch lists() {
        return listWatch;
    }

    /** RFC 3339 with second precision, as every metadata timestamp. */
    public String timestamp() {
        return timestamp(clock.now());
    }

    public static String timestamp(Instant instant) {
        return instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    // ---------------------------------------------------------------- get

    public ObjectNode get(ResourceType type, String namespace, String name) {
        ObjectNode o = store.get(type.storageKey(), ObjectStore.key(scope(type, namespace), name));
        if (o == null) {
            throw ApiException.notFound(type, name);
        }
        return withType(type, o);
    }

    /** The object, or empty when there is none: the "404 means gone" a controller's reconcile starts with. */
    public java.util.Optional<ObjectNode> find(ResourceType type, String namespace, String name) {
        ObjectNode o = store.get(type.storageKey(), ObjectStore.key(scope(type, namespace), name));
        return o == null ? java.util.Optional.empty() : java.util.Optional.of(withType(type, o));
    }

    /**
     * Deletes as a controller does: an object already gone (404) or replaced by another with the same name (409 on a
     * uid precondition) is not an error; answers whether this call deleted or started deleting it.
     */
    public boolean deleteIfPresent(ResourceType type, String namespace, String name, DeleteOptions options) {
        try {
            delete(type, namespace, name, options);
            return true;
        } catch (ApiException e) {
            if (e.code() == 404 || e.code() == 409) {
                return false;
            }
            throw e;
        }
    }

    /** The stored object with this type's apiVersion and kind (versions share storage). */
    static ObjectNode withType(ResourceType type, ObjectNode stored) {
        if (type.apiVersion().equals(stored.path("apiVersion").asText()) && type.kind().equals(stored.path("kind").asText())) {
            return stored;
        }
        ObjectNode copy = stored.deepCopy();
        copy.put("apiVersion", type.apiVersion());
        copy.put("kind", type.kind());
        return copy;
    }

    private static String scope(ResourceType type, String namespace) {
        return type.namespaced() ? (namespace == null ? "" : namespace) : "";
    }

    // ---------------------------------------------------------------- create

    public ObjectNode create(ResourceType type, String namespace, ObjectNode body, WriteOptions options) {
        return create(type, namespace, body, options, null);
    }

    private ObjectNode create(ResourceType type, String namespace, ObjectNode body, WriteOptions options,
                              JsonNode presetManagedFields) {
        RequestChecks.requireVerb(type, "create");
        ObjectNode obj = body.deepCopy();
        RequestChecks.checkTypeMeta(type, obj);
        java.util.Optional<ObjectNode> answer = dev.kubetest.core.admission.KindStrategies.of(type).answerWithoutStoring(type, obj);
        if (answer.isPresent()) {
            return answer.get();
        }
        RequestChecks.checkFieldValidation(options);
        RequestChecks.checkFields(type, obj, options);
        ObjectNode meta = Json.with(obj, "metadata");
        String ns = type.namespaced() ? RequestChecks.resolveNamespace(namespace, meta) : null;
        if (!type.namespaced()) {
            meta.remove("namespace");
        }
        if (!meta.path("resourceVersion").asText("").isEmpty()) {
            throw ApiException.unknown("resourceVersion should not be set on objects to be created");
        }
        String name = meta.path("name").asText("");
        if (name.isEmpty() && !meta.path("generateName").asText("").isEmpty()) {
            name = ObjectNames.generate(meta.get("generateName").asText(), random);
            meta.put("name", name);
        }
        RequestChecks.validateName(type, name, meta);
        meta.put("uid", Uids.random());
        meta.put("creationTimestamp", timestamp());
        meta.remove("deletionTimestamp");
        meta.remove("deletionGracePeriodSeconds");
        meta.remove("selfLink");
        if (type.tracksGeneration()) {
            meta.put("generation", 1);
        } else {
            meta.remove("generation");
        }
        ObjectDefaults.prepareForCreate(type, obj);
        if (ns != null) {
            meta.put("namespace", ns);
        }
        admission.admitCreate(type, obj);
        customResources.admit(type, obj, options, false);
        checkStorable(type, name, obj);
        meta.remove("managedFields");
        if (presetManagedFields != null) {
            meta.set("managedFields", presetManagedFields.deepCopy());
        } else {
            ServerSideApply.recordUpdate(null, obj, writer(type, options, null));
        }
        goZeroValues(type, obj);
        String finalName = name;
        String key = ObjectStore.key(ns, name);
        try {
            return store.write(tx -> {
            if (ns != null) {
                checkNamespaceWritable(tx, type, ns, finalName);
            }
            if (tx.get(type.storageKey(), key) != null) {
                throw ApiException.alreadyExists(type, finalName);
            }
            if (options.dryRun()) {
                admission.released(type, obj);
                return obj;
            }
            meta.put("resourceVersion", Long.toString(tx.nextRevision()));
            tx.put(type.storageKey(), key, obj);
            return obj;
            });
        } catch (ApiException e) {
            admission.released(type, obj);
            throw e;
        }
    }

    /** Built-in kinds are stored as upstream's Go types write them: fields without omitempty at their zero values. */
    private static void goZeroValues(ResourceType type, ObjectNode obj) {
        if (type.builtIn()) {
            ModelSchema.get().typeOf(type).ifPresent(t -> dev.kubetest.core.schema.GoZeroValues.fill(obj, t));
        }
    }

    /** ObjectMeta's validation (labels, annotations) and etcd's size limit, which every kind's writes pass. */
    private static void checkStorable(ResourceType type, String name, ObjectNode obj) {
        List<ApiException.Cause> causes = MetadataRules.check(obj, type.builtIn());
        if (!causes.isEmpty()) {
            throw ApiException.invalid(type, name, causes);
        }
        if (ObjectSize.exceedsLimit(obj)) {
            throw ApiException.tooLarge("limit is " + ObjectSize.LIMIT);
        }
    }

    private void checkNamespaceWritable(ObjectStore.Tx tx, ResourceType type, String ns, String name) {
        ResourceType namespaces = namespaceType();
        ObjectNode nsObj = tx.get(namespaces.storageKey(), ObjectStore.key("", ns));
        if (nsObj == null) {
            throw ApiException.notFound(namespaces, ns);
        }
        if (nsObj.path("metadata").hasNonNull("deletionTimestamp")
                || "Terminating".equals(nsObj.path("status").path("phase").asText())) {
            String msg = "unable to create new content in namespace " + ns + " because it is being terminated";
            throw new ApiException(403, "Forbidden", type.qualifiedResource() + " \"" + name + "\" is forbidden: " + msg,
                    name, type.group(), type.plural(),
                    List.of(new ApiException.Cause("NamespaceTerminating", msg, "metadata.namespace")));
        }
    }

    private ResourceType namespaceType() {
        return registry.find("", "v1", "namespaces").orElseThrow();
    }

    /** The key this API server signs service account tokens with. */
    public TokenIssuer tokenIssuer() {
        return tokens;
    }

    // ---------------------------------------------------------------- update

    /** What a write does to the main resource, the status subresource, or an arbitrary function of the old object. */
    public enum Target { MAIN, STATUS, FINALIZE, BIND, EPHEMERAL_CONTAINERS, APPROVAL }

    /** PUT: replaces the object, checking the resourceVersion when the body carries one. */
    public ObjectNode update(ResourceType type, String namespace, String name, ObjectNode body, Target target,
                             WriteOptions options) {
        RequestChecks.requireVerb(type, "update");
        ObjectNode obj = body.deepCopy();
        RequestChecks.checkTypeMeta(type, obj);
        RequestChecks.checkFieldValidation(options);
        RequestChecks.checkFields(type, obj, options);
        ObjectNode meta = Json.with(obj, "metadata");
        String bodyName = meta.path("name").asText("");
        if (bodyName.isEmpty()) {
            meta.put("name", name);
        } else if (!bodyName.equals(name)) {
            throw ApiException.badRequest("the name of the object (" + bodyName
                    + ") does not match the name on the URL (" + name + ")");
        }
        String ns = type.namespaced() ? RequestChecks.resolveNamespace(namespace, meta) : null;
        String expectedRv = meta.path("resourceVersion").asText("");
        return mutate(type, ns, name, expectedRv, options, old -> obj, target);
    }

    /** Applies {@code change} to the current object atomically (patches and internal read-modify-writes). */
    public ObjectNode mutate(ResourceType type, String namespace, String name, String expectedRv, WriteOptions options,
                             java.util.function.UnaryOperator<ObjectNode> change, Target target) {
        return mutate(type, namespace, name, expectedRv, options, change, target, true);
    }

    private ObjectNode mutate(ResourceType type, String namespace, String name, String expectedRv, WriteOptions options,
                              java.util.function.UnaryOperator<ObjectNode> change, Target target, boolean trackUpdate) {
        String ns = type.namespaced() ? namespace : null;
        String key = ObjectStore.key(ns, name);
        return store.write(tx -> {
            ObjectNode old = tx.get(type.storageKey(), key);
            if (old == null) {
                throw ApiException.notFound(type, name);
            }
            if (expectedRv != null && !expectedRv.isEmpty() && !expectedRv.equals(old.path("metadata").path("resourceVersion").asText())) {
                throw ApiException.conflict(type, name);
            }
            ObjectNode proposed = change.apply(withType(type, old).deepCopy());
            ObjectNode next = UpdateRules.finishUpdate(type, old, proposed, target);
            if (target == Target.MAIN) {
                admission.admitUpdate(type, withType(type, old), next);
            } else if (target == Target.EPHEMERAL_CONTAINERS) {
                admission.admitEphemeralContainers(type, withType(type, old), next);
            } else if (target == Target.APPROVAL || target == Target.STATUS) {
                admission.admitStatus(type, withType(type, old), next, target == Target.APPROVAL);
            }
            if (target == Target.MAIN || target == Target.STATUS) {
                customResources.admit(type, next, options, target == Target.STATUS);
                checkStorable(type, name, next);
            }
            if (trackUpdate) {
                ServerSideApply.recordUpdate(withType(type, old), next, writer(type, options, target));
            }
            goZeroValues(type, next);
            if (UpdateRules.stripVolatile(next).equals(UpdateRules.stripVolatile(old))) {
                return withType(type, old);
            }
            ObjectNode nextMeta = (ObjectNode) next.get("metadata");
            // as upstream's shouldDeleteDuringUpdate: the last finalizer gone, and no grace period running
            if (nextMeta.hasNonNull("deletionTimestamp") && nextMeta.path("finalizers").isEmpty()
                    && nextMeta.path("deletionGracePeriodSeconds").asLong(0) == 0
                    && !heldByKind(type, next)) {
                if (!options.dryRun()) {
                    nextMeta.put("resourceVersion", Long.toString(tx.nextRevision()));
                    tx.remove(type.storageKey(), key, next);
                    admission.released(type, next);
                }
                return next;
            }
            if (options.dryRun()) {
                return next;
            }
            nextMeta.put("resourceVersion", Long.toString(tx.nextRevision()));
            tx.put(type.storageKey(), key, next);
            return next;
        });
    }

    private static boolean heldByKind(ResourceType type, ObjectNode obj) {
        return dev.kubetest.core.admission.KindStrategies.of(type).holdsDeletion(obj);
    }

    private ServerSideApply.Writer writer(ResourceType type, WriteOptions options, Target target) {
        String manager = options.fieldManager() == null || options.fieldManager().isEmpty()
                ? "unknown" : options.fieldManager();
        return new ServerSideApply.Writer(manager, type.apiVersion(), target == Target.STATUS ? "status"
                : target == Target.EPHEMERAL_CONTAINERS ? "ephemeralcontainers"
                : target == Target.APPROVAL ? "approval" : null,
                type.builtIn() ? ModelSchema.get().typeOf(type).orElse(null) : null, timestamp());
    }

    // ---------------------------------------------------------------- server-side apply

    /**
     * Server-side apply ({@code application/apply-patch+yaml}): creates the object when it is missing, merges and
     * takes ownership otherwise; conflicts are a 409 unless {@code options.force()}.
     */
    /** The result of an apply: the object, and whether the apply created it. */
    public record Applied(ObjectNode object, boolean created) {}

    public Applied apply(ResourceType type, String namespace, String name, ObjectNode config, Target target,
                         WriteOptions options) {
        RequestChecks.requireVerb(type, "patch");
        if (options.fieldManager() == null || options.fieldManager().isEmpty()) {
            throw new ApiException(422, "Invalid", "PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required "
                    + "value: is required for apply patch", null, "meta.k8s.io", "PatchOptions",
                    List.of(new ApiException.Cause("FieldValueRequired", "Required value: is required for apply patch",
                            "fieldManager")));
        }
        ObjectNode cfg = config.deepCopy();
        RequestChecks.checkTypeMeta(type, cfg);
        RequestChecks.checkFieldValidation(options);
        RequestChecks.checkFields(type, cfg, options);
        ObjectNode cfgMeta = Json.with(cfg, "metadata");
        String cfgName = cfgMeta.path("name").asText("");
        if (!cfgName.isEmpty() && !cfgName.equals(name)) {
            throw ApiException.badRequest("the name of the object (" + cfgName + ") does not match the name on the URL ("
                    + name + ")");
        }
        cfgMeta.put("name", name);
        String ns = type.namespaced() ? RequestChecks.resolveNamespace(namespace, cfgMeta) : null;
        String expectedRv = cfgMeta.path("resourceVersion").asText("");
        cfgMeta.remove("resourceVersion");
        cfgMeta.remove("managedFields");
        if (type.hasStatus() && target == Target.MAIN) {
            cfg.remove("status");
        }
        ServerSideApply.Writer w = writer(type, options, target);
        ObjectNode existing = store.get(type.storageKey(), ObjectStore.key(scope(type, ns), name));
        if (existing == null) {
            if (target != Target.MAIN) {
                throw ApiException.notFound(type, name);
            }
            ObjectNode created = ServerSideApply.apply(null, cfg, w, options.force());
            JsonNode managed = created.path("metadata").get("managedFields");
            try {
                return new Applied(create(type, ns, created, options, managed), true);
            } catch (ApiException e) {
                if (e.code() != 409 || !"AlreadyExists".equals(e.reason())) {
                    throw e;
                }
            }
        }
        return new Applied(mutate(type, ns, name, expectedRv, options,
                current -> ServerSideApply.apply(current, cfg, w, options.force()), target, false), false);
    }

    // ---------------------------------------------------------------- patch

    /** The patch formats of the PATCH verb. */
    public enum PatchType { JSON, MERGE, STRATEGIC }

    public ObjectNode patch(ResourceType type, String namespace, String name, PatchType patchType, JsonNode patch,
                            Target target, WriteOptions options) {
        RequestChecks.requireVerb(type, "patch");
        if (patchType == PatchType.STRATEGIC && !type.builtIn()) {
            throw new ApiException(415, "UnsupportedMediaType", "the body of the request was in an unknown format - "
                    + "accepted media types include: application/json-patch+json, application/merge-patch+json, "
                    + "application/apply-patch+yaml", null, null, null, null);
        }
        String expectedRv = patchType == PatchType.JSON ? null : Json.text(patch, "metadata", "resourceVersion");
        return mutate(type, namespace, name, expectedRv, options, current -> {
            JsonNode patched = switch (patchType) {
                case JSON -> Patches.jsonPatch(current, patch);
                case MERGE -> Patches.mergePatch(current, patch);
                case STRATEGIC -> StrategicMergePatch.apply(current, patch,
                        dev.kubetest.core.schema.ModelSchema.get().typeOf(type).orElse(null));
            };
            if (!(patched instanceof ObjectNode o)) {
                throw ApiException.badRequest("the patch did not produce an object");
            }
            RequestChecks.checkFields(type, o, options);
            String rv = Json.text(o, "metadata", "resourceVersion");
            String currentRv = Json.text(current, "metadata", "resourceVersion");
            if (patchType == PatchType.JSON && rv != null && !rv.equals(currentRv)) {
                throw ApiException.conflict(type, name);
            }
            return o;
        }, target);
    }

    // ---------------------------------------------------------------- delete

    /** The result of a delete: the object's last state and whether it is gone (false: deletion pending). */
    public record Deletion(ObjectNode object, boolean deleted) {}

    public Deletion delete(ResourceType type, String namespace, String name, DeleteOptions options) {
        RequestChecks.requireVerb(type, "delete");
        String ns = type.namespaced() ? namespace : null;
        java.util.Optional<String> refused = dev.kubetest.core.admission.KindStrategies.of(type).refuseDeletion(name);
        if (refused.isPresent()) {
            throw ApiException.forbidden(type, name, refused.get());
        }
        String key = ObjectStore.key(ns, name);
        return store.write(tx -> {
            ObjectNode old = tx.get(type.storageKey(), key);
            if (old == null) {
                throw ApiException.notFound(type, name);
            }
            ObjectNode oldMeta = (ObjectNode) old.get("metadata");
            if (options.preconditionUid() != null && !options.preconditionUid().equals(oldMeta.path("uid").asText())) {
                throw ApiException.conflict(type, name, "Precondition failed: UID in precondition: "
                        + options.preconditionUid() + ", UID in object meta: " + oldMeta.path("uid").asText());
            }
            if (options.preconditionResourceVersion() != null
                    && !options.preconditionResourceVersion().equals(oldMeta.path("resourceVersion").asText())) {
                throw ApiException.conflict(type, name, "Precondition failed: ResourceVersion in precondition: "
                        + options.preconditionResourceVersion() + ", ResourceVersion in object meta: "
                        + oldMeta.path("resourceVersion").asText());
            }
            ObjectNode next = withType(type, old).deepCopy();
            ObjectNode meta = (ObjectNode) next.get("metadata");
            addPropagationFinalizer(meta, options);
            long grace = dev.kubetest.core.admission.KindStrategies.of(type).gracePeriod(next, options.gracePeriodSeconds());
            boolean pending = !meta.path("finalizers").isEmpty() || heldByKind(type, next) || grace > 0;
            if (!pending) {
                if (!options.dryRun()) {
                    meta.put("resourceVersion", Long.toString(tx.nextRevision()));
                    tx.remove(type.storageKey(), key, next);
                    admission.released(type, next);
                }
                return new Deletion(next, true);
            }
            if (grace > 0 && (!meta.hasNonNull("deletionTimestamp") || grace < meta.path("deletionGracePeriodSeconds").asLong())) {
                meta.put("deletionTimestamp", timestamp(clock.now().plusSeconds(grace)));
                meta.put("deletionGracePeriodSeconds", grace);
                if (type.tracksGeneration() && !old.path("metadata").hasNonNull("deletionTimestamp")) {
                    meta.put("generation", meta.path("generation").asLong(0) + 1);
                }
            } else if (!meta.hasNonNull("deletionTimestamp")) {
                meta.put("deletionTimestamp", timestamp());
                meta.put("deletionGracePeriodSeconds", 0);
                if (type.tracksGeneration()) {
                    meta.put("generation", meta.path("generation").asLong(0) + 1);
                }
                dev.kubetest.core.admission.KindStrategies.of(type).beginDeletion(next);
            }
            if (next.equals(old) || options.dryRun()) {
                return new Deletion(next, false);
            }
            meta.put("resourceVersion", Long.toString(tx.nextRevision()));
            tx.put(type.storageKey(), key, next);
            return new Deletion(next, false);
        });
    }

    private static void addPropagationFinalizer(ObjectNode meta, DeleteOptions options) {
        String policy = options.propagationPolicy();
        if (policy == null && options.orphanDependents() != null) {
            policy = options.orphanDependents() ? "Orphan" : "Background";
        }
        String finalizer = "Foreground".equals(policy) ? "foregroundDeletion" : "Orphan".equals(policy) ? "orphan" : null;
        if (finalizer == null || meta.hasNonNull("deletionTimestamp")) {
            return;
        }
        ArrayNode finalizers = meta.path("finalizers").isArray() ? (ArrayNode) meta.get("finalizers") : meta.putArray("finalizers");
        for (JsonNode f : finalizers) {
            if (f.asText().equals(finalizer)) {
                return;
            }
        }
        finalizers.add(finalizer);
    }

    /** Deletes every object the selectors match; the result lists what was deleted (or marked for deletion). */
    public List<ObjectNode> deleteCollection(ResourceType type, String namespace, ListOptions listOptions,
                                             DeleteOptions options) {
        RequestChecks.requireVerb(type, "deletecollection");
        List<ObjectNode> out = new ArrayList<>();
        for (ObjectNode o : listWatch.list(type, namespace, listOptions).items()) {
            try {
                out.add(delete(type, Json.text(o, "metadata", "namespace"), Json.text(o, "metadata", "name"), options).object());
            } catch (ApiException e) {
                if (e.code() != 404) {
                    throw e;
                }
            }
        }
        return out;
    }
}
