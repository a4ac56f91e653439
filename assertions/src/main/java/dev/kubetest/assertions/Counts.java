package dev.kubetest.assertions;

/** Null-safe counts from status fields. */
final class Counts {
    private Counts() {}

    static int of(Integer i) {
        return i == null ? 0 : i;
    }
}
