package dev.kubetest.samples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Child JVMs and tools that tests start. */
public final class ChildProcesses {
    private ChildProcesses() {}

    /**
     * The output of a process that must end within {@code seconds}: read on another thread while this one waits, so
     * the time limit holds even when the process never closes its output.
     */
    public static String outputOf(Process p, int seconds) throws Exception {
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        boolean ended = p.waitFor(seconds, TimeUnit.SECONDS);
        if (!ended) {
            p.destroyForcibly();
        }
        assertThat(ended).as("the process ends within %d s", seconds).isTrue();
        return out.get(10, TimeUnit.SECONDS);
    }
}
