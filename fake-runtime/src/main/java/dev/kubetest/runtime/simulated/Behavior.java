package dev.kubetest.runtime.simulated;

import java.time.Duration;
import java.util.Map;

/**
 * What a simulated container does besides its program, for fault injection: exit after a delay with a code,
 * crash at start, be killed for memory (OOMKilled), only become reachable after a delay (readiness), or stop
 * answering after a delay (liveness). Chosen per image with {@link SimulatedRuntime#behavior}, or per pod with
 * the annotation {@code kubetest.dev/behavior} (or {@code kubetest.dev/behavior.<container>}), for instance
 * {@code "exit-after=30s,exit-code=1"} or {@code "ready-after=10s,unhealthy-after=2m"}. It can also use memory
 * ({@code memory=300Mi}: OOMKilled when over the container's memory limit), print a line at start
 * ({@code log=text}, repeated with {@code log-every=5s}), write a file at start ({@code write=/path:content}), and
 * answer every HTTP request with a redirect ({@code redirect=http://elsewhere/}); values cannot contain commas.
 */
public record Behavior(Duration exitAfter, int exitCode, boolean crashOnStart, Duration oomAfter, Duration readyAfter,
                       Duration unhealthyAfter, String memory, String log, Duration logEvery, String writePath,
                       String writeContent, String redirect) {

    public static final Behavior NONE = new Behavior(null, 0, false, null, null, null, null, null, null, null, null, null);

    public static Behavior exitAfter(Duration after, int code) {
        return parse("exit-after=" + after.toMillis() + "ms,exit-code=" + code);
    }

    public static Behavior crashing() {
        return parse("crash");
    }

    public static Behavior oomAfter(Duration after) {
        return parse("oom-after=" + after.toMillis() + "ms");
    }

    public static Behavior readyAfter(Duration after) {
        return parse("ready-after=" + after.toMillis() + "ms");
    }

    public static Behavior unhealthyAfter(Duration after) {
        return parse("unhealthy-after=" + after.toMillis() + "ms");
    }

    /** Uses {@code quantity} of memory (such as {@code 300Mi}) from the start: over the container's limit, OOMKilled. */
    public static Behavior usingMemory(String quantity) {
        return parse("memory=" + quantity);
    }

    /** Parses the annotation form ({@code key=value} pairs separated by commas). */
    public static Behavior parse(String text) {
        Duration exitAfter = null;
        int code = 0;
        boolean crash = false;
        Duration oom = null;
        Duration ready = null;
        Duration unhealthy = null;
        String memory = null;
        String log = null;
        Duration logEvery = null;
        String writePath = null;
        String writeContent = null;
        String redirect = null;
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
                case "memory" -> memory = v;
                case "log" -> log = v;
                case "log-every" -> logEvery = duration(v);
                case "redirect" -> redirect = v;
                case "write" -> {
                    int colon = v.indexOf(':');
                    if (colon <= 0) {
                        throw new IllegalArgumentException("write wants /path:content, not \"" + v + "\"");
                    }
                    writePath = v.substring(0, colon);
                    writeContent = v.substring(colon + 1);
                }
                default -> throw new IllegalArgumentException("unknown behaviour \"" + kv[0].trim() + "\"");
            }
        }
        return new Behavior(exitAfter, code, crash, oom, ready, unhealthy, memory, log, logEvery, writePath, writeContent,
                redirect);
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
