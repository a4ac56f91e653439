package dev.kubetest.core.scheduler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubetest.core.clock.Clock;
import dev.kubetest.core.controller.WorkQueue;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * kube-scheduler's unschedulable pool: pods that did not fit wait here, out of the queue, until a cluster event
 * could change that ({@link #wakeAll}, or {@link #wakeInterPod} for those that failed on inter-pod affinity or
 * spreading), their own spec or labels change, or they have waited {@link #FLUSH_AFTER} (checked every
 * {@link #FLUSH_PERIOD}); a woken pod goes back to the queue once its back-off (1 s doubling per attempt to 10 s)
 * has passed. So nothing is retried while nothing changes.
 */
final class UnschedulablePods {
    static final Duration INITIAL_BACKOFF = Duration.ofSeconds(1);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(10);
    static final Duration FLUSH_AFTER = Duration.ofMinutes(5);
    static final Duration FLUSH_PERIOD = Duration.ofSeconds(30);

    /** A parked pod: its attempts so far, when it was parked, and what of it scheduling read. */
    private record Parked(int attempts, Instant since, JsonNode spec, JsonNode labels, boolean interPod) {}

    private final Clock clock;
    private final WorkQueue<String> queue;
    private final Map<String, Parked> parked = new ConcurrentHashMap<>();
    /** Attempts of pods that are back in the queue, kept for their next back-off. */
    private final Map<String, Integer> attempts = new ConcurrentHashMap<>();
    private volatile boolean closed;

    UnschedulablePods(Clock clock, WorkQueue<String> queue) {
        this.clock = clock;
        this.queue = queue;
    }

    /** Parks {@code pod} after a failed attempt. */
    void park(String key, ObjectNode pod, boolean interPod) {
        int n = attempts.merge(key, 1, Integer::sum);
        parked.put(key, new Parked(n, clock.now(), pod.path("spec"), pod.path("metadata").path("labels"), interPod));
    }

    /** Whether {@code key} is parked and {@code pod} changed nothing scheduling reads (a status write, say). */
    boolean parkedWithSame(String key, JsonNode pod) {
        Parked p = parked.get(key);
        return p != null && p.spec().equals(pod.path("spec")) && p.labels().equals(pod.path("metadata").path("labels"));
    }

    /** Sends {@code key} to the queue: at once when it is not parked, else after what is left of its back-off. */
    void wake(String key) {
        wake(java.util.List.of(key));
    }

    /**
     * Sends {@code keys} back to the queue: those whose back-off has passed together (so that the queue's priority
     * order chooses among them all), the others when theirs passes.
     */
    private void wake(java.util.Collection<String> keys) {
        java.util.List<String> now = new java.util.ArrayList<>();
        Instant t = clock.now();
        for (String key : keys) {
            Parked p = parked.remove(key);
            Duration left = p == null ? Duration.ZERO : Duration.between(t, p.since().plus(backoff(p.attempts())));
            if (left.isZero() || left.isNegative()) {
                now.add(key);
            } else {
                queue.addAfter(key, left);
            }
        }
        if (!now.isEmpty()) {
            queue.addAll(now);
        }
    }

    /** A cluster event that could make any parked pod fit. */
    void wakeAll() {
        wake(java.util.List.copyOf(parked.keySet()));
    }

    /** An assigned pod came or changed its labels: pods that failed on inter-pod rules may fit now. */
    void wakeInterPod() {
        java.util.List<String> keys = new java.util.ArrayList<>();
        parked.forEach((key, p) -> {
            if (p.interPod()) {
                keys.add(key);
            }
        });
        wake(keys);
    }

    /** The pod is scheduled, deleted or no longer ours. */
    void forget(String key) {
        parked.remove(key);
        attempts.remove(key);
    }

    /** Starts the periodic flush of pods parked for {@link #FLUSH_AFTER}; closing it stops it. */
    AutoCloseable startFlush() {
        Clock.Timer[] timer = new Clock.Timer[1];
        Runnable[] tick = new Runnable[1];
        tick[0] = () -> {
            if (closed) {
                return;
            }
            Instant now = clock.now();
            java.util.List<String> due = new java.util.ArrayList<>();
            parked.forEach((key, p) -> {
                if (!p.since().plus(FLUSH_AFTER).isAfter(now)) {
                    due.add(key);
                }
            });
            wake(due);
            timer[0] = clock.scheduleBackground(FLUSH_PERIOD, tick[0]);
        };
        timer[0] = clock.scheduleBackground(FLUSH_PERIOD, tick[0]);
        return () -> {
            closed = true;
            if (timer[0] != null) {
                timer[0].cancel();
            }
        };
    }

    /** Pure: the back-off after {@code attempts} failed attempts, 1 s doubling to 10 s, as upstream's podBackoffQ. */
    static Duration backoff(int attempts) {
        return WorkQueue.backoff(INITIAL_BACKOFF, MAX_BACKOFF, attempts);
    }

    /**
     * Pure: what the scheduler reads of a node (its spec, labels, allocatable and capacity, condition statuses),
     * as a string: a heartbeat (new condition times) leaves it unchanged.
     */
    static String schedulingView(JsonNode node) {
        StringBuilder b = new StringBuilder();
        b.append(node.path("spec")).append('|').append(node.path("metadata").path("labels")).append('|')
                .append(node.path("status").path("allocatable")).append('|').append(node.path("status").path("capacity"));
        for (JsonNode c : node.path("status").path("conditions")) {
            b.append('|').append(c.path("type").asText()).append('=').append(c.path("status").asText());
        }
        return b.toString();
    }
}
