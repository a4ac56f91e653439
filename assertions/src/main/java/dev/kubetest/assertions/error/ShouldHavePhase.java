package dev.kubetest.assertions.error;

import org.assertj.core.error.BasicErrorMessageFactory;

/** A pod or claim in another phase than expected. */
public final class ShouldHavePhase extends BasicErrorMessageFactory {
    private ShouldHavePhase(String format, Object... arguments) {
        super(format, arguments);
    }

    public static ShouldHavePhase shouldHavePhase(String object, String expected, String status) {
        return new ShouldHavePhase("%nExpecting %s to be in phase %s, but it is not. Now: %s.", unquotedString(object), unquotedString(expected), unquotedString(status));
    }
}
