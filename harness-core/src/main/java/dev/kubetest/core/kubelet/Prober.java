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
    /** The result of one probe run. */
    record Outcome(boolean success, String output) {}

    private Prober() {}

    static void run(ContainerRuntime runtime, ContainerProcess process, JsonNode probe, Consumer<Outcome> done) {
        Duration timeout = Duration.ofSeconds(probe.path("timeoutSeconds").asLong(1));
        if (probe.has("exec")) {
            List<String> command = new ArrayList<>();
            probe.path("exec").path("command").forEach(c -> command.add(c.asText()));
            runtime.exec(process, command, timeout, r -> done.accept(new Outcome(r.exitCode() == 0,
                    r.exitCode() == 0 ? r.stdout() : (r.stdout() + r.stderr()).trim())));
        } else if (probe.has("httpGet")) {
            int port = port(probe.path("httpGet").path("port"), process);
            String path = probe.path("httpGet").path("path").asText("/");
            int code = runtime.httpGet(process, port, path);
            if (code < 0) {
                done.accept(new Outcome(false, "Get \"http://" + "127.0.0.1:" + port + path
                        + "\": dial tcp 127.0.0.1:" + port + ": connect: connection refused"));
            } else {
                done.accept(new Outcome(code >= 200 && code < 400, "HTTP probe failed with statuscode: " + code));
            }
        } else if (probe.has("tcpSocket") || probe.has("grpc")) {
            JsonNode p = probe.has("tcpSocket") ? probe.path("tcpSocket").path("port") : probe.path("grpc").path("port");
            int port = port(p, process);
            boolean ok = runtime.listening(process, port);
            done.accept(new Outcome(ok, ok ? "" : "dial tcp 127.0.0.1:" + port + ": connect: connection refused"));
        } else {
            done.accept(new Outcome(true, ""));
        }
    }

    private static int port(JsonNode port, ContainerProcess process) {
        return port.isNumber() ? port.asInt() : port.asText().matches("\\d+") ? Integer.parseInt(port.asText()) : -1;
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
