package dev.kubetest.core.kubelet;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kubetest.core.clock.Clock;
import dev.kubetest.core.runtime.ContainerProcess;
import dev.kubetest.core.runtime.ContainerRuntime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** Runs one probe (exec, httpGet, tcpSocket or grpc) of a container and reports success and output. */
final class Prober {
    /** The result of one probe run: a success may carry a warning (a redirect to another host). */
    record Outcome(boolean success, String output, String warning) {
        Outcome(boolean success, String output) {
            this(success, output, null);
        }
    }

    /** Redirects to the same host an httpGet probe follows, as Go's HTTP client. */
    static final int MAX_REDIRECTS = 10;

    private Prober() {}

    static void run(ContainerRuntime runtime, ContainerProcess process, JsonNode container, JsonNode probe, Consumer<Outcome> done) {
        Duration timeout = Duration.ofSeconds(probe.path("timeoutSeconds").asLong(1));
        if (probe.has("exec")) {
            List<String> command = new ArrayList<>();
            probe.path("exec").path("command").forEach(c -> command.add(c.asText()));
            runtime.exec(process, command, timeout, r -> done.accept(new Outcome(r.exitCode() == 0,
                    r.exitCode() == 0 ? r.stdout() : (r.stdout() + r.stderr()).trim())));
        } else if (probe.has("httpGet")) {
            int port = port(probe.path("httpGet").path("port"), container);
            done.accept(httpGet(runtime, process, port, probe.path("httpGet").path("path").asText("/")));
        } else if (probe.has("tcpSocket") || probe.has("grpc")) {
            JsonNode p = probe.has("tcpSocket") ? probe.path("tcpSocket").path("port") : probe.path("grpc").path("port");
            int port = port(p, container);
            boolean ok = runtime.listening(process, port);
            done.accept(new Outcome(ok, ok ? "" : "dial tcp 127.0.0.1:" + port + ": connect: connection refused"));
        } else {
            done.accept(new Outcome(true, ""));
        }
    }

    /**
     * An httpGet probe as upstream's: 2xx and 3xx succeed; redirects to the same host are followed (up to 10), one
     * to another host ends the probe as a success with a warning (ProbeWarning).
     */
    static Outcome httpGet(ContainerRuntime runtime, ContainerProcess process, int port, String path) {
        String target = "http://127.0.0.1:" + port + path;
        for (int redirects = 0; ; redirects++) {
            ContainerRuntime.HttpAnswer a = runtime.httpGet(process, port, path);
            if (a == null) {
                return new Outcome(false, "Get \"" + target + "\": dial tcp 127.0.0.1:" + port + ": connect: connection refused");
            }
            if (a.status() < 200 || a.status() >= 400) {
                return new Outcome(false, "HTTP probe failed with statuscode: " + a.status());
            }
            if (a.status() < 300 || a.location() == null) {
                return new Outcome(true, a.body());
            }
            String location = a.location();
            boolean sameHost = location.startsWith("/") || location.matches("https?://(127\\.0\\.0\\.1|localhost)(:\\d+)?(/.*)?");
            if (!sameHost) {
                return new Outcome(true, a.body(), "Probe terminated redirects, Response body: " + a.body());
            }
            if (redirects + 1 >= MAX_REDIRECTS) {
                return new Outcome(false, "Get \"" + location + "\": stopped after 10 redirects");
            }
            path = location.startsWith("/") ? location : location.replaceFirst("https?://[^/]+", "");
            path = path.isEmpty() ? "/" : path;
            target = location;
        }
    }

    /** A probe's port: a number, or the name of one of the container's ports. */
    static int port(JsonNode port, JsonNode container) {
        if (port.isNumber()) {
            return port.asInt();
        }
        if (port.asText().matches("\\d+")) {
            return Integer.parseInt(port.asText());
        }
        for (JsonNode p : container.path("ports")) {
            if (port.asText().equals(p.path("name").asText())) {
                return p.path("containerPort").asInt();
            }
        }
        return -1;
    }

    static Duration initialDelay(JsonNode probe) {
        return Duration.ofSeconds(probe.path("initialDelaySeconds").asLong(0));
    }

    static Duration period(JsonNode probe) {
        return Duration.ofSeconds(Math.max(1, probe.path("periodSeconds").asLong(10)));
    }

    static Clock.Timer schedule(Clock clock, Duration after, Runnable r) {
        return clock.scheduleAfter(after, r);
    }
}
