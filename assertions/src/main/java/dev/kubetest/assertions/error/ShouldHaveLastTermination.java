package dev.kubetest.assertions.error;

import org.assertj.core.error.BasicErrorMessageFactory;

/** A container whose last termination (exit code, reason) is not the expected one. */
public final class ShouldHaveLastTermination extends BasicErrorMessageFactory {
    private ShouldHaveLastTermination(String format, Object... arguments) {
        super(format, arguments);
    }

    public static ShouldHaveLastTermination shouldHaveLastTermination(String object, String container, String expected, String actual) {
        return new ShouldHaveLastTermination("%nExpecting the last termination of container %s of %s to be %s, but it was %s.", unquotedString(container), unquotedString(object), unquotedString(expected), unquotedString(actual));
    }
}
