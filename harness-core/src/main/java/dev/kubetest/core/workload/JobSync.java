package dev.kubetest.core.workload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubetest.core.api.KubeApi;
import dev.kubetest.core.controller.QueueController.Result;
import dev.kubetest.core.events.EventRecorder;
import dev.kubetest.core.json.Json;
import dev.kubetest.core.meta.ApiException;
import dev.kubetest.core.meta.DeleteOptions;
import dev.kubetest.core.meta.Finalizers;
import dev.kubetest.core.meta.ResourceType;
import dev.kubetest.core.meta.WriteOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;

/**
 * One sync of one Job, as upstream's syncJob: count the pods that finished (through the job-tracking finalizer and
 * {@code status.uncountedTerminatedPods}), decide failure (podFailurePolicy, backoffLimit, activeDeadlineSeconds:
 * FailureTarget, then Failed once no pod is left running) or success (SuccessCriteriaMet, then Complete), honour
 * suspend, then create or delete pods towards what the Job wants, and write the status.
 */
final class JobSync {
    static final String TRACKING_FINALIZER = "batch.kubernetes.io/job-tracking";
    static final String INDEX = "batch.kubernetes.io/job-completion-index";
    static final String FAILURE_COUNT = "batch.kubernetes.io/job-index-failure-count";
    private static final WriteOptions MANAGER = WriteOptions.manager("kube-controller-manager");

    /** Failures since the last success and when the last one was seen: the pod re-creation back-off. */
    record Backoff(int failures, Instant lastFailure) {
        static final Backoff NONE = new Backoff(0, null);
    }

    private final KubeApi api;
    private final ResourceType jobs;
    private final ResourceType pods;
    private final EventRecorder recorder;
    private final Instant now;
    private ObjectNode job;
    private final List<ObjectNode> owned;
    private Backoff backoff;
    private final String ns;
    private final String name;

    JobSync(KubeApi api, ResourceType jobs, ResourceType pods, EventRecorder recorder, ObjectNode job,
            List<ObjectNode> owned, Backoff backoff) {
        this.api = api;
        this.jobs = jobs;
        this.pods = pods;
        this.recorder = recorder;
        this.now = api.clock().now();
        this.job = job;
        this.owned = new ArrayList<>(owned);
        this.backoff = backoff;
        this.ns = job.path("metadata").path("namespace").asText();
        this.name = job.path("metadata").path("name").asText();
    }

    Backoff backoff() {
        return backoff;
    }

    private JsonNode spec() {
        return job.path("spec");
    }

    private boolean indexed() {
        return "Indexed".equals(spec().path("completionMode").asText("NonIndexed"));
    }

    private Integer completions() {
        JsonNode c = spec().path("completions");
        return c.isNumber() ? c.asInt() : null;
    }

    private static boolean tracked(JsonNode pod) {
        return Finalizers.has(pod, TRACKING_FINALIZER);
    }

    /** Failed, or (as podReplacementPolicy TerminatingOrFailed counts it) being deleted before it succeeded. */
    private boolean failed(JsonNode pod) {
        String phase = Pods.phase(pod);
        if (spec().path("suspend").asBoolean(false) && Pods.terminating(pod)) {
            return false; // pods the controller deletes to suspend the Job are not failures
        }
        if ("Failed".equals(phase)) {
            return true;
        }
        boolean onlyFailed = "Failed".equals(spec().path("podReplacementPolicy").asText(""));
        return !onlyFailed && Pods.terminating(pod) && !"Succeeded".equals(phase);
    }

