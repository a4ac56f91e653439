package dev.kubetest.assertions.error;

import org.assertj.core.error.BasicErrorMessageFactory;

/** A container in another state than expected (waiting with a reason, running, terminated with an exit code). */
public final class ShouldHaveContainerState extends BasicErrorMessageFactory {
    private ShouldHaveContainerState(String format, Object... arguments) {
        super(format, arguments);
    }

    public static ShouldHaveContainerState shouldHaveContainerState(String object, String container, String expected, String actual) {
        return new ShouldHaveContainerState("%nExpecting container %s of %s to be %s, but it is %s.", unquotedString(container), unquotedString(object), unquotedString(expected), unquotedString(actual));
    }
}
