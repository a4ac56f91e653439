package dev.kubetest.assertions.error;

import org.assertj.core.error.BasicErrorMessageFactory;

/** A workload whose rollout is not complete. */
public final class ShouldBeRolledOut extends BasicErrorMessageFactory {
    private ShouldBeRolledOut(String format, Object... arguments) {
        super(format, arguments);
    }

    public static ShouldBeRolledOut shouldBeRolledOut(String object, String status) {
        return new ShouldBeRolledOut("%nExpecting %s to be rolled out (every replica updated and available), but it is not. Now: %s.", unquotedString(object), unquotedString(status));
    }
}
