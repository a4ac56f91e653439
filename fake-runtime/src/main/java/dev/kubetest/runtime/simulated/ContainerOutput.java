package dev.kubetest.runtime.simulated;

import dev.kubetest.core.clock.Clock;
import dev.kubetest.core.runtime.ContainerProcess.LogLine;
import dev.kubetest.core.runtime.ContainerRuntime.ExecListener;
import dev.kubetest.runtime.shell.ShellText;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What a container's main process writes: kept as log lines (text, decoded from UTF-8, stamped on the cluster
 * clock when the line ends) and passed on at once, as bytes, to the clients attached to it. With a TTY, stderr
 * joins stdout and LF leaves as CR LF, as through a pty.
 */
final class ContainerOutput {
    private final Clock clock;
    private final boolean tty;
    private final List<LogLine> logs = new ArrayList<>();
    private final StringBuilder partialOut = new StringBuilder();
    private final StringBuilder partialErr = new StringBuilder();
    private final List<ExecListener> attached = new CopyOnWriteArrayList<>();

    ContainerOutput(Clock clock, boolean tty) {
        this.clock = clock;
        this.tty = tty;
    }

    /** Text the simulation prints (server start-up lines, behaviours' log lines). */
    void print(String stream, String text) {
        write(stream, ShellText.encode(text));
    }

    /** Output as the shell writes it, a byte string. */
    void write(String stream, String bytes) {
        boolean stderr = stream.equals("stderr") && !tty;
        String shown = tty ? bytes.replace("\n", "\r\n") : bytes;
        StringBuilder partial = stderr ? partialErr : partialOut;
        synchronized (this) {
            partial.append(shown);
            int nl;
            while ((nl = partial.indexOf("\n")) >= 0) {
                logs.add(new LogLine(clock.now(), stderr ? "stderr" : "stdout", ShellText.decode(partial.substring(0, nl))));
                partial.delete(0, nl + 1);
            }
        }
        for (ExecListener l : attached) {
            if (stderr) {
                l.stderr(ShellText.bytes(shown));
            } else {
                l.stdout(ShellText.bytes(shown));
            }
        }
    }

    /** Echo of typed input: shown to the attached clients and kept in the log, as a pty does. */
    void echo(String bytes) {
        synchronized (this) {
            partialOut.append(bytes);
            int nl;
            while ((nl = partialOut.indexOf("\n")) >= 0) {
                logs.add(new LogLine(clock.now(), "stdout", ShellText.decode(partialOut.substring(0, nl))));
                partialOut.delete(0, nl + 1);
            }
        }
        attached.forEach(l -> l.stdout(ShellText.bytes(bytes)));
    }

    /** The process ended: an unfinished last line is logged, and the attached clients are told. */
    void end(int exitCode) {
        synchronized (this) {
            if (partialOut.length() > 0) {
                logs.add(new LogLine(clock.now(), "stdout", ShellText.decode(partialOut.toString())));
                partialOut.setLength(0);
            }
            if (partialErr.length() > 0) {
                logs.add(new LogLine(clock.now(), "stderr", ShellText.decode(partialErr.toString())));
                partialErr.setLength(0);
            }
        }
        attached.forEach(l -> l.exited(exitCode));
        attached.clear();
    }

    void attach(ExecListener listener) {
        attached.add(listener);
    }

    void detach(ExecListener listener) {
        attached.remove(listener);
    }

    synchronized List<LogLine> logs() {
        return List.copyOf(logs);
    }
}