    static int indexOf(JsonNode pod) {
        String v = pod.path("metadata").path("annotations").path(INDEX).asText("");
        try {
            return v.isEmpty() ? -1 : Integer.parseInt(v);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    Result run() {
        ObjectNode status = statusCopy();
        if (JobConditions.finished(status)) {
            owned.stream().filter(JobSync::tracked).forEach(this::removeFinalizer);
            return Result.DONE;
        }
        String failJob = countFinished(status);
        List<JsonNode> active = new ArrayList<>(owned.stream().filter(Pods::active).map(p -> (JsonNode) p).toList());
        boolean suspended = spec().path("suspend").asBoolean(false);
        Optional<String[]> failure = JobConditions.failureTarget(status)
                .or(() -> failureReason(status, active, failJob));
        Duration requeue = null;
        if (failure.isPresent()) {
            JobConditions.set(status, "FailureTarget", "True", failure.get()[0], failure.get()[1], now);
            deleteAll(active, "job failure");
            active.clear();
            if (terminating() == 0) {
                JobConditions.set(status, "Failed", "True", failure.get()[0], failure.get()[1], now);
                recorder.record(job, null, "Warning", failure.get()[0], failure.get()[1]);
            }
        } else if (JobConditions.successCriteria(status).or(() -> success(status, active)).isPresent()) {
            String[] why = JobConditions.successCriteria(status).or(() -> success(status, active)).get();
            JobConditions.set(status, "SuccessCriteriaMet", "True", why[0], why[1], now);
            deleteAll(active, "success");
            active.clear();
            if (terminating() == 0) {
                JobConditions.set(status, "Complete", "True", why[0], why[1], now);
                status.put("completionTime", KubeApi.timestamp(now));
                recorder.record(job, null, "Normal", "Completed", "Job completed");
            }
        } else if (suspended) {
            deleteAll(active, "suspend");
            active.clear();
            if (JobConditions.set(status, "Suspended", "True", "JobSuspended", "Job suspended", now)) {
                recorder.record(job, null, "Normal", "Suspended", "Job suspended");
            }
            status.remove("startTime");
        } else {
            if (JobConditions.isTrue(status, "Suspended")
                    && JobConditions.set(status, "Suspended", "False", "JobResumed", "Job resumed", now)) {
                recorder.record(job, null, "Normal", "Resumed", "Job resumed");
            }
            if (!status.hasNonNull("startTime")) {
                status.put("startTime", KubeApi.timestamp(now));
            }
            requeue = manage(status, active);
            requeue = earlier(requeue, untilDeadline(status));
        }
        status.put("active", (int) owned.stream().filter(Pods::active).count());
        status.put("ready", (int) owned.stream().filter(p -> Pods.active(p) && Pods.ready(p)).count());
        status.put("terminating", terminating());
        writeStatus(status);
        return requeue == null ? Result.DONE : Result.requeueAfter(requeue);
    }

    private long terminating() {
        return owned.stream().filter(p -> Pods.terminating(p) && !"Succeeded".equals(Pods.phase(p))
                && !"Failed".equals(Pods.phase(p))).count();
    }

    // ------------------------------------------------------------------ counting finished pods

    /**
     * Moves finished pods into the counts as upstream does: their UIDs into uncountedTerminatedPods (written), the
     * tracking finalizer off each, then the UIDs out into succeeded/failed (and completedIndexes). Failures a
     * podFailurePolicy rule ignores are not counted. Returns the message of a FailJob rule that matched, if one did.
     */
    private String countFinished(ObjectNode status) {
        ObjectNode uncounted = Json.with(status, "uncountedTerminatedPods");
        Set<String> succeededUids = texts(uncounted.path("succeeded"));
        Set<String> failedUids = texts(uncounted.path("failed"));
        Map<String, Integer> indexes = new HashMap<>();
        List<ObjectNode> toRelease = new ArrayList<>();
        String failJob = null;
        int newFailures = 0;
        boolean newSuccess = false;
        JsonNode policy = spec().path("podFailurePolicy");
        SortedSet<Integer> failedIndexes = failedIndexes(status);
        for (ObjectNode pod : owned) {
            if (!tracked(pod)) {
                continue;
            }
            String uid = pod.path("metadata").path("uid").asText();
            if ("Succeeded".equals(Pods.phase(pod))) {
                if (succeededUids.add(uid)) {
                    newSuccess = true;
                }
                indexes.put(uid, indexOf(pod));
                toRelease.add(pod);
            } else if (failed(pod)) {
                Optional<PodFailurePolicy.Match> match = policy.isObject() && "Failed".equals(Pods.phase(pod))
                        ? PodFailurePolicy.match(policy, pod) : Optional.empty();
                String action = match.map(PodFailurePolicy.Match::action).orElse("Count");
                if ("FailJob".equals(action) && failJob == null) {
                    failJob = match.get().message();
                }
                if (!"Ignore".equals(action) && failedUids.add(uid)) {
                    newFailures++;
                    int index = indexOf(pod);
                    if (perIndexLimit().isPresent() && index >= 0 && ("FailIndex".equals(action)
                            || failureCountOf(pod) + 1 > perIndexLimit().get())) {
                        failedIndexes.add(index);
                    }
                }
                toRelease.add(pod);
            }
        }
        if (toRelease.isEmpty()) {
            return failJob;
        }
        uncounted.set("succeeded", array(uncounted, succeededUids));
        uncounted.set("failed", array(uncounted, failedUids));
        writeStatus(status.deepCopy());
        toRelease.forEach(this::removeFinalizer);
        status.put("succeeded", status.path("succeeded").asInt(0) + succeededUids.size());
        status.put("failed", status.path("failed").asInt(0) + failedUids.size());
        if (indexed()) {
            SortedSet<Integer> done = JobMath.parse(status.path("completedIndexes").asText(""), completions());
            indexes.values().stream().filter(i -> i >= 0 && i < completions()).forEach(done::add);
            status.put("completedIndexes", JobMath.compress(done));
            if (perIndexLimit().isPresent()) {
                failedIndexes.removeAll(done);
                status.put("failedIndexes", JobMath.compress(failedIndexes));
            }
        }
        uncounted.set("succeeded", uncounted.arrayNode());
        uncounted.set("failed", uncounted.arrayNode());
        uncounted.removeAll();
        if (newSuccess) {
            backoff = Backoff.NONE;
        }
        if (newFailures > 0) {
            backoff = new Backoff(backoff.failures() + newFailures, now);
        }
        return failJob;
    }

    /** backoffLimitPerIndex, when the Job has one (Indexed jobs only). */
    private Optional<Integer> perIndexLimit() {
        JsonNode v = spec().path("backoffLimitPerIndex");
        return indexed() && v.isNumber() ? Optional.of(v.asInt()) : Optional.empty();
    }

    private SortedSet<Integer> failedIndexes(JsonNode status) {
        return completions() == null ? new java.util.TreeSet<>()
                : JobMath.parse(status.path("failedIndexes").asText(""), completions());
    }

    /** The failures of a pod's index before it, as the controller wrote them on the pod. */
    static int failureCountOf(JsonNode pod) {
        try {
            return Integer.parseInt(pod.path("metadata").path("annotations").path(FAILURE_COUNT).asText("0"));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static Set<String> texts(JsonNode array) {
        Set<String> out = new LinkedHashSet<>();
        array.forEach(v -> out.add(v.asText()));
        return out;
    }

    private static ArrayNode array(ObjectNode factory, Set<String> values) {
        ArrayNode a = factory.arrayNode();
        values.forEach(a::add);
        return a;
    }

    private void removeFinalizer(ObjectNode pod) {
        String uid = pod.path("metadata").path("uid").asText();
        try {
            api.mutate(pods, ns, pod.path("metadata").path("name").asText(), null, MANAGER, current -> {
                if (uid.equals(current.path("metadata").path("uid").asText())) {
                    Finalizers.remove(current, TRACKING_FINALIZER);
                }
                return current;
            }, KubeApi.Target.MAIN);
        } catch (ApiException e) {
            if (e.code() != 404) {
                throw e;
            }
        }
    }

    // ------------------------------------------------------------------ failure and success

    /** Why the Job fails now, if it does: [reason, message]. */
    private Optional<String[]> failureReason(ObjectNode status, List<JsonNode> active, String failJob) {
        if (failJob != null) {
            return Optional.of(new String[] {"PodFailurePolicy", failJob});
        }
        JsonNode maxFailed = spec().path("maxFailedIndexes");
        if (perIndexLimit().isPresent() && maxFailed.isNumber() && failedIndexes(status).size() > maxFailed.asInt()) {
            return Optional.of(new String[] {"MaxFailedIndexesExceeded",
                    "Job has exceeded the specified maximal number of failed indexes"});
        }
        if (perIndexLimit().isPresent() && !failedIndexes(status).isEmpty()
                && failedIndexes(status).size() + JobMath.parse(status.path("completedIndexes").asText(""), completions()).size()
                >= completions()) {
            return Optional.of(new String[] {"FailedIndexes", "Job has failed indexes"});
        }
        int backoffLimit = spec().path("backoffLimit").asInt(6);
        boolean onFailure = "OnFailure".equals(spec().path("template").path("spec").path("restartPolicy").asText());
        if (status.path("failed").asInt(0) > backoffLimit
                || (onFailure && JobMath.pastBackoffLimitOnFailure(active, backoffLimit))) {
            return Optional.of(new String[] {"BackoffLimitExceeded", "Job has reached the specified backoff limit"});
        }
        if (untilDeadline(status) != null && untilDeadline(status).isZero()) {
            return Optional.of(new String[] {"DeadlineExceeded", "Job was active longer than specified deadline"});
        }
        return Optional.empty();
    }

    /** The time left before activeDeadlineSeconds, zero when it has passed, null without a deadline. */
    private Duration untilDeadline(ObjectNode status) {
        JsonNode deadline = spec().path("activeDeadlineSeconds");
        if (!deadline.isNumber() || !status.hasNonNull("startTime") || spec().path("suspend").asBoolean(false)) {
            return null;
        }
        Instant end = Instant.parse(status.get("startTime").asText()).plusSeconds(deadline.asLong());
        Duration left = Duration.between(now, end);
        return left.isNegative() || left.isZero() ? Duration.ZERO : left;
    }

    /** The reason the Job has succeeded, if it has: CompletionsReached, or SuccessPolicy when a rule matched. */
    private Optional<String[]> success(ObjectNode status, List<JsonNode> active) {
        Integer completions = completions();
        int succeeded = status.path("succeeded").asInt(0);
        String[] reached = {"CompletionsReached", "Reached expected number of succeeded pods"};
        if (indexed()) {
            if (completions == null) {
                return Optional.empty();
            }
            SortedSet<Integer> done = JobMath.parse(status.path("completedIndexes").asText(""), completions);
            int index = 0;
            for (JsonNode rule : spec().path("successPolicy").path("rules")) {
                if (JobMath.successRuleMet(rule, done, completions)) {
                    return Optional.of(new String[] {"SuccessPolicy", "Matched rules at index " + index});
                }
                index++;
            }
            return done.size() >= completions && failedIndexes(status).isEmpty() ? Optional.of(reached) : Optional.empty();
        }
        if (completions == null) {
            return succeeded > 0 && active.isEmpty() ? Optional.of(reached) : Optional.empty();
        }
        return succeeded >= completions ? Optional.of(reached) : Optional.empty();
    }

    // ------------------------------------------------------------------ pods

    /** Creates or deletes pods towards what the Job wants; when to look again (back-off), if at all. */
    private Duration manage(ObjectNode status, List<JsonNode> active) {
        int parallelism = spec().path("parallelism").asInt(1);
        int succeeded = status.path("succeeded").asInt(0);
        int want = JobMath.wantActive(completions(), parallelism, succeeded, active.size());
        if (active.size() > want) {
            List<JsonNode> victims = DeletionOrder.victims(active, active, active.size() - want, now);
            deleteAll(victims, "too many");
            return null;
        }
        int missing = want - active.size();
        if ("Failed".equals(spec().path("podReplacementPolicy").asText(""))) {
            missing = Math.max(0, missing - (int) terminating());
        }
        if (missing == 0) {
            return null;
        }
        if (backoff.failures() > 0 && backoff.lastFailure() != null) {
            Duration left = Duration.between(now, backoff.lastFailure().plus(JobMath.backoff(backoff.failures())));
            if (left.compareTo(Duration.ZERO) > 0) {
                return left;
            }
        }
        List<Integer> indexes = new ArrayList<>();
        if (indexed()) {
            Set<Integer> running = new HashSet<>();
            active.forEach(p -> running.add(indexOf(p)));
            SortedSet<Integer> skip = JobMath.parse(status.path("completedIndexes").asText(""), completions());
            skip.addAll(failedIndexes(status));
            indexes.addAll(JobMath.nextIndexes(completions(), skip, running, missing));
            missing = indexes.size();
        }
        int[] next = {0};
        SlowStart.run(Math.min(missing, SlowStart.BURST), () -> createPod(indexed() ? indexes.get(next[0]++) : null));
        return null;
    }

    private boolean createPod(Integer index) {
        ObjectNode template = spec().path("template").deepCopy();
        ObjectNode pod = PodTemplates.podFor(job, template, ControllerRefs.to(job, "batch/v1", "Job"));
        ObjectNode meta = (ObjectNode) pod.get("metadata");
        meta.withArray("finalizers").add(TRACKING_FINALIZER);
        if (index != null) {
            meta.put("generateName", name + "-" + index + "-");
            Json.with(meta, "annotations").put(INDEX, Integer.toString(index));
            Json.with(meta, "labels").put(INDEX, Integer.toString(index));
            if (perIndexLimit().isPresent()) {
                long failures = owned.stream().filter(p -> indexOf(p) == index && "Failed".equals(Pods.phase(p))).count();
                Json.with(meta, "annotations").put(FAILURE_COUNT, Long.toString(failures));
            }
            ObjectNode podSpec = Json.with(pod, "spec");
            if (!podSpec.hasNonNull("hostname")) {
                podSpec.put("hostname", name + "-" + index);
            }
            for (String list : new String[] {"initContainers", "containers"}) {
                for (JsonNode c : podSpec.path(list)) {
                    addIndexEnv((ObjectNode) c);
                }
            }
        }
        try {
            ObjectNode created = api.create(pods, ns, pod, MANAGER);
            owned.add(created.deepCopy());
            recorder.record(job, null, "Normal", "SuccessfulCreate", "Created pod: " + created.path("metadata").path("name").asText());
            return true;
        } catch (ApiException e) {
            if (!PodTemplates.namespaceTerminating(e)) {
                recorder.record(job, null, "Warning", "FailedCreate", "Error creating: " + e.getMessage());
            }
            return false;
        }
    }

    private static void addIndexEnv(ObjectNode container) {
        for (JsonNode e : container.path("env")) {
            if ("JOB_COMPLETION_INDEX".equals(e.path("name").asText())) {
                return;
            }
        }
        ObjectNode env = container.withArray("env").addObject();
        env.put("name", "JOB_COMPLETION_INDEX");
        env.putObject("valueFrom").putObject("fieldRef").put("fieldPath", "metadata.annotations['" + INDEX + "']");
    }

    private void deleteAll(List<JsonNode> victims, String why) {
        for (JsonNode pod : victims) {
            String podName = pod.path("metadata").path("name").asText();
            try {
                api.delete(pods, ns, podName, DeleteOptions.ifUid(pod.path("metadata").path("uid").asText()));
                recorder.record(job, null, "Normal", "SuccessfulDelete", "Deleted pod: " + podName);
                api.find(pods, ns, podName).ifPresent(p -> replace(p.deepCopy()));
            } catch (ApiException e) {
                if (e.code() != 404 && e.code() != 409) {
                    throw e;
                }
            }
        }
    }

    private void replace(ObjectNode pod) {
        for (int i = 0; i < owned.size(); i++) {
            if (owned.get(i).path("metadata").path("uid").equals(pod.path("metadata").path("uid"))) {
                owned.set(i, pod);
            }
        }
    }

    private static Duration earlier(Duration a, Duration b) {
        if (a == null) {
            return b;
        }
        return b == null || a.compareTo(b) <= 0 ? a : b;
    }

    // ------------------------------------------------------------------ status

    private ObjectNode statusCopy() {
        return job.path("status").isObject() ? ((ObjectNode) job.get("status")).deepCopy() : Json.object();
    }

    private void writeStatus(ObjectNode status) {
        if (status.equals(job.path("status"))) {
            return;
        }
        String uid = job.path("metadata").path("uid").asText();
        job = api.mutate(jobs, ns, name, null, MANAGER, c -> {
            if (!uid.equals(c.path("metadata").path("uid").asText())) {
                throw ApiException.conflict(jobs, name, "the Job was replaced");
            }
            c.set("status", status.deepCopy());
            return c;
        }, KubeApi.Target.STATUS).deepCopy();
    }
}
