package dev.kubetest.assertions;

/** One expectation about an object, judged against a reading of it (null when the object does not exist). */
@FunctionalInterface
public interface Check<T> {
    Verdict judge(T objectOrNull);
}
