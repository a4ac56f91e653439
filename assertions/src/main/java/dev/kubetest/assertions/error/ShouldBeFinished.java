package dev.kubetest.assertions.error;

import org.assertj.core.error.BasicErrorMessageFactory;

/** A Job that has not completed (or not failed) as expected. */
public final class ShouldBeFinished extends BasicErrorMessageFactory {
    private ShouldBeFinished(String format, Object... arguments) {
        super(format, arguments);
    }

    public static ShouldBeFinished shouldBeFinished(String object, String expected, String status) {
        return new ShouldBeFinished("%nExpecting %s to be %s, but it is not. Now: %s.", unquotedString(object), unquotedString(expected), unquotedString(status));
    }
}
