package dev.kubetest.assertions.error;

import org.assertj.core.error.BasicErrorMessageFactory;

/** The object was expected to be gone and is not. */
public final class ShouldNotExist extends BasicErrorMessageFactory {
    private ShouldNotExist(String format, Object... arguments) {
        super(format, arguments);
    }

    public static ShouldNotExist shouldNotExist(String object, String status) {
        return new ShouldNotExist("%nExpecting %s not to exist, but it does: %s.", unquotedString(object), unquotedString(status));
    }
}
