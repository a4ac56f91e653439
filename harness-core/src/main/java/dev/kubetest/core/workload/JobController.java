package dev.kubetest.core.workload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubetest.core.api.KubeApi;
import dev.kubetest.core.api.WatchEventType;
import dev.kubetest.core.controller.ObjectKeys;
import dev.kubetest.core.controller.QueueController;
import dev.kubetest.core.controller.ResourceEvents;
import dev.kubetest.core.events.EventRecorder;
import dev.kubetest.core.meta.ApiException;
import dev.kubetest.core.meta.Finalizers;
import dev.kubetest.core.meta.ListOptions;
import dev.kubetest.core.meta.ResourceType;
import dev.kubetest.core.meta.WriteOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Job controller, as kube-controller-manager's: each Job's pods (those it controls) are counted and managed by
 * a {@link JobSync}; the pod re-creation back-off after failures is kept per Job between syncs, as upstream keeps
 * it in memory. Pods whose Job is gone lose their job-tracking finalizer, so that they can go.
 */
public final class JobController extends QueueController<String> {
    /** The value of {@code spec.managedBy} that leaves a Job to this controller (also the default). */
    public static final String BUILT_IN = "kubernetes.io/job-controller";
    public static final String NAME = "job";
    private static final WriteOptions MANAGER = WriteOptions.manager("kube-controller-manager");

    private final KubeApi api;
    private final ResourceEvents events;
    private final ResourceType jobs;
    private final ResourceType pods;
    private final EventRecorder recorder;
    /** Job UIDs by key, from the Jobs' own events. */
    private final Map<String, String> uids = new ConcurrentHashMap<>();
    private final Map<String, JobSync.Backoff> backoffs = new ConcurrentHashMap<>();

    public JobController(KubeApi api, ResourceEvents events) {
        super(api.clock());
        this.api = api;
        this.events = events;
        this.jobs = api.registry().find("batch", "v1", "jobs").orElseThrow();
        this.pods = api.registry().find("", "v1", "pods").orElseThrow();
        this.recorder = new EventRecorder(api, "job-controller", null);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    protected void watch() {
        events.addListener(jobs, (type, eventType, job) -> {
            String key = ObjectKeys.of(job);
            if (eventType == WatchEventType.DELETED) {
                uids.remove(key);
                backoffs.remove(key);
            } else {
                uids.put(key, job.path("metadata").path("uid").asText());
            }
            queue.add(key);
        });
        events.addListener(pods, (type, eventType, pod) -> {
            Optional<JsonNode> ref = ControllerRefs.of(pod);
            if (ref.isPresent() && "Job".equals(ref.get().path("kind").asText())) {
                queue.add(ObjectKeys.of(pod.path("metadata").path("namespace").asText(), ref.get().path("name").asText()));
            }
        });
    }

    @Override
    protected Result reconcile(String key) {
        String ns = ObjectKeys.namespace(key);
        ObjectNode job = api.find(jobs, ns, ObjectKeys.name(key)).orElse(null);
        List<ObjectNode> owned = new ArrayList<>();
        List<ObjectNode> orphaned = new ArrayList<>();
        String uid = job == null ? "" : job.path("metadata").path("uid").asText();
        for (ObjectNode pod : api.lists().list(pods, ns, ListOptions.all()).items()) {
            Optional<JsonNode> ref = ControllerRefs.of(pod);
            if (ref.isEmpty() || !"Job".equals(ref.get().path("kind").asText())
                    || !ref.get().path("name").asText().equals(ObjectKeys.name(key))) {
                continue;
            }
            if (ref.get().path("uid").asText().equals(uid)) {
                owned.add(pod.deepCopy());
            } else {
                orphaned.add(pod);
            }
        }
        orphaned.forEach(this::releaseTracking);
        if (job == null) {
            return Result.DONE;
        }
        String managedBy = job.path("spec").path("managedBy").asText(BUILT_IN);
        if (!BUILT_IN.equals(managedBy)) {
            // another controller owns this Job (upstream's JobManagedBy, beta and on since 1.32): hands off
            return Result.DONE;
        }
        JobSync sync = new JobSync(api, jobs, pods, recorder, job.deepCopy(), owned,
                backoffs.getOrDefault(key, JobSync.Backoff.NONE));
        try {
            return sync.run();
        } finally {
            backoffs.put(key, sync.backoff());
        }
    }

    /** A pod of a Job that is gone (or was replaced) keeps no job-tracking finalizer. */
    private void releaseTracking(ObjectNode pod) {
        if (!Finalizers.has(pod, JobSync.TRACKING_FINALIZER)) {
            return;
        }
        try {
            api.mutate(pods, pod.path("metadata").path("namespace").asText(), pod.path("metadata").path("name").asText(),
                    null, MANAGER, current -> {
                        Finalizers.remove(current, JobSync.TRACKING_FINALIZER);
                        return current;
                    }, KubeApi.Target.MAIN);
        } catch (ApiException e) {
            if (e.code() != 404) {
                throw e;
            }
        }
    }
}
