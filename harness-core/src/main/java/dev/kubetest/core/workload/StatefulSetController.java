package dev.kubetest.core.workload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubetest.core.api.KubeApi;
import dev.kubetest.core.controller.ObjectKeys;
import dev.kubetest.core.controller.QueueController;
import dev.kubetest.core.controller.ResourceEvents;
import dev.kubetest.core.events.EventRecorder;
import dev.kubetest.core.meta.ApiException;
import dev.kubetest.core.meta.DeleteOptions;
import dev.kubetest.core.meta.ListOptions;
import dev.kubetest.core.meta.ResourceType;
import dev.kubetest.core.meta.WriteOptions;
import dev.kubetest.core.selector.LabelSelector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The StatefulSet controller, as kube-controller-manager's: keeps a ControllerRevision per template (an old
 * template brought back reuses its revision with a new number), claims the set's pods (adopting orphans named and
 * labelled as its pods), runs a {@link StatefulSetSync}, and trims revisions beyond revisionHistoryLimit that no
 * pod uses.
 */
public final class StatefulSetController extends QueueController<String> {
    public static final String NAME = "statefulset";
    private static final WriteOptions MANAGER = WriteOptions.manager("kube-controller-manager");

    private final KubeApi api;
    private final ResourceEvents events;
    private final StatefulSetSync.Types types;
    private final ResourceType revisions;
    private final EventRecorder recorder;

