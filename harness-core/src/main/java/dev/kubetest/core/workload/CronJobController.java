package dev.kubetest.core.workload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubetest.core.api.KubeApi;
import dev.kubetest.core.controller.ObjectKeys;
import dev.kubetest.core.controller.QueueController;
import dev.kubetest.core.controller.ResourceEvents;
import dev.kubetest.core.events.EventRecorder;
import dev.kubetest.core.cron.CronSchedule;
import dev.kubetest.core.cron.MissedSchedules;
import dev.kubetest.core.json.Json;
import dev.kubetest.core.meta.ApiException;
import dev.kubetest.core.meta.DeleteOptions;
import dev.kubetest.core.meta.ListOptions;
import dev.kubetest.core.meta.ResourceType;
import dev.kubetest.core.meta.WriteOptions;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The CronJob controller, as kube-controller-manager's (v2): on the cluster clock, it notes the Jobs that finished
 * (SawCompletedJob, lastSuccessfulTime), starts the most recent due run (Job {@code <cronjob>-<minutes since the
 * epoch>}) unless it is past startingDeadlineSeconds (MissSchedule) or concurrencyPolicy forbids it (Forbid skips,
 * Replace deletes the running Jobs first), keeps {@code status.active} and {@code lastScheduleTime}, removes
 * finished Jobs beyond the history limits, and comes back at the next scheduled time.
 */
public final class CronJobController extends QueueController<String> {
    public static final String NAME = "cronjob";
    private static final WriteOptions MANAGER = WriteOptions.manager("kube-controller-manager");
    static final String SCHEDULED_TIMESTAMP = "batch.kubernetes.io/cronjob-scheduled-timestamp";

    private final KubeApi api;
    private final ResourceEvents events;
    private final ResourceType cronJobs;
    private final ResourceType jobs;
    private final EventRecorder recorder;

