package dev.kubetest.assertions.error;

import org.assertj.core.error.BasicErrorMessageFactory;

/** A pod or node that is not Ready (or is, when it should not be). */
public final class ShouldBeReady extends BasicErrorMessageFactory {
    private ShouldBeReady(String format, Object... arguments) {
        super(format, arguments);
    }

    public static ShouldBeReady shouldBeReady(String object, boolean ready, String status) {
        return new ShouldBeReady("%nExpecting %s to be %s, but it is not. Now: %s.", unquotedString(object), unquotedString(ready ? "Ready" : "not Ready"), unquotedString(status));
    }
}
