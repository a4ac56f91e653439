package dev.kubetest.assertions.error;

import org.assertj.core.error.BasicErrorMessageFactory;

/** A Job or CronJob count (succeeded, failed, active) that is not the expected one. */
public final class ShouldHaveCount extends BasicErrorMessageFactory {
    private ShouldHaveCount(String format, Object... arguments) {
        super(format, arguments);
    }

    public static ShouldHaveCount shouldHaveCount(String object, String which, String expected, int actual, String status) {
        return new ShouldHaveCount("%nExpecting %s to have %s %s, but it has %s. Now: %s.", unquotedString(object), unquotedString(expected), unquotedString(which), actual, unquotedString(status));
    }
}
