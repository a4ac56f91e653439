package dev.kubetest.assertions.error;

import org.assertj.core.error.BasicErrorMessageFactory;

/** A container log without the expected line. */
public final class ShouldHaveLogLine extends BasicErrorMessageFactory {
    private ShouldHaveLogLine(String format, Object... arguments) {
        super(format, arguments);
    }

    public static ShouldHaveLogLine shouldHaveLogLine(String object, String container, String expected, String lastLines) {
        return new ShouldHaveLogLine("%nExpecting the log of container %s of %s to contain %s, but its last lines are: %s.", unquotedString(container), unquotedString(object), unquotedString(expected), unquotedString(lastLines));
    }
}
