package dev.kubetest.assertions;

import org.assertj.core.error.ErrorMessageFactory;

/**
 * The outcome of one check against one reading of an object: it holds, it does not (yet), or it never can (the
 * object reached a state that cannot lead to what is expected: a pod Failed when Ready was expected), which ends
 * a wait at once.
 */
public record Verdict(Outcome outcome, ErrorMessageFactory failure) {
    public enum Outcome { PASS, FAIL, HOPELESS }

    public static Verdict pass() {
        return new Verdict(Outcome.PASS, null);
    }

    public static Verdict fail(ErrorMessageFactory failure) {
        return new Verdict(Outcome.FAIL, failure);
    }

    public static Verdict hopeless(ErrorMessageFactory failure) {
        return new Verdict(Outcome.HOPELESS, failure);
    }

    /** Fail, or hopeless when {@code hopeless}. */
    public static Verdict failUnless(boolean hopeless, ErrorMessageFactory failure) {
        return hopeless ? hopeless(failure) : fail(failure);
    }

    public boolean passed() {
        return outcome == Outcome.PASS;
    }
}
