package dev.kubetest.assertions.error;

import org.assertj.core.error.BasicErrorMessageFactory;

/** An object without the expected event. */
public final class ShouldHaveEvent extends BasicErrorMessageFactory {
    private ShouldHaveEvent(String format, Object... arguments) {
        super(format, arguments);
    }

    public static ShouldHaveEvent shouldHaveEvent(String object, String expected, String events) {
        return new ShouldHaveEvent("%nExpecting %s to have an event %s, but its events are: %s.", unquotedString(object), unquotedString(expected), unquotedString(events));
    }
}
