package dev.kubetest.assertions.error;

import org.assertj.core.error.BasicErrorMessageFactory;

/** A container file that is missing or has other content. */
public final class ShouldHaveFile extends BasicErrorMessageFactory {
    private ShouldHaveFile(String format, Object... arguments) {
        super(format, arguments);
    }

    public static ShouldHaveFile shouldHaveFile(String object, String container, String path, String expected, String actual) {
        return new ShouldHaveFile("%nExpecting file %s in container %s of %s %s, but %s.", unquotedString(path), unquotedString(container), unquotedString(object), unquotedString(expected), unquotedString(actual));
    }
}
