package dev.kubetest.apiserver.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs the real kubectl against a test server, with its own kubeconfig and discovery cache. Where kubectl is
 * absent the calling test is skipped, unless {@code -Dkubetest.require.kubectl=true} (as in CI) makes it fail.
 */
public final class Kubectl {
    private final Path kubeconfig;
    private final Path cacheDir;
    private final java.util.Map<String, String> env = new java.util.HashMap<>();

    /** What one kubectl run printed and returned. */
    public record Result(int exitCode, String out, String err) {
        public Result ok() {
            assertThat(exitCode).as("kubectl exit code; stderr: %s", err).isZero();
            return this;
        }
    }

    public Kubectl(Path kubeconfig, Path cacheDir) {
        this.kubeconfig = kubeconfig;
        this.cacheDir = cacheDir;
    }

    /** A copy of this runner that also sets {@code name=value} in kubectl's environment. */
    public Kubectl withEnv(String name, String value) {
        Kubectl k = new Kubectl(kubeconfig, cacheDir);
        k.env.putAll(env);
        k.env.put(name, value);
        return k;
    }

    public static String binary() {
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                Path candidate = Path.of(dir, "kubectl");
                if (Files.isExecutable(candidate)) {
                    return candidate.toString();
                }
            }
        }
        return null;
    }

    /** Skips (or, where kubectl is required, fails) the test when kubectl is missing. */
    public static void assumePresent() {
        if (binary() == null) {
            if (Boolean.getBoolean("kubetest.require.kubectl")) {
                throw new AssertionError("kubectl is required (-Dkubetest.require.kubectl=true) but not on the PATH");
            }
            Assumptions.abort("kubectl is not on the PATH: skipping the kubectl test");
        }
    }

    public Result run(String... args) {
        return runWithInput(null, args);
    }

    /** Runs kubectl with {@code stdin} (may be null) and waits up to 60 s. */
    private ProcessBuilder processBuilder(String... args) {
        assumePresent();
        List<String> cmd = new ArrayList<>();
        cmd.add(binary());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("KUBECONFIG", kubeconfig.toString());
        pb.environment().put("KUBECACHEDIR", cacheDir.toString());
        pb.environment().put("HOME", cacheDir.toString());
        pb.environment().putAll(env);
        return pb;
    }

    public Result runWithInput(String stdin, String... args) {
        ProcessBuilder pb = processBuilder(args);
        try {
            Process p = pb.start();
            CompletableFuture<String> out = read(p.getInputStream());
            CompletableFuture<String> err = read(p.getErrorStream());
            if (stdin != null) {
                p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            p.getOutputStream().close();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("kubectl " + String.join(" ", args) + " did not finish in 60 s");
            }
            return new Result(p.exitValue(), out.join(), err.join());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Starts kubectl without waiting (for {@code get -w}); the caller reads and destroys the process. */
    public Process start(String... args) {
        ProcessBuilder pb = processBuilder(args);
        pb.redirectErrorStream(true);
        try {
            return pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Starts kubectl on a pseudo-terminal (util-linux {@code script}), as a user at a terminal runs
     * {@code kubectl exec -it}; the session types into it and reads what the terminal shows.
     */
    public Terminal startInTerminal(String... args) {
        assumePresent();
        Path script = Path.of("/usr/bin/script");
        if (!Files.isExecutable(script)) {
            if (Boolean.getBoolean("kubetest.require.kubectl")) {
                throw new AssertionError("util-linux script is required for terminal tests but not installed");
            }
            Assumptions.abort("util-linux script is not installed: skipping the terminal test");
        }
        StringBuilder command = new StringBuilder("stty cols 120 rows 40; exec '").append(binary()).append('\'');
        for (String a : args) {
            command.append(" '").append(a.replace("'", "'\\''")).append('\'');
        }
        ProcessBuilder pb = processBuilder();
        pb.command(script.toString(), "-qfec", command.toString(), "/dev/null");
        pb.redirectErrorStream(true);
        try {
            return new Terminal(pb.start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A process on a pseudo-terminal: what it shows, keys typed into it, its exit code. */
    public static final class Terminal implements AutoCloseable {
        private final Process process;
        private final StringBuffer shown = new StringBuffer();

        Terminal(Process process) {
            this.process = process;
            Thread reader = new Thread(() -> {
                byte[] buf = new byte[4096];
                try (InputStream in = process.getInputStream()) {
                    for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                        shown.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                    }
                } catch (IOException ignored) {
                    // the process ended
                }
            });
            reader.setDaemon(true);
            reader.start();
        }

        public String shown() {
            return shown.toString();
        }

        /** Waits until the terminal shows {@code text}. */
        public Terminal expect(String text) {
            try {
                org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
                        .until(() -> shown.indexOf(text) >= 0 || !process.isAlive());
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                // reported below with what the terminal shows
            }
            if (shown.indexOf(text) < 0) {
                throw new AssertionError("the terminal did not show [" + text + "]; it shows: " + shown);
            }
            return this;
        }

        /** Types {@code keys} (Enter is {@code \r}). */
        public Terminal type(String keys) {
            try {
                process.getOutputStream().write(keys.getBytes(StandardCharsets.UTF_8));
                process.getOutputStream().flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return this;
        }

        public int exitCode() throws InterruptedException {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new AssertionError("the terminal session did not end; it shows: " + shown);
            }
            return process.exitValue();
        }

        @Override
        public void close() {
            process.destroyForcibly();
        }
    }

    /** Collects the lines a started process prints, on a thread of its own, into {@code lines}. */
    public static void collectLines(Process p, List<String> lines) {
        Thread reader = new Thread(() -> {
            try (java.io.BufferedReader r = new java.io.BufferedReader(
                    new java.io.InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    lines.add(line);
                }
            } catch (IOException ignored) {
                // the process was stopped
            }
        });
        reader.setDaemon(true);
        reader.start();
    }

    private static CompletableFuture<String> read(InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            }
        });
    }
}
