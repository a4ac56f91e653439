package dev.kubetest.apiserver.protobuf;

/** Go's {@code time.Duration.String()} form ({@code 1h0m0s}, {@code 1.5s}, {@code 300ms}) for a count of nanoseconds. */
public final class GoDuration {
    private GoDuration() {}

    public static String format(long nanos) {
        if (nanos == 0) {
            return "0s";
        }
        StringBuilder sb = new StringBuilder();
        if (nanos < 0) {
            sb.append('-');
            nanos = -nanos;
        }
        if (nanos < 1_000_000_000L) {
            if (nanos < 1_000) {
                return sb.append(nanos).append("ns").toString();
            } else if (nanos < 1_000_000) {
                return sb.append(trim(nanos / 1e3)).append("µs").toString();
            }
            return sb.append(trim(nanos / 1e6)).append("ms").toString();
        }
        long hours = nanos / 3_600_000_000_000L;
        long rest = nanos % 3_600_000_000_000L;
        long minutes = rest / 60_000_000_000L;
        long secNanos = rest % 60_000_000_000L;
        if (hours > 0) {
            sb.append(hours).append('h');
        }
        if (hours > 0 || minutes > 0) {
            sb.append(minutes).append('m');
        }
        sb.append(trim(secNanos / 1e9)).append('s');
        return sb.toString();
    }

    private static String trim(double v) {
        String s = new java.math.BigDecimal(v).setScale(9, java.math.RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
        return s;
    }
}
