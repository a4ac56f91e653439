package dev.kubetest.runtime.shell;

import java.time.Duration;

/** Durations as {@code sleep} and behaviours write them: {@code 30}, {@code 1.5s}, {@code 2m}, {@code 1h}. */
public final class Durations {
    private Durations() {}

    public static Duration parse(String text) {
        return Builtins.duration(text);
    }
}
