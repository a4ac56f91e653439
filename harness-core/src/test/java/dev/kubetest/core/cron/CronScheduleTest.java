package dev.kubetest.core.cron;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The schedules upstream's cron parser takes, and when they fire. */
class CronScheduleTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "*/1 * * * *       | 2026-01-01T00:00:30Z | 2026-01-01T00:01:00Z",
            "*/15 * * * *      | 2026-01-01T00:15:00Z | 2026-01-01T00:30:00Z",
            "0 3 * * *         | 2026-01-01T04:00:00Z | 2026-01-02T03:00:00Z",
            "30 2 1-5 * *      | 2026-01-05T02:30:00Z | 2026-02-01T02:30:00Z",
            "0 0 * JAN,jul *   | 2026-01-31T12:00:00Z | 2026-07-01T00:00:00Z",
            "0 9 * * MON-FRI   | 2026-01-02T10:00:00Z | 2026-01-05T09:00:00Z",
            "0 0 13 * 5        | 2026-02-06T00:00:00Z | 2026-02-13T00:00:00Z",
            "0 0 13 * 5        | 2026-02-13T00:00:00Z | 2026-02-20T00:00:00Z",
            "5-20/5 * * * *    | 2026-01-01T00:12:00Z | 2026-01-01T00:15:00Z",
            "0 0 ? * SUN       | 2026-01-01T00:00:00Z | 2026-01-04T00:00:00Z",
            "@hourly           | 2026-01-01T00:00:00Z | 2026-01-01T01:00:00Z",
            "@daily            | 2026-01-01T00:00:01Z | 2026-01-02T00:00:00Z",
            "@weekly           | 2026-01-01T00:00:00Z | 2026-01-04T00:00:00Z",
            "@monthly          | 2026-01-15T00:00:00Z | 2026-02-01T00:00:00Z",
            "@yearly           | 2026-01-15T00:00:00Z | 2027-01-01T00:00:00Z"})
    void firesWhenUpstreamFires(String spec, String after, String next) {
        assertThat(CronSchedule.parse(spec, ZoneOffset.UTC).next(Instant.parse(after))).contains(Instant.parse(next));
    }

    @ParameterizedTest
    @CsvSource({"0 9 * * *, Europe/Berlin, 2026-01-01T09:00:00Z, 2026-01-02T08:00:00Z",
            "0 9 * * *, America/New_York, 2026-07-01T00:00:00Z, 2026-07-01T13:00:00Z"})
    void aTimeZoneMovesTheClockFace(String spec, String zone, String after, String next) {
        assertThat(CronSchedule.parse(spec, ZoneId.of(zone)).next(Instant.parse(after))).contains(Instant.parse(next));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"* * * *", "61 * * * *", "TZ=UTC * * * * *", "CRON_TZ=UTC 0 * * * *", "* * * * * *"})
    void badSchedulesAreRefused(String spec) {
        assertThatThrownBy(() -> CronSchedule.parse(spec, ZoneOffset.UTC)).isInstanceOf(IllegalArgumentException.class);
    }
}
