package dev.kubetest.core.network;

import dev.kubetest.core.runtime.ContainerProcess;
import dev.kubetest.core.runtime.ContainerRuntime;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A real port on 127.0.0.1 bridged to a port of a simulated pod, as {@code kubectl port-forward} bridges one: each
 * connection a test's HTTP client (or a browser) opens becomes a connection to the pod's port, bytes passed both
 * ways until either side closes. Close it to free the port.
 *
 * <pre>{@code
 * try (LocalPortForward web = cluster.portForward("shop", "svc/web", 80)) {
 *     HttpClient.newHttpClient().send(HttpRequest.newBuilder(web.uri("/")).build(), BodyHandlers.ofString());
 * }
 * }</pre>
 */
public final class LocalPortForward implements AutoCloseable {
    private final ServerSocket server;
    private final ContainerRuntime runtime;
    private final ContainerProcess container;
    private final int podPort;
    private final String pod;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();

    /**
     * Resolves {@code target} as {@code kubectl port-forward TARGET PORT} does ({@code pod/NAME} or a bare pod name,
     * {@code svc/NAME} with the Service's port, a workload such as {@code deploy/NAME}) and opens the forward;
     * {@code runningContainer} finds a running container of a pod. Fails with kubectl's messages.
     */
    public static LocalPortForward open(dev.kubetest.core.api.KubeApi api, ContainerRuntime runtime,
                                        java.util.function.BiFunction<String, String, ContainerProcess> runningContainer,
                                        String namespace, String target, int port) {
        String kind = target.contains("/") ? target.substring(0, target.indexOf('/')) : "pod";
        String name = target.contains("/") ? target.substring(target.indexOf('/') + 1) : target;
        String plural = ForwardTargets.plural(kind);
        var registry = api.registry();
        var pods = registry.find("", "v1", "pods").orElseThrow();
        var type = plural.equals("pods") || plural.equals("services") ? registry.find("", "v1", plural).orElseThrow()
                : registry.find("apps", "v1", plural).orElseThrow();
        com.fasterxml.jackson.databind.JsonNode obj = api.find(type, namespace, name)
                .orElseThrow(() -> new IllegalArgumentException("Error from server (NotFound): " + plural + " \"" + name + "\" not found"));
        com.fasterxml.jackson.databind.JsonNode pod = obj;
        if (!plural.equals("pods")) {
            var selector = ForwardTargets.selector(obj);
            var selected = api.lists().list(pods, namespace, dev.kubetest.core.meta.ListOptions.all()).items().stream()
                    .filter(p -> selector.matches(dev.kubetest.core.selector.LabelSelector.labelsOf(p))).toList();
            pod = ForwardTargets.pick(selected).orElseThrow(() ->
                    new IllegalArgumentException("error: unable to forward port because no running pod is selected by " + target));
        }
        int podPort = plural.equals("services") ? ForwardTargets.podPort(obj, port, pod) : port;
        String podName = pod.path("metadata").path("name").asText();
        if (!"Running".equals(pod.path("status").path("phase").asText())) {
            throw new IllegalArgumentException("error: unable to forward port because pod is not running. Current status="
                    + pod.path("status").path("phase").asText("Pending"));
        }
        ContainerProcess process = runtime == null ? null : runningContainer.apply(namespace, podName);
        if (process == null) {
            throw new IllegalArgumentException("error: unable to forward port because pod " + podName + " has no running container");
        }
        return new LocalPortForward(runtime, process, namespace + "/" + podName, podPort);
    }

    /** Forwards a new local port to {@code podPort} of the pod {@code pod} whose running container is {@code container}. */
    public LocalPortForward(ContainerRuntime runtime, ContainerProcess container, String pod, int podPort) {
        this.runtime = runtime;
        this.container = container;
        this.pod = pod;
        this.podPort = podPort;
        try {
            this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread accept = new Thread(this::acceptLoop, "kubetest-port-forward-" + server.getLocalPort());
        accept.setDaemon(true);
        accept.start();
    }

    /** The local port. */
    public int localPort() {
        return server.getLocalPort();
    }

    /** Whether the local port still accepts connections (until {@link #close()}). */
    public boolean isOpen() {
        return !server.isClosed();
    }

    /** The pod the connections go to, {@code namespace/name}. */
    public String pod() {
        return pod;
    }

    /** The pod's port the connections reach. */
    public int podPort() {
        return podPort;
    }

    /** {@code http://127.0.0.1:<localPort><path>}. */
    public java.net.URI uri(String path) {
        return java.net.URI.create("http://127.0.0.1:" + localPort() + (path.startsWith("/") ? path : "/" + path));
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            open.add(socket);
            Thread t = new Thread(() -> bridge(socket), "kubetest-port-forward-" + localPort() + "-conn");
            t.setDaemon(true);
            t.start();
        }
    }

    private void bridge(Socket socket) {
        try (socket) {
            OutputStream toClient = socket.getOutputStream();
            ContainerRuntime.PortStream stream = container.running() ? runtime.connect(container, podPort, data -> {
                try {
                    synchronized (toClient) {
                        toClient.write(data);
                        toClient.flush();
                    }
                } catch (IOException e) {
                    // the client went away; the read loop ends too
                }
            }) : null;
            if (stream == null) {
                return; // nothing listens: the connection is reset, as kubectl's "connection refused" ends it
            }
            try {
                InputStream fromClient = socket.getInputStream();
                byte[] buffer = new byte[16 * 1024];
                int n;
                while ((n = fromClient.read(buffer)) >= 0) {
                    if (n > 0) {
                        stream.write(java.util.Arrays.copyOf(buffer, n));
                    }
                }
            } finally {
                stream.close();
            }
        } catch (IOException e) {
            // the connection ended
        } finally {
            open.remove(socket);
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            // already closed
        }
        for (Socket s : open) {
            try {
                s.close();
            } catch (IOException e) {
                // already closed
            }
        }
    }
}
