package dev.kubetest.core.workload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubetest.core.api.KubeApi;
import dev.kubetest.core.api.WatchEventType;
import dev.kubetest.core.controller.ObjectKeys;
import dev.kubetest.core.controller.QueueController;
import dev.kubetest.core.controller.ResourceEvents;
import dev.kubetest.core.meta.DeleteOptions;
import dev.kubetest.core.meta.ResourceType;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The TTL-after-finished controller: a Job with {@code ttlSecondsAfterFinished} is deleted (in the foreground, so
 * its pods go first) that many seconds of cluster time after it completed or failed.
 */
public final class TtlAfterFinishedController extends QueueController<String> {
    public static final String NAME = "ttl-after-finished";

    private final KubeApi api;
    private final ResourceEvents events;
    private final ResourceType jobs;

    public TtlAfterFinishedController(KubeApi api, ResourceEvents events) {
        super(api.clock());
        this.api = api;
        this.events = events;
        this.jobs = api.registry().find("batch", "v1", "jobs").orElseThrow();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    protected void watch() {
        events.addListener(jobs, (type, eventType, job) -> {
            if (eventType != WatchEventType.DELETED && job.path("spec").has("ttlSecondsAfterFinished")
                    && JobConditions.finished(job.path("status"))) {
                queue.add(ObjectKeys.of(job));
            }
        });
    }

    /** When the Job finished: its completion time, or the time its Complete or Failed condition became true. */
    static Optional<Instant> finishedAt(JsonNode job) {
        String completion = job.path("status").path("completionTime").asText("");
        if (!completion.isEmpty()) {
            return Optional.of(Instant.parse(completion));
        }
        for (JsonNode c : job.path("status").path("conditions")) {
            String type = c.path("type").asText();
            if ((type.equals("Complete") || type.equals("Failed")) && "True".equals(c.path("status").asText())) {
                return Optional.of(Instant.parse(c.path("lastTransitionTime").asText()));
            }
        }
        return Optional.empty();
    }

    @Override
    protected Result reconcile(String key) {
        ObjectNode job = api.find(jobs, ObjectKeys.namespace(key), ObjectKeys.name(key)).orElse(null);
        if (job == null || job.path("metadata").hasNonNull("deletionTimestamp")
                || !job.path("spec").path("ttlSecondsAfterFinished").isNumber()) {
            return Result.DONE;
        }
        Optional<Instant> finished = finishedAt(job);
        if (finished.isEmpty()) {
            return Result.DONE;
        }
        Instant expires = finished.get().plusSeconds(job.path("spec").path("ttlSecondsAfterFinished").asLong());
        Duration left = Duration.between(api.clock().now(), expires);
        if (left.compareTo(Duration.ZERO) > 0) {
            return Result.requeueAfter(left);
        }
        api.deleteIfPresent(jobs, ObjectKeys.namespace(key), ObjectKeys.name(key),
                DeleteOptions.ifUid(job.path("metadata").path("uid").asText()).withPropagation("Foreground"));
        return Result.DONE;
    }
}
