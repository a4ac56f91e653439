package dev.kubetest.runtime.simulated;

import java.time.Duration;
import java.util.Map;

/**
 * What a simulated container does besides its program, for fault injection: exit after a delay with a code,
 * crash at start, be killed for memory (OOMKilled), only become reachable after a delay (readiness), or stop
 * answering after a delay (liveness). Chosen per image with {@link SimulatedRuntime#behavior}, or per pod with
 * the annotation {@code kubetest.dev/behavior} (or {@code kubetest.dev/behavior.<container>}), for instance
 * {@code "exit-after=30s,exit-code=1"} or {@code "ready-after=10s,unhealthy-after=2m"}.
 */
public record Behavior(Duration exitAfter, int exitCode, boolean crashOnStart, Duration oomAfter, Duration readyAfter,
                       Duration unhealthyAfter) {

    public static final Behavior NONE = new Behavior(null, 0, false, null, null, null);

    public static Behavior exitAfter(Duration after, int code) {
        return new Behavior(after, code, false, null, null, null);
    }

    public static Behavior crashing() {
        return new Behavior(null, 1, true, null, null, null);
    }

    public static Behavior oomAfter(Duration after) {
        return new Behavior(null, 137, false, after, null, null);
    }

    public static Behavior readyAfter(Duration after) {
        return new Behavior(null, 0, false, null, after, null);
    }

    public static Behavior unhealthyAfter(Duration after) {
        return new Behavior(null, 0, false, null, null, after);
    }

    /** Parses the annotation form ({@code key=value} pairs separated by commas). */
    public static Behavior parse(String text) {
        Duration exitAfter = null;
        int code = 0;
        boolean crash = false;
        Duration oom = null;
        Duration ready = null;
        Duration unhealthy = null;
        for (String part : text.split(",")) {
            String[] kv = part.trim().split("=", 2);
            String v = kv.length > 1 ? kv[1].trim() : "";
            switch (kv[0].trim()) {
                case "exit-after" -> exitAfter = duration(v);
                case "exit-code" -> code = Integer.parseInt(v);
                case "crash-on-start", "crash" -> {
                    crash = true;
                    code = code == 0 ? 1 : code;
                }
                case "oom-after" -> oom = duration(v);
                case "ready-after" -> ready = duration(v);
                case "unhealthy-after" -> unhealthy = duration(v);
                default -> throw new IllegalArgumentException("unknown behaviour \"" + kv[0].trim() + "\"");
            }
        }
        return new Behavior(exitAfter, code, crash, oom, ready, unhealthy);
    }

    private static Duration duration(String v) {
        Duration d = dev.kubetest.runtime.shell.Durations.parse(v);
        if (d == null) {
            throw new IllegalArgumentException("not a duration: \"" + v + "\"");
        }
        return d;
    }

    /** The behaviour for a container: its own annotation, the pod's, the image's, or none. */
    static Behavior of(String container, Map<String, String> annotations, Behavior byImage) {
        String own = annotations.get("kubetest.dev/behavior." + container);
        if (own != null) {
            return parse(own);
        }
        String pod = annotations.get("kubetest.dev/behavior");
        if (pod != null) {
            return parse(pod);
        }
        return byImage == null ? NONE : byImage;
    }
}
