package dev.kubetest.runtime.shell;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

/** {@code date +FORMAT} in UTC: %s (seconds since the epoch), %Y %m %d %H %M %S %N, %F, %T and %%; others kept as written. */
final class DateFormat {
    private DateFormat() {}

    static String format(String format, Instant at) {
        ZonedDateTime t = at.atZone(ZoneOffset.UTC);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < format.length(); i++) {
            char c = format.charAt(i);
            if (c != '%' || i + 1 == format.length()) {
                out.append(c);
                continue;
            }
            char f = format.charAt(++i);
            switch (f) {
                case 's' -> out.append(at.getEpochSecond());
                case 'Y' -> out.append(t.getYear());
                case 'm' -> out.append(String.format("%02d", t.getMonthValue()));
                case 'd' -> out.append(String.format("%02d", t.getDayOfMonth()));
                case 'H' -> out.append(String.format("%02d", t.getHour()));
                case 'M' -> out.append(String.format("%02d", t.getMinute()));
                case 'S' -> out.append(String.format("%02d", t.getSecond()));
                case 'N' -> out.append(String.format("%09d", t.getNano()));
                case 'F' -> out.append(format("%Y-%m-%d", at));
                case 'T' -> out.append(format("%H:%M:%S", at));
                case '%' -> out.append('%');
                default -> out.append('%').append(f);
            }
        }
        return out.toString();
    }
}
