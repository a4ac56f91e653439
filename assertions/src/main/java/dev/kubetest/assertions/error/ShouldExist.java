package dev.kubetest.assertions.error;

import org.assertj.core.error.BasicErrorMessageFactory;

/** The object was expected to exist and does not. */
public final class ShouldExist extends BasicErrorMessageFactory {
    private ShouldExist(String format, Object... arguments) {
        super(format, arguments);
    }

    public static ShouldExist shouldExist(String object) {
        return new ShouldExist("%nExpecting %s to exist, but it does not.", unquotedString(object));
    }
}
