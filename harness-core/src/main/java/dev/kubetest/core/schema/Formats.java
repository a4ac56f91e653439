package dev.kubetest.core.schema;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

/** The OpenAPI string formats the API server checks in custom resources. Pure. */
final class Formats {
    private static final Pattern UUID = Pattern.compile("[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+");
    private static final Pattern HOSTNAME = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final Pattern IPV4 = Pattern.compile("((25[0-5]|2[0-4]\\d|1?\\d?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1?\\d?\\d)");
    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");

    private Formats() {}

    static boolean valid(String format, String text) {
        return switch (format) {
            case "date-time", "datetime" -> {
                try {
                    OffsetDateTime.parse(text);
                    yield true;
                } catch (DateTimeParseException e) {
                    yield false;
                }
            }
            case "date" -> DATE.matcher(text).matches();
            case "uuid" -> UUID.matcher(text).matches();
            case "email" -> EMAIL.matcher(text).matches();
            case "hostname" -> HOSTNAME.matcher(text).matches() && text.length() <= 253;
            case "ipv4" -> IPV4.matcher(text).matches();
            case "byte" -> text.matches("[A-Za-z0-9+/]*={0,2}");
            default -> true;
        };
    }
}
