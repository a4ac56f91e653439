package dev.kubetest.assertions.error;

import org.assertj.core.error.BasicErrorMessageFactory;

/** A workload with another number of replicas in some state than expected. */
public final class ShouldHaveReplicas extends BasicErrorMessageFactory {
    private ShouldHaveReplicas(String format, Object... arguments) {
        super(format, arguments);
    }

    public static ShouldHaveReplicas shouldHaveReplicas(String object, String which, int expected, int actual, String status) {
        return new ShouldHaveReplicas("%nExpecting %s to have %s %s replicas, but it has %s. Now: %s.", unquotedString(object), expected, unquotedString(which), actual, unquotedString(status));
    }
}
