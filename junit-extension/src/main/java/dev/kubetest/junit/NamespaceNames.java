package dev.kubetest.junit;

import java.util.Locale;

/**
 * Names of per-test namespaces: the test class and method in DNS-label form ({@code podtest-starts-web}), cut to
 * leave room for a suffix that keeps repeated and parameterized invocations apart, at most 63 characters.
 */
final class NamespaceNames {
    static final int MAX = 63;

    private NamespaceNames() {}

    /** {@code <class>-<method>-<suffix>}: lower case letters, digits and dashes, at most 63 characters. */
    static String of(String className, String methodName, String suffix) {
        String tail = "-" + label(suffix);
        String base = label(className) + "-" + label(methodName);
        base = label(base);
        int room = MAX - tail.length();
        if (base.length() > room) {
            base = base.substring(0, room).replaceAll("-+$", "");
        }
        if (base.isEmpty()) {
            base = "test";
        }
        return base + tail;
    }

    /** Lower case, camel case split by dashes, anything else a dash, no dash at either end or twice in a row. */
    static String label(String s) {
        String dashed = s.replaceAll("([a-z0-9])([A-Z])", "$1-$2").replaceAll("([A-Z])([A-Z][a-z])", "$1-$2")
                .toLowerCase(Locale.ROOT);
        return dashed.replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
    }
}
