package dev.kubetest.core.workload;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/** The pure arithmetic of the Job controller: how many pods to run, the re-creation back-off, indexes. */
public final class JobMath {
    /** Upstream's documented pod re-creation back-off: 10 s, doubling, at most 6 minutes. */
    public static final Duration BACKOFF_BASE = Duration.ofSeconds(10);
    public static final Duration BACKOFF_MAX = Duration.ofMinutes(6);

    private JobMath() {}

    /**
     * The active pods a Job wants: with completions, what is left to succeed up to parallelism; without (a work
     * queue), parallelism until one pod succeeds, then no new ones.
     */
    public static int wantActive(Integer completions, int parallelism, int succeeded, int active) {
        if (completions == null) {
            return succeeded > 0 ? Math.min(active, parallelism) : parallelism;
        }
        return Math.max(0, Math.min(completions - succeeded, parallelism));
    }

    /** The wait before the next pod after {@code failures} failures in a row (none after none). */
    public static Duration backoff(int failures) {
        if (failures <= 0) {
            return Duration.ZERO;
        }
        Duration d = BACKOFF_BASE;
        for (int i = 1; i < failures && d.compareTo(BACKOFF_MAX) < 0; i++) {
            d = d.multipliedBy(2);
        }
        return d.compareTo(BACKOFF_MAX) > 0 ? BACKOFF_MAX : d;
    }

    /** OnFailure: the containers' restarts in the active pods reach the limit (any restart when the limit is 0). */
    public static boolean pastBackoffLimitOnFailure(List<? extends JsonNode> active, int backoffLimit) {
        int restarts = 0;
        for (JsonNode pod : active) {
            for (String field : new String[] {"initContainerStatuses", "containerStatuses"}) {
                for (JsonNode s : pod.path("status").path(field)) {
                    restarts += s.path("restartCount").asInt(0);
                }
            }
        }
        return backoffLimit == 0 ? restarts > 0 : restarts >= backoffLimit;
    }

    /** Indexes as upstream writes completedIndexes: ascending, consecutive runs as ranges ("0-2,5,7-8"). */
    public static String compress(SortedSet<Integer> indexes) {
        List<String> parts = new ArrayList<>();
        Integer start = null;
        Integer prev = null;
        for (int i : indexes) {
            if (start == null) {
                start = i;
            } else if (i != prev + 1) {
                parts.add(range(start, prev));
                start = i;
            }
            prev = i;
        }
        if (start != null) {
            parts.add(range(start, prev));
        }
        return String.join(",", parts);
    }

    private static String range(int from, int to) {
        if (from == to) {
            return Integer.toString(from);
        }
        return from + "-" + to;
    }

    /** The indexes of a completedIndexes string ("0-2,5" is 0, 1, 2, 5); out-of-range ones dropped. */
    public static SortedSet<Integer> parse(String ranges, int completions) {
        SortedSet<Integer> out = new TreeSet<>();
        if (ranges == null || ranges.isBlank()) {
            return out;
        }
        for (String part : ranges.split(",")) {
            String[] bounds = part.trim().split("-");
            try {
                int from = Integer.parseInt(bounds[0]);
                int to = bounds.length > 1 ? Integer.parseInt(bounds[1]) : from;
                for (int i = from; i <= to && i < completions; i++) {
                    out.add(i);
                }
            } catch (NumberFormatException e) {
                // upstream ignores what it cannot read
            }
        }
        return out;
    }

    /** The lowest {@code count} indexes below {@code completions} that are neither done nor running. */
    public static List<Integer> nextIndexes(int completions, SortedSet<Integer> done, java.util.Set<Integer> running, int count) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < completions && out.size() < count; i++) {
            if (!done.contains(i) && !running.contains(i)) {
                out.add(i);
            }
        }
        return out;
    }

    /**
     * A successPolicy rule is met when every index of its {@code succeededIndexes} (all indexes when absent) that
     * succeeded counts to its {@code succeededCount} (all of those indexes when absent).
     */
    public static boolean successRuleMet(com.fasterxml.jackson.databind.JsonNode rule, SortedSet<Integer> done, int completions) {
        SortedSet<Integer> scope = rule.hasNonNull("succeededIndexes")
                ? parse(rule.get("succeededIndexes").asText(), completions) : null;
        long inScope = scope == null ? done.size() : done.stream().filter(scope::contains).count();
        if (rule.hasNonNull("succeededCount")) {
            return inScope >= rule.get("succeededCount").asInt();
        }
        return scope != null && !scope.isEmpty() && done.containsAll(scope);
    }
}
