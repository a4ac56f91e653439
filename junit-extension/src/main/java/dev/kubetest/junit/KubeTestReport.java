package dev.kubetest.junit;

/**
 * The namespace dump attached to a failed test's exception (as a suppressed exception, so every report that
 * prints the failure prints it too). It has no stack trace of its own.
 */
public final class KubeTestReport extends RuntimeException {
    public KubeTestReport(String dump) {
        super(dump, null, false, false);
    }

    @Override
    public String toString() {
        return getMessage();
    }
}