    public CronJobController(KubeApi api, ResourceEvents events) {
        super(api.clock());
        this.api = api;
        this.events = events;
        this.cronJobs = api.registry().find("batch", "v1", "cronjobs").orElseThrow();
        this.jobs = api.registry().find("batch", "v1", "jobs").orElseThrow();
        this.recorder = new EventRecorder(api, "cronjob-controller", null);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    protected void watch() {
        events.addListener(cronJobs, (type, eventType, cj) -> queue.add(ObjectKeys.of(cj)));
        events.addListener(jobs, (type, eventType, job) -> ControllerRefs.of(job)
                .filter(ref -> "CronJob".equals(ref.path("kind").asText()))
                .ifPresent(ref -> queue.add(ObjectKeys.of(job.path("metadata").path("namespace").asText(),
                        ref.path("name").asText()))));
    }

    @Override
    protected Result reconcile(String key) {
        String ns = ObjectKeys.namespace(key);
        ObjectNode cj = api.find(cronJobs, ns, ObjectKeys.name(key)).orElse(null);
        if (cj == null) {
            return Result.DONE;
        }
        String uid = cj.path("metadata").path("uid").asText();
        List<ObjectNode> owned = api.lists().list(jobs, ns, ListOptions.all()).items().stream()
                .filter(j -> ControllerRefs.uidOf(j).equals(uid)).toList();
        ObjectNode status = cj.path("status").isObject() ? ((ObjectNode) cj.get("status")).deepCopy() : Json.object();
        noteFinished(cj, status, owned);
        Duration requeue = null;
        if (!cj.path("metadata").hasNonNull("deletionTimestamp") && !cj.path("spec").path("suspend").asBoolean(false)) {
            requeue = schedule(cj, status, owned);
        }
        // as upstream, the history is trimmed before the status is written, so that a client that sees no active
        // Job no longer sees the Jobs beyond the limits
        cleanupHistory(cj, owned);
        writeStatus(cj, status);
        return requeue == null ? Result.DONE : Result.requeueAfter(requeue);
    }

    /** Drops finished or vanished Jobs from {@code status.active}, with SawCompletedJob and lastSuccessfulTime. */
    private void noteFinished(ObjectNode cj, ObjectNode status, List<ObjectNode> owned) {
        ArrayNode kept = status.arrayNode();
        for (JsonNode ref : status.path("active")) {
            Optional<ObjectNode> job = owned.stream()
                    .filter(j -> j.path("metadata").path("uid").asText().equals(ref.path("uid").asText())).findFirst();
            if (job.isEmpty()) {
                continue;
            }
            JsonNode jobStatus = job.get().path("status");
            if (JobConditions.finished(jobStatus)) {
                String result = JobConditions.isTrue(jobStatus, "Complete") ? "Complete" : "Failed";
                recorder.record(cj, null, "Normal", "SawCompletedJob",
                        "Saw completed job: " + ref.path("name").asText() + ", status: " + result);
                if (result.equals("Complete") && jobStatus.hasNonNull("completionTime")) {
                    Instant done = Instant.parse(jobStatus.get("completionTime").asText());
                    String last = status.path("lastSuccessfulTime").asText("");
                    if (last.isEmpty() || done.isAfter(Instant.parse(last))) {
                        status.put("lastSuccessfulTime", KubeApi.timestamp(done));
                    }
                }
            } else {
                kept.add(ref);
            }
        }
        // running Jobs it owns that the list lacks (a status write lost in a race) are active too
        for (ObjectNode job : owned) {
            if (!JobConditions.finished(job.path("status")) && !job.path("metadata").hasNonNull("deletionTimestamp")
                    && !hasRef(kept, job)) {
                kept.add(reference(job));
            }
        }
        if (kept.isEmpty()) {
            status.remove("active");
        } else {
            status.set("active", kept);
        }
    }

    private static boolean hasRef(JsonNode active, JsonNode job) {
        for (JsonNode ref : active) {
            if (ref.path("uid").asText().equals(job.path("metadata").path("uid").asText())) {
                return true;
            }
        }
        return false;
    }

    /** Starts the due run if it may start; the time until the next scheduled one. */
    private Duration schedule(ObjectNode cj, ObjectNode status, List<ObjectNode> owned) {
        JsonNode spec = cj.path("spec");
        ZoneId zone;
        CronSchedule schedule;
        try {
            zone = spec.hasNonNull("timeZone") ? ZoneId.of(spec.get("timeZone").asText()) : ZoneOffset.UTC;
        } catch (RuntimeException e) {
            recorder.record(cj, null, "Warning", "UnknownTimeZone", "invalid timeZone: \"" + spec.path("timeZone").asText()
                    + "\": " + e.getMessage());
            return null;
        }
        try {
            schedule = CronSchedule.parse(spec.path("schedule").asText(), zone);
        } catch (RuntimeException e) {
            recorder.record(cj, null, "Warning", "InvalidSchedule", "invalid schedule: " + spec.path("schedule").asText()
                    + " : " + e.getMessage());
            return null;
        }
        Instant now = api.clock().now();
        String last = status.path("lastScheduleTime").asText("");
        Instant earliest = last.isEmpty() ? Instant.parse(cj.path("metadata").path("creationTimestamp").asText()) : Instant.parse(last);
        Long deadline = spec.path("startingDeadlineSeconds").isNumber() ? spec.get("startingDeadlineSeconds").asLong() : null;
        MissedSchedules.Due due = MissedSchedules.due(schedule, earliest, deadline, now);
        if (due.tooMany()) {
            recorder.record(cj, null, "Warning", "TooManyMissedTimes",
                    "too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew");
        }
        if (due.mostRecent().isPresent()) {
            Instant scheduled = due.mostRecent().get();
            if (deadline != null && scheduled.plusSeconds(deadline).isBefore(now)) {
                // upstream's check, kept as it is: the search above already starts at now - deadline
                recorder.record(cj, null, "Warning", "MissSchedule", "Missed scheduled time to start a job: "
                        + DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.ofInstant(scheduled, ZoneOffset.UTC)));
            } else {
                start(cj, status, owned, scheduled, zone);
            }
        }
        return schedule.next(now).map(t -> Duration.between(now, t).plusMillis(100)).orElse(null);
    }

    private void start(ObjectNode cj, ObjectNode status, List<ObjectNode> owned, Instant scheduled, ZoneId zone) {
        String jobName = cj.path("metadata").path("name").asText() + "-" + scheduled.getEpochSecond() / 60;
        String last = status.path("lastScheduleTime").asText("");
        if (hasName(status.path("active"), jobName) || (!last.isEmpty() && !Instant.parse(last).isBefore(scheduled))) {
            return;
        }
        String policy = cj.path("spec").path("concurrencyPolicy").asText("Allow");
        if ("Forbid".equals(policy) && status.path("active").size() > 0) {
            recorder.record(cj, null, "Normal", "JobAlreadyActive",
                    "Not starting job because prior execution is running and concurrency policy is Forbid");
            return;
        }
        if ("Replace".equals(policy)) {
            for (JsonNode ref : status.path("active")) {
                api.deleteIfPresent(jobs, cj.path("metadata").path("namespace").asText(), ref.path("name").asText(),
                        DeleteOptions.ifUid(ref.path("uid").asText()).withPropagation("Background"));
                recorder.record(cj, null, "Normal", "SuccessfulDelete", "Deleted job " + ref.path("name").asText());
            }
            status.remove("active");
        }
        ObjectNode job = jobFor(cj, jobName, scheduled, zone);
        ObjectNode created;
        try {
            created = api.create(jobs, cj.path("metadata").path("namespace").asText(), job, MANAGER);
            recorder.record(cj, null, "Normal", "SuccessfulCreate", "Created job " + jobName);
        } catch (ApiException e) {
            if (e.code() != 409) {
                recorder.record(cj, null, "Warning", "FailedCreate", "Error creating job: " + e.getMessage());
                throw e;
            }
            // created before (a status write lost): it is this run's Job if this CronJob owns it
            created = owned.stream().filter(j -> j.path("metadata").path("name").asText().equals(jobName)).findFirst()
                    .orElse(null);
            if (created == null) {
                recorder.record(cj, null, "Warning", "UnexpectedJob", "Saw a job that the controller did not create or "
                        + "forgot: " + jobName);
                return;
            }
        }
        if (!JobConditions.finished(created.path("status")) && !hasRef(status.path("active"), created)) {
            status.withArray("active").add(reference(created));
        }
        status.put("lastScheduleTime", KubeApi.timestamp(scheduled));
    }

