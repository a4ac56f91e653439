package dev.kubetest.core.cron;

import java.time.Instant;
import java.util.Optional;

/**
 * Which scheduled time a CronJob should start now, as upstream's mostRecentScheduleTime: the activations after
 * the last scheduled time (or the CronJob's creation), no earlier than {@code now - startingDeadlineSeconds}; only
 * the most recent one that is due starts; more than 100 of them is "too many" (a warning). Pure.
 */
public final class MissedSchedules {
    /** The scheduled time to start (empty when none is due) and how many were due. */
    public record Due(Optional<Instant> mostRecent, int count) {
        public boolean tooMany() {
            return count > 100;
        }
    }

    /** Stepping stops here; a count this high is "too many" either way. */
    private static final int MAX_STEPS = 100_000;

    private MissedSchedules() {}

    public static Due due(CronSchedule schedule, Instant earliest, Long startingDeadlineSeconds, Instant now) {
        Instant from = earliest;
        if (startingDeadlineSeconds != null) {
            Instant deadline = now.minusSeconds(startingDeadlineSeconds);
            if (deadline.isAfter(from)) {
                from = deadline;
            }
        }
        Instant mostRecent = null;
        int count = 0;
        for (Optional<Instant> t = schedule.next(from); t.isPresent() && !t.get().isAfter(now) && count < MAX_STEPS;
             t = schedule.next(t.get())) {
            mostRecent = t.get();
            count++;
        }
        return new Due(Optional.ofNullable(mostRecent), count);
    }
}
