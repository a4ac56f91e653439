package dev.kubetest.core.cron;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Optional;

/**
 * A CronJob's schedule: five fields (minute, hour, day of month, month, day of week) with ranges, lists, steps,
 * month and day names and the {@code @yearly}/{@code @monthly}/{@code @weekly}/{@code @daily}/{@code @hourly}
 * macros (expanded here as upstream's parser expands them), parsed by cron-utils' Unix definition, in a time zone.
 * A {@code ?} (which upstream's parser takes for "any" in the day fields) is read as {@code *}. Upstream's
 * {@code @every <duration>} is not supported.
 */
public final class CronSchedule {
    private static final CronParser PARSER = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
    /** The macros as upstream's parser expands them (cron-utils' Unix definition has none). */
    private static final java.util.Map<String, String> MACROS = java.util.Map.of(
            "@yearly", "0 0 1 1 *", "@annually", "0 0 1 1 *", "@monthly", "0 0 1 * *", "@weekly", "0 0 * * 0",
            "@daily", "0 0 * * *", "@midnight", "0 0 * * *", "@hourly", "0 * * * *");

    private final ExecutionTime times;
    private final ZoneId zone;

    private CronSchedule(ExecutionTime times, ZoneId zone) {
        this.times = times;
        this.zone = zone;
    }

    /** The schedule, or an IllegalArgumentException with the parser's complaint. */
    public static CronSchedule parse(String spec, ZoneId zone) {
        String text = spec.trim();
        if (text.startsWith("TZ=") || text.startsWith("CRON_TZ=")) {
            throw new IllegalArgumentException("cannot use TZ or CRON_TZ in schedule, use timeZone field instead");
        }
        text = MACROS.getOrDefault(text.toLowerCase(java.util.Locale.ROOT), text);
        String[] fields = text.split("\\s+");
        if (fields.length == 5) {
            fields[2] = fields[2].replace("?", "*");
            fields[4] = fields[4].replace("?", "*");
            text = String.join(" ", fields);
        }
        Cron cron = PARSER.parse(text);
        cron.validate();
        return new CronSchedule(ExecutionTime.forCron(cron), zone);
    }

    /** The first activation strictly after {@code after}. */
    public Optional<Instant> next(Instant after) {
        return times.nextExecution(ZonedDateTime.ofInstant(after, zone)).map(ZonedDateTime::toInstant);
    }
}
