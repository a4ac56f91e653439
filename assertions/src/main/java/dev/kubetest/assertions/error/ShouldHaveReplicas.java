package dev.kubetest.assertions.error;

import org.assertj.core.error.BasicErrorMessageFactory;

/** A workload with another number of replicas (or, for a DaemonSet, pods) in some state than expected. */
public final class ShouldHaveReplicas extends BasicErrorMessageFactory {
    private ShouldHaveReplicas(String format, Object... arguments) {
        super(format, arguments);
    }

    public static ShouldHaveReplicas shouldHaveReplicas(String object, String which, int expected, int actual, String status) {
        return shouldHaveReplicas(object, which, "replicas", expected, actual, status);
    }

    public static ShouldHaveReplicas shouldHaveReplicas(String object, String which, String unit, int expected, int actual,
                                                        String status) {
        return new ShouldHaveReplicas("%nExpecting %s to have %s %s %s, but it has %s. Now: %s.", unquotedString(object), expected,
                unquotedString(which), unquotedString(unit), actual, unquotedString(status));
    }
}
