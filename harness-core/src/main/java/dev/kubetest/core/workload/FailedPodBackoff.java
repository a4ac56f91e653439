package dev.kubetest.core.workload;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The DaemonSet controller's back-off for deleting failed daemon pods, per set and node, as upstream's
 * flowcontrol.Backoff (1 s doubling to 15 min): the first failure is deleted at once, a failure within the current
 * back-off since the last deletion waits for it, and an entry untouched for twice the maximum starts over. This
 * keeps a pod the kubelet keeps failing from being re-created in a hot loop.
 */
final class FailedPodBackoff {
    static final Duration INITIAL = Duration.ofSeconds(1);
    static final Duration MAX = Duration.ofMinutes(15);

    private record Entry(Duration backoff, Instant lastUpdate) {}

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    /** How long deleting the failed pod under this key must still wait; zero when it may go now. */
    Duration remaining(String key, Instant now) {
        Entry e = entries.get(key);
        if (e == null || expired(e, now)) {
            return Duration.ZERO;
        }
        Duration since = Duration.between(e.lastUpdate(), now);
        return since.compareTo(e.backoff()) < 0 ? e.backoff().minus(since) : Duration.ZERO;
    }

    /** Records a deletion under this key now: the next one waits twice as long (capped). */
    void next(String key, Instant now) {
        entries.compute(key, (k, e) -> e == null || expired(e, now) ? new Entry(INITIAL, now)
                : new Entry(min(e.backoff().multipliedBy(2), MAX), now));
    }

    /** Forgets every entry of a set (prefix {@code namespace/name/}). */
    void forget(String setKey) {
        entries.keySet().removeIf(k -> k.startsWith(setKey + "/"));
    }

    private static boolean expired(Entry e, Instant now) {
        return Duration.between(e.lastUpdate(), now).compareTo(MAX.multipliedBy(2)) > 0;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