    public StatefulSetController(KubeApi api, ResourceEvents events) {
        super(api.clock());
        this.api = api;
        this.events = events;
        this.types = new StatefulSetSync.Types(api.registry().find("apps", "v1", "statefulsets").orElseThrow(),
                api.registry().find("", "v1", "pods").orElseThrow(),
                api.registry().find("", "v1", "persistentvolumeclaims").orElseThrow());
        this.revisions = api.registry().find("apps", "v1", "controllerrevisions").orElseThrow();
        this.recorder = new EventRecorder(api, "statefulset-controller", null);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    protected void watch() {
        events.addListener(types.sets(), (type, eventType, set) -> queue.add(ObjectKeys.of(set)));
        events.addListener(types.pods(), (type, eventType, pod) -> ControllerRefs.of(pod)
                .filter(ref -> "StatefulSet".equals(ref.path("kind").asText()))
                .ifPresent(ref -> queue.add(ObjectKeys.of(pod.path("metadata").path("namespace").asText(),
                        ref.path("name").asText()))));
    }

    @Override
    protected Result reconcile(String key) {
        String ns = ObjectKeys.namespace(key);
        ObjectNode set = api.find(types.sets(), ns, ObjectKeys.name(key)).orElse(null);
        if (set == null) {
            return Result.DONE;
        }
        JsonNode sel = set.path("spec").path("selector");
        LabelSelector selector = LabelSelector.fromJson(sel.isMissingNode() ? null : sel);
        if (selector == null || selector.isEverything()) {
            return Result.DONE;
        }
        String uid = set.path("metadata").path("uid").asText();
        List<ObjectNode> owned = new ArrayList<>();
        for (ObjectNode pod : api.lists().list(types.pods(), ns, ListOptions.all()).items()) {
            String controller = ControllerRefs.uidOf(pod);
            if (controller.equals(uid)) {
                owned.add(pod.deepCopy());
            } else if (controller.isEmpty() && selector.matches(LabelSelector.labelsOf(pod)) && !Pods.terminating(pod)
                    && StatefulSetSync.ordinalOf(set.path("metadata").path("name").asText(),
                    pod.path("metadata").path("name").asText()).isPresent()) {
                adopt(set, pod).ifPresent(owned::add);
            }
        }
        List<ObjectNode> history = api.lists().list(revisions, ns, ListOptions.all()).items().stream()
                .filter(r -> ControllerRefs.uidOf(r).equals(uid)).map(r -> r.deepCopy()).toList();
        JsonNode update = updateRevision(set, history);
        String currentName = set.path("status").path("currentRevision").asText("");
        List<ObjectNode> all = new ArrayList<>(history);
        if (history.stream().noneMatch(r -> r.path("metadata").path("uid").equals(update.path("metadata").path("uid")))) {
            all.add((ObjectNode) update);
        }
        JsonNode current = all.stream().filter(r -> r.path("metadata").path("name").asText().equals(currentName))
                .map(r -> (JsonNode) r).findFirst().orElse(update);
        Duration requeue = new StatefulSetSync(api, types, recorder, set, owned, current, update).run();
        trimHistory(set, all, current, update);
        return requeue == null ? Result.DONE : Result.requeueAfter(requeue);
    }

    /** The revision of the set's template: an existing one (renumbered as the newest when it is not), or a new one. */
    private JsonNode updateRevision(ObjectNode set, List<ObjectNode> history) {
        ObjectNode data = ControllerRevisions.data(set);
        long max = ControllerRevisions.maxRevision(history);
        Optional<JsonNode> existing = ControllerRevisions.matching(history, data);
        String ns = set.path("metadata").path("namespace").asText();
        if (existing.isPresent()) {
            JsonNode rev = existing.get();
            if (rev.path("revision").asLong() < max) {
                return api.mutate(revisions, ns, rev.path("metadata").path("name").asText(), null, MANAGER, c -> {
                    c.put("revision", max + 1);
                    return c;
                }, KubeApi.Target.MAIN);
            }
            return rev;
        }
        JsonNode collision = set.path("status").get("collisionCount");
        ObjectNode rev = ControllerRevisions.revision(set, "StatefulSet", data, max + 1,
                collision == null || collision.isNull() ? null : collision.asInt());
        try {
            return api.create(revisions, ns, rev, MANAGER);
        } catch (ApiException e) {
            if (e.code() != 409) {
                throw e;
            }
            String setName = set.path("metadata").path("name").asText();
            api.mutate(types.sets(), ns, setName, null, MANAGER, c -> {
                        c.with("status").put("collisionCount", c.path("status").path("collisionCount").asInt(0) + 1);
                        return c;
                    }, KubeApi.Target.STATUS);
            throw e;
        }
    }

    private Optional<ObjectNode> adopt(ObjectNode set, ObjectNode pod) {
        String podUid = pod.path("metadata").path("uid").asText();
        try {
            return Optional.of(api.mutate(types.pods(), pod.path("metadata").path("namespace").asText(),
                    pod.path("metadata").path("name").asText(), null, MANAGER, c -> {
                        if (!podUid.equals(c.path("metadata").path("uid").asText()) || ControllerRefs.of(c).isPresent()) {
                            throw ApiException.conflict(types.pods(), c.path("metadata").path("name").asText(), "owner changed");
                        }
                        ControllerRefs.add(c, ControllerRefs.to(set, "apps/v1", "StatefulSet"));
                        return c;
                    }, KubeApi.Target.MAIN).deepCopy());
        } catch (ApiException e) {
            return Optional.empty();
        }
    }

    /** Deletes the oldest revisions beyond revisionHistoryLimit that are neither current, update, nor used by a pod. */
    private void trimHistory(ObjectNode set, List<ObjectNode> all, JsonNode current, JsonNode update) {
        int limit = set.path("spec").path("revisionHistoryLimit").asInt(10);
        String ns = set.path("metadata").path("namespace").asText();
        Set<String> live = new HashSet<>();
        live.add(current.path("metadata").path("name").asText());
        live.add(update.path("metadata").path("name").asText());
        for (ObjectNode pod : api.lists().list(types.pods(), ns, ListOptions.all()).items()) {
            if (ControllerRefs.controlledBy(pod, set)) {
                live.add(pod.path("metadata").path("labels").path(ControllerRevisions.POD_LABEL).asText());
            }
        }
        List<ObjectNode> old = new ArrayList<>(all.stream().filter(r -> !live.contains(r.path("metadata").path("name").asText())).toList());
        old.sort(Comparator.comparingLong(r -> r.path("revision").asLong()));
        for (int i = 0; i < old.size() - limit; i++) {
            ObjectNode r = old.get(i);
            api.deleteIfPresent(revisions, ns, r.path("metadata").path("name").asText(),
                    DeleteOptions.ifUid(r.path("metadata").path("uid").asText()));
        }
    }
}
