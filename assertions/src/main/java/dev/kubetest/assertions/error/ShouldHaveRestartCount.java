package dev.kubetest.assertions.error;

import org.assertj.core.error.BasicErrorMessageFactory;

/** A container that restarted another number of times than expected. */
public final class ShouldHaveRestartCount extends BasicErrorMessageFactory {
    private ShouldHaveRestartCount(String format, Object... arguments) {
        super(format, arguments);
    }

    public static ShouldHaveRestartCount shouldHaveRestartCount(String object, String container, String expected, int actual, String status) {
        return new ShouldHaveRestartCount("%nExpecting container %s of %s to have restarted %s, but it restarted %s times. Now: %s.", unquotedString(container), unquotedString(object), unquotedString(expected), actual, unquotedString(status));
    }
}
