package dev.kubetest.core.runtime;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

/** A created container: start it, signal it, read its logs. Exit is reported to the listener given to start. */
public interface ContainerProcess {
    /** A unique id, as in {@code containerStatuses[].containerID}. */
    String id();

    /** Starts the main process; {@code onExit} runs once when it ends. */
    void start(Consumer<Exit> onExit);

    /** SIGTERM, then SIGKILL when {@code grace} has passed on the cluster clock. */
    void stop(Duration grace);

    /** SIGKILL at once. */
    void kill();

    boolean running();

    /** The contents of a file as the container sees it (volumes included), if it exists. */
    default java.util.Optional<byte[]> readFile(String path) {
        return java.util.Optional.empty();
    }

    /** Writes a file as the container would (into a mounted volume when the path is under one). */
    default void writeFile(String path, byte[] data) {
        throw new UnsupportedOperationException("this runtime does not write container files");
    }

    /** Everything the container wrote, line by line with the time it was written. */
    List<LogLine> logs();

    /** How a process ended: exit code, upstream's reason (Completed, Error, OOMKilled), and a signal if any. */
    record Exit(int exitCode, String reason, int signal, Instant at) {}

    /** One line of a container's log. */
    record LogLine(Instant at, String stream, String text) {}
}
