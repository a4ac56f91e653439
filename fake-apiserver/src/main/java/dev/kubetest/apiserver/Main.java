package dev.kubetest.apiserver;

import dev.kubetest.core.KubeCluster;
import dev.kubetest.core.meta.ApiException;
import dev.kubetest.core.manifest.Manifests;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * The standalone cluster: {@code java -jar kubetest-server.jar [--port N] [--kubeconfig PATH] [--nodes N]
 * [--http] [--version V] [FILE_OR_DIR ...]}. Boots a cluster, applies the manifests, writes the kubeconfig,
 * prints one {@code KubeTest ready} line and serves until SIGINT or SIGTERM.
 */
public final class Main {
    private Main() {}

    /** Parsed command line. */
    record Options(int port, Path kubeconfig, int nodes, boolean http, String version, List<Path> manifests, String time,
                   boolean logRequests, boolean keepKubeconfig, String runtime) {
        Options(int port, Path kubeconfig, int nodes, boolean http, String version, List<Path> manifests, String time) {
            this(port, kubeconfig, nodes, http, version, manifests, time, false, false, "simulated");
        }
    }

    static final String USAGE = """
            usage: kubetest-server [--port N] [--kubeconfig PATH] [--keep-kubeconfig] [--nodes N] [--http] [--version V]
                                  [--time real|real:SPEED|auto|manual] [--runtime simulated|docker] [--log-requests]
                                  [FILE_OR_DIR ...]
              --port N            listen on 127.0.0.1:N (default: a free port)
              --kubeconfig PATH   where to write the kubeconfig (default ./kubeconfig); removed on exit
              --keep-kubeconfig   leave the kubeconfig in place on exit
              --nodes N           simulated nodes (default 1)
              --http              plain HTTP instead of HTTPS
              --version V         the Kubernetes version /version reports (default 1.32.4)
              --time MODE         real (default), real:SPEED, auto (skip idle time) or manual
              --runtime NAME      the container runtime: simulated (default) or docker (real containers on the
                                  engine DOCKER_HOST or the default socket names)
              --log-requests      one line per request on standard error (verb, URI, latency, user agent, code)
              FILE_OR_DIR         manifests applied at boot (multi-document YAML or JSON; directories in name order)
            """;

    /** Asked for the usage: print it and exit 0. */
    static final class HelpRequested extends RuntimeException {
        HelpRequested() {
            super("help", null, false, false);
        }
    }

    public static void main(String[] args) {
        Options options;
        try {
            options = parse(args);
        } catch (HelpRequested e) {
            System.out.print(USAGE);
            System.exit(0);
            return;
        } catch (IllegalArgumentException e) {
            System.err.println("kubetest-server: " + e.getMessage());
            System.exit(2);
            return;
        }
        try {
            run(options);
        } catch (StartupException e) {
            System.err.println("kubetest-server: " + e.getMessage());
            System.exit(1);
        }
    }

    static final class StartupException extends Exception {
        StartupException(String message) {
            super(message);
        }
    }