    private static boolean hasName(JsonNode active, String name) {
        for (JsonNode ref : active) {
            if (name.equals(ref.path("name").asText())) {
                return true;
            }
        }
        return false;
    }

    /** A Job from the template: its labels and annotations, the scheduled-time annotation, owned by the CronJob. */
    static ObjectNode jobFor(JsonNode cj, String name, Instant scheduled, ZoneId zone) {
        JsonNode template = cj.path("spec").path("jobTemplate");
        ObjectNode job = Json.object();
        job.put("apiVersion", "batch/v1");
        job.put("kind", "Job");
        ObjectNode meta = job.putObject("metadata");
        meta.put("name", name);
        for (String field : new String[] {"labels", "annotations"}) {
            if (template.path("metadata").path(field).isObject()) {
                meta.set(field, template.path("metadata").get(field).deepCopy());
            }
        }
        Json.with(meta, "annotations").put(SCHEDULED_TIMESTAMP,
                ZonedDateTime.ofInstant(scheduled, zone).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        meta.putArray("ownerReferences").add(ControllerRefs.to(cj, "batch/v1", "CronJob"));
        job.set("spec", template.path("spec").isObject() ? template.get("spec").deepCopy() : Json.object());
        return job;
    }

    private static ObjectNode reference(JsonNode job) {
        ObjectNode ref = Json.object();
        ref.put("apiVersion", "batch/v1");
        ref.put("kind", "Job");
        ref.put("name", job.path("metadata").path("name").asText());
        ref.put("namespace", job.path("metadata").path("namespace").asText());
        ref.put("uid", job.path("metadata").path("uid").asText());
        ref.put("resourceVersion", job.path("metadata").path("resourceVersion").asText());
        return ref;
    }

    private void writeStatus(ObjectNode cj, ObjectNode status) {
        if (status.equals(cj.path("status"))) {
            return;
        }
        String uid = cj.path("metadata").path("uid").asText();
        String name = cj.path("metadata").path("name").asText();
        api.mutate(cronJobs, cj.path("metadata").path("namespace").asText(), name, null, MANAGER, c -> {
            if (!uid.equals(c.path("metadata").path("uid").asText())) {
                throw ApiException.conflict(cronJobs, name, "the CronJob was replaced");
            }
            c.set("status", status.deepCopy());
            return c;
        }, KubeApi.Target.STATUS);
    }

    /** Deletes the oldest finished Jobs beyond successfulJobsHistoryLimit and failedJobsHistoryLimit. */
    private void cleanupHistory(ObjectNode cj, List<ObjectNode> owned) {
        JsonNode spec = cj.path("spec");
        trim(cj, owned.stream().filter(j -> JobConditions.isTrue(j.path("status"), "Complete")).toList(),
                spec.path("successfulJobsHistoryLimit"));
        trim(cj, owned.stream().filter(j -> JobConditions.isTrue(j.path("status"), "Failed")).toList(),
                spec.path("failedJobsHistoryLimit"));
    }

    private void trim(ObjectNode cj, List<ObjectNode> finished, JsonNode limit) {
        if (!limit.isNumber() || finished.size() <= limit.asInt()) {
            return;
        }
        List<ObjectNode> oldestFirst = new ArrayList<>(finished);
        oldestFirst.sort(Comparator.comparing((ObjectNode j) -> j.path("status").path("startTime").asText(
                j.path("metadata").path("creationTimestamp").asText())));
        for (ObjectNode job : oldestFirst.subList(0, finished.size() - limit.asInt())) {
            if (job.path("metadata").hasNonNull("deletionTimestamp")) {
                continue;
            }
            String name = job.path("metadata").path("name").asText();
            if (api.deleteIfPresent(jobs, job.path("metadata").path("namespace").asText(), name,
                    DeleteOptions.ifUid(job.path("metadata").path("uid").asText()).withPropagation("Background"))) {
                recorder.record(cj, null, "Normal", "SuccessfulDelete", "Deleted job " + name);
            }
        }
    }
}
