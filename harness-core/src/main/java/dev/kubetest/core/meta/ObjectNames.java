package dev.kubetest.core.meta;

import java.util.Optional;
import java.util.regex.Pattern;

/** Upstream name validation: DNS-1123 subdomain and label, DNS-1035 label, path segment. Pure functions. */
public final class ObjectNames {
    private static final Pattern LABEL_1123 = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern SUBDOMAIN_1123 =
            Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final Pattern LABEL_1035 = Pattern.compile("[a-z]([-a-z0-9]*[a-z0-9])?");

    /** Which rule a resource's names follow. */
    public enum Rule { SUBDOMAIN, LABEL, DNS1035_LABEL, PATH_SEGMENT, API_SERVICE }

    private ObjectNames() {}

    /** The upstream error message for an invalid {@code name}, or empty when it is valid. */
    public static Optional<String> check(String name, Rule rule) {
        switch (rule) {
            case API_SERVICE: {
                // upstream's ValidateAPIServiceName: version.group, the group possibly empty ("v1.")
                int dot = name.indexOf('.');
                if (dot < 0) {
                    return Optional.of("must be in the form: version.group");
                }
                Optional<String> version = check(name.substring(0, dot), Rule.DNS1035_LABEL);
                if (version.isPresent()) {
                    return version;
                }
                String group = name.substring(dot + 1);
                return group.isEmpty() ? Optional.empty() : check(group, Rule.SUBDOMAIN);
            }
            case PATH_SEGMENT:
                if (name.equals(".") || name.equals("..")) {
                    return Optional.of("may not be '" + name + "'");
                }
                if (name.contains("/") || name.contains("%")) {
                    return Optional.of("may not contain '" + (name.contains("/") ? "/" : "%") + "'");
                }
                return Optional.empty();
            case LABEL:
                if (name.length() > 63) {
                    return Optional.of("must be no more than 63 characters");
                }
                return LABEL_1123.matcher(name).matches() ? Optional.empty() : Optional.of(
                        "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', "
                                + "and must start and end with an alphanumeric character (e.g. 'my-name',  or "
                                + "'123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')");
            case DNS1035_LABEL:
                if (name.length() > 63) {
                    return Optional.of("must be no more than 63 characters");
                }
                return LABEL_1035.matcher(name).matches() ? Optional.empty() : Optional.of(
                        "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with "
                                + "an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  "
                                + "or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')");
            default:
                if (name.length() > 253) {
                    return Optional.of("must be no more than 253 characters");
                }
                return SUBDOMAIN_1123.matcher(name).matches() ? Optional.empty() : Optional.of(
                        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' "
                                + "or '.', and must start and end with an alphanumeric character (e.g. "
                                + "'example.com', regex used for validation is "
                                + "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')");
        }
    }

    /** {@code generateName} plus five random characters from upstream's alphabet, the prefix cut to 58. */
    public static String generate(String prefix, java.util.random.RandomGenerator random) {
        String alphabet = "bcdfghjklmnpqrstvwxz2456789";
        String p = prefix.length() > 58 ? prefix.substring(0, 58) : prefix;
        StringBuilder sb = new StringBuilder(p);
        for (int i = 0; i < 5; i++) {
            sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return sb.toString();
    }
}
