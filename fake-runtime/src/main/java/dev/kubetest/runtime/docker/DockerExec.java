package dev.kubetest.runtime.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.ExecCreateCmdResponse;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.StreamType;
import dev.kubetest.core.clock.Clock;
import dev.kubetest.core.runtime.ContainerRuntime.ExecListener;
import dev.kubetest.core.runtime.ContainerRuntime.ExecResult;
import dev.kubetest.core.runtime.ContainerRuntime.ExecStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/** Exec and attach through the engine: probes' and hooks' commands, kubectl exec, cp and attach. */
final class DockerExec {
    private final DockerClient docker;
    private final Clock clock;
    private final java.net.URI dockerHost;
    private final java.util.concurrent.ExecutorService readers = java.util.concurrent.Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "kubetest-docker-exec");
        t.setDaemon(true);
        return t;
    });

    DockerExec(DockerClient docker, Clock clock, java.net.URI dockerHost) {
        this.docker = docker;
        this.clock = clock;
        this.dockerHost = dockerHost;
    }

    void close() {
        readers.shutdownNow();
    }

    /** Runs a command without input; the result after it ends, or exit -1 when {@code timeout} passes first. */
    void run(DockerContainer c, List<String> command, Duration timeout, Consumer<ExecResult> done) {
        if (!c.running()) {
            done.accept(new ExecResult(126, "", "container not running\n"));
            return;
        }
        ExecCreateCmdResponse exec;
        try {
            exec = docker.execCreateCmd(c.engineId()).withCmd(command.toArray(String[]::new))
                    .withAttachStdout(true).withAttachStderr(true).exec();
        } catch (RuntimeException e) {
            done.accept(new ExecResult(126, "", message(e) + "\n"));
            return;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        AtomicBoolean finished = new AtomicBoolean();
        Clock.Timer[] timer = {null};
        ResultCallback.Adapter<Frame> callback = new ResultCallback.Adapter<>() {
            @Override
            public void onNext(Frame frame) {
                synchronized (out) {
                    (frame.getStreamType() == StreamType.STDERR ? err : out).writeBytes(frame.getPayload());
                }
            }

            @Override
            public void onComplete() {
                finish(exitCode(exec.getId()), "");
            }

            @Override
            public void onError(Throwable t) {
                finish(126, message(t) + "\n");
            }

            private void finish(int code, String extra) {
                if (!finished.compareAndSet(false, true)) {
                    return;
                }
                if (timer[0] != null) {
                    timer[0].cancel();
                }
                synchronized (out) {
                    done.accept(new ExecResult(code, out.toString(StandardCharsets.UTF_8),
                            err.toString(StandardCharsets.UTF_8) + extra));
                }
            }
        };
        if (timeout != null) {
            timer[0] = clock.scheduleAfter(timeout, () -> {
                if (finished.compareAndSet(false, true)) {
                    close(callback);
                    synchronized (out) {
                        done.accept(new ExecResult(-1, out.toString(StandardCharsets.UTF_8),
                                err.toString(StandardCharsets.UTF_8) + "command timed out\n"));
                    }
                }
            });
        }
        docker.execStartCmd(exec.getId()).exec(callback);
    }

    /** A command with its streams connected to a client (kubectl exec, cp). */
    ExecStream stream(DockerContainer c, List<String> command, boolean stdin, boolean tty, ExecListener listener) {
        if (!c.running()) {
            listener.stderr("container not running\n".getBytes(StandardCharsets.UTF_8));
            listener.exited(126);
            return closed();
        }
        ExecCreateCmdResponse exec = docker.execCreateCmd(c.engineId()).withCmd(command.toArray(String[]::new))
                .withAttachStdout(true).withAttachStderr(true).withAttachStdin(stdin).withTty(tty).exec();
        return HijackedExec.start(dockerHost, exec.getId(), stdin, tty, listener, () -> exitCode(exec.getId()),
                tty ? (w, h) -> docker.resizeExecCmd(exec.getId()).withSize(h, w).exec() : null, readers);
    }

    /** The container's main process, from now on (kubectl attach); its output ends when the container does. */
    ExecStream attach(DockerContainer c, boolean stdin, boolean tty, ExecListener listener) {
        boolean withInput = stdin && c.spec().container().path("stdin").asBoolean(false);
        boolean containerTty = c.spec().container().path("tty").asBoolean(false);
        return HijackedExec.attach(dockerHost, c.engineId(), withInput, containerTty, listener, () -> exitCodeOf(c),
                containerTty ? (w, h) -> docker.resizeContainerCmd(c.engineId()).withSize(h, w).exec() : null, readers);
    }

    private int exitCode(String execId) {
        try {
            Long code = docker.inspectExecCmd(execId).exec().getExitCodeLong();
            return code == null ? 1 : code.intValue();
        } catch (RuntimeException e) {
            return 1;
        }
    }

    private int exitCodeOf(DockerContainer c) {
        try {
            Long code = docker.inspectContainerCmd(c.engineId()).exec().getState().getExitCodeLong();
            return code == null ? 0 : code.intValue();
        } catch (RuntimeException e) {
            return 0;
        }
    }

    private static ExecStream closed() {
        return new ExecStream() {
            @Override
            public void write(byte[] data) {}

            @Override
            public void closeInput() {}

            @Override
            public void cancel() {}
        };
    }

    private static void close(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // closing
        }
    }

    static String message(Throwable t) {
        return t.getMessage() == null ? t.toString() : t.getMessage().trim();
    }
}
