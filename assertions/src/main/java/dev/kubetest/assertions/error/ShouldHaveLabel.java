package dev.kubetest.assertions.error;

import org.assertj.core.error.BasicErrorMessageFactory;

/** An object without the expected label or taint. */
public final class ShouldHaveLabel extends BasicErrorMessageFactory {
    private ShouldHaveLabel(String format, Object... arguments) {
        super(format, arguments);
    }

    public static ShouldHaveLabel shouldHaveLabel(String object, String expected, String actual) {
        return new ShouldHaveLabel("%nExpecting %s to have %s, but it has %s.", unquotedString(object), unquotedString(expected), unquotedString(actual));
    }
}
