package dev.kubetest.assertions.error;

import org.assertj.core.error.BasicErrorMessageFactory;

/** A pod without a container of the given name. */
public final class ShouldHaveContainer extends BasicErrorMessageFactory {
    private ShouldHaveContainer(String format, Object... arguments) {
        super(format, arguments);
    }

    public static ShouldHaveContainer shouldHaveContainer(String object, String container, String containers) {
        return new ShouldHaveContainer("%nExpecting %s to have a container %s with a status, but it has %s.", unquotedString(object), unquotedString(container), unquotedString(containers));
    }
}
