package dev.kubetest.assertions.error;

import org.assertj.core.error.BasicErrorMessageFactory;

/** An object whose condition is missing or has another status or reason. */
public final class ShouldHaveCondition extends BasicErrorMessageFactory {
    private ShouldHaveCondition(String format, Object... arguments) {
        super(format, arguments);
    }

    public static ShouldHaveCondition shouldHaveCondition(String object, String expected, String actual, String status) {
        return new ShouldHaveCondition("%nExpecting %s to have condition %s, but it has %s. Now: %s.", unquotedString(object), unquotedString(expected), unquotedString(actual), unquotedString(status));
    }
}