    static Options parse(String[] args) {
        int port = 0;
        Path kubeconfig = Path.of("kubeconfig");
        int nodes = 1;
        boolean http = false;
        String version = KubeCluster.DEFAULT_VERSION;
        String time = "real";
        boolean logRequests = false;
        boolean keepKubeconfig = false;
        String runtime = "simulated";
        List<Path> manifests = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String value = null;
            if (a.startsWith("--") && a.contains("=")) {
                value = a.substring(a.indexOf('=') + 1);
                a = a.substring(0, a.indexOf('='));
            }
            switch (a) {
                case "--port" -> port = intValue(a, value != null ? value : next(args, ++i, a), 0, 65535);
                case "--kubeconfig" -> kubeconfig = Path.of(value != null ? value : next(args, ++i, a));
                case "--nodes" -> nodes = intValue(a, value != null ? value : next(args, ++i, a), 0, 10_000);
                case "--http" -> http = true;
                case "--version" -> {
                    version = value != null ? value : next(args, ++i, a);
                    if (!version.matches("\\d+\\.\\d+\\.\\d+")) {
                        throw new IllegalArgumentException("--version must look like 1.32.4, got \"" + version + "\"");
                    }
                }
                case "--time" -> {
                    time = value != null ? value : next(args, ++i, a);
                    if (!time.matches("real(:\\d+(\\.\\d+)?)?|auto|manual")) {
                        throw new IllegalArgumentException("--time must be real, real:SPEED, auto or manual, got \"" + time + "\"");
                    }
                }
                case "--runtime" -> {
                    runtime = value != null ? value : next(args, ++i, a);
                    if (!runtime.equals("simulated") && !runtime.equals("docker")) {
                        throw new IllegalArgumentException("--runtime must be simulated or docker, got \"" + runtime + "\"");
                    }
                }
                case "--log-requests" -> logRequests = true;
                case "--keep-kubeconfig" -> keepKubeconfig = true;
                case "-h", "--help" -> throw new HelpRequested();
                default -> {
                    if (a.startsWith("-")) {
                        throw new IllegalArgumentException("unknown flag " + a);
                    }
                    manifests.add(Path.of(a));
                }
            }
        }
        return new Options(port, kubeconfig, nodes, http, version, manifests, time, logRequests, keepKubeconfig, runtime);
    }

    private static String next(String[] args, int i, String flag) {
        if (i >= args.length) {
            throw new IllegalArgumentException(flag + " needs a value");
        }
        return args[i];
    }

    private static int intValue(String flag, String v, int min, int max) {
        try {
            int n = Integer.parseInt(v);
            if (n < min || n > max) {
                throw new IllegalArgumentException(flag + " must be between " + min + " and " + max + ", got " + n);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " needs a number, got \"" + v + "\"");
        }
    }

    /** A booted standalone cluster: its API server, and the kubeconfig written for it. */
    record Running(KubeCluster cluster, ApiServer server, Path kubeconfig, boolean keepKubeconfig) implements AutoCloseable {
        /** Stops the server and the cluster, and removes the kubeconfig (which would point at a dead port) unless kept. */
        @Override
        public void close() {
            server.close();
            cluster.close();
            if (!keepKubeconfig) {
                try {
                    Files.deleteIfExists(kubeconfig);
                } catch (IOException e) {
                    // nothing to do: the line printed on exit names the file
                }
            }
        }
    }

    static void run(Options options) throws StartupException {
        Running running = start(options);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            running.close();
            System.out.println("KubeTest stopped" + (options.keepKubeconfig()
                    ? " (kubeconfig kept: " + running.kubeconfig() + ")" : " (kubeconfig " + running.kubeconfig() + " removed)"));
            System.out.flush();
            stopped.countDown();
        }, "kubetest-shutdown"));
        System.out.println("KubeTest ready at " + running.server().url() + " (kubeconfig: " + running.kubeconfig() + ")");
        System.out.flush();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Boots the cluster and its server, applies the manifests and writes the kubeconfig. */
    static Running start(Options options) throws StartupException {
        if (!options.http()) {
            // the HTTPS server's first connection waits for the CA: make it beside the manifests and the boot
            dev.kubetest.core.tls.SharedTls.get();
        }
        List<Object[]> loaded = new ArrayList<>();
        for (Path p : options.manifests()) {
            if (!Files.exists(p)) {
                throw new StartupException("cannot read manifest " + p + ": no such file or directory");
            }
            try {
                loaded.add(new Object[] {p, Manifests.read(p)});
            } catch (IOException | RuntimeException e) {
                throw new StartupException("cannot read manifest " + p + ": " + firstLine(e.getMessage()));
            }
        }
        KubeCluster.Builder clusterBuilder = KubeCluster.builder().nodes(options.nodes()).kubernetesVersion(options.version())
                .runtime(options.runtime());
        if (options.time().startsWith("real:")) {
            clusterBuilder.clock(new dev.kubetest.core.clock.RealClock(Double.parseDouble(options.time().substring(5))));
        } else {
            clusterBuilder.timeMode(KubeCluster.TimeMode.valueOf(options.time().toUpperCase(java.util.Locale.ROOT)));
        }
        KubeCluster cluster = clusterBuilder.build();
        ApiServer.Builder builder = ApiServer.builder(cluster).port(options.port());
        if (options.http()) {
            builder.plainHttp();
        }
        if (options.logRequests()) {
            builder.logRequests();
        }
        ApiServer server;
        try {
            server = builder.start();
        } catch (Exception e) { // Netty rethrows the bind's java.net.BindException unchecked
            cluster.close();
            String why = e instanceof java.net.BindException ? "address already in use" : firstLine(e.getMessage());
            throw new StartupException("cannot listen on 127.0.0.1:" + options.port() + ": " + why);
        }
        for (Object[] l : loaded) {
            try {
                @SuppressWarnings("unchecked")
                List<com.fasterxml.jackson.databind.node.ObjectNode> objects =
                        (List<com.fasterxml.jackson.databind.node.ObjectNode>) l[1];
                Manifests.apply(cluster.api(), objects, "kubetest-server");
            } catch (ApiException e) {
                server.close();
                cluster.close();
                throw new StartupException("cannot apply manifest " + l[0] + ": " + e.getMessage());
            }
        }
        return new Running(cluster, server, server.writeKubeconfig(options.kubeconfig()).toAbsolutePath(),
                options.keepKubeconfig());
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.split("\n")[0];
    }
}
