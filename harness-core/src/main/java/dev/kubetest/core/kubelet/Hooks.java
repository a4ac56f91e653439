package dev.kubetest.core.kubelet;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kubetest.core.clock.Clock;
import dev.kubetest.core.runtime.ContainerProcess;
import dev.kubetest.core.runtime.ContainerRuntime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** Runs a lifecycle hook (exec, httpGet or sleep) of a container; reports null on success or the failure text. */
final class Hooks {
    private Hooks() {}

    static void run(ContainerRuntime runtime, Clock clock, ContainerProcess process, JsonNode container, JsonNode handler,
                    Duration timeout, Consumer<String> done) {
        if (handler.has("exec")) {
            List<String> command = new ArrayList<>();
            handler.path("exec").path("command").forEach(c -> command.add(c.asText()));
            runtime.exec(process, command, timeout, r -> done.accept(r.exitCode() == 0 ? null
                    : "command '" + String.join(" ", command) + "' exited with " + r.exitCode() + ": " + r.stderr().trim()));
        } else if (handler.has("httpGet")) {
            JsonNode h = handler.path("httpGet");
            int port = Prober.port(h.path("port"), container);
            ContainerRuntime.HttpAnswer answer = runtime.httpGet(process, port, h.path("path").asText("/"));
            int code = answer == null ? -1 : answer.status();
            done.accept(code >= 200 && code < 400 ? null : "Get \"http://" + h.path("host").asText("127.0.0.1") + ":" + port
                    + h.path("path").asText("/") + "\": dial tcp: connect: connection refused");
        } else if (handler.has("sleep")) {
            clock.scheduleAfter(Duration.ofSeconds(handler.path("sleep").path("seconds").asLong(0)), () -> done.accept(null));
        } else {
            done.accept(null);
        }
    }
}
