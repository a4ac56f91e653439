package dev.kubetest.core.events;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * client-go's event spam filter (EventSourceObjectSpamFilter): each source may record about each object a burst of
 * 25 events, then one every 5 minutes (a token bucket refilled on the cluster's clock); the rest are dropped. The
 * buckets live in an LRU of 4,096 objects, as upstream's.
 */
final class SpamFilter {
    static final int BURST = 25;
    static final Duration REFILL = Duration.ofMinutes(5);
    private static final int CACHE = 4096;

    private record Bucket(double tokens, Instant at) {}

    private final Map<String, Bucket> buckets = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Bucket> eldest) {
            return size() > CACHE;
        }
    };

    /** Whether an event about {@code objectKey} at {@code now} may be written (and takes its token). */
    synchronized boolean allow(String objectKey, Instant now) {
        Bucket b = buckets.get(objectKey);
        double tokens = b == null ? BURST : refill(b.tokens(), Duration.between(b.at(), now));
        if (tokens < 1) {
            buckets.put(objectKey, new Bucket(tokens, now));
            return false;
        }
        buckets.put(objectKey, new Bucket(tokens - 1, now));
        return true;
    }

    /** Pure: the tokens of a bucket holding {@code tokens} after {@code elapsed}, at one per {@link #REFILL}, at most {@link #BURST}. */
    static double refill(double tokens, Duration elapsed) {
        if (elapsed.isNegative()) {
            return tokens;
        }
        return Math.min(BURST, tokens + elapsed.toMillis() / (double) REFILL.toMillis());
    }
}
