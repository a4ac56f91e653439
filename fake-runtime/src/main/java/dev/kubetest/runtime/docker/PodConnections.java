package dev.kubetest.runtime.docker;

import dev.kubetest.core.runtime.ContainerRuntime.HttpAnswer;
import dev.kubetest.core.runtime.ContainerRuntime.PortStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * Connections from this JVM to pods on the Docker network, as the kubelet makes them on a node: tcpSocket and
 * httpGet probes (1 s to connect, as the probes' default timeout), and port-forward streams.
 */
final class PodConnections implements AutoCloseable {
    private static final int CONNECT_TIMEOUT_MS = 1000;
    private final ExecutorService readers = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "kubetest-docker-port");
        t.setDaemon(true);
        return t;
    });
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();

    boolean listening(String ip, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(ip, port), CONNECT_TIMEOUT_MS);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** One GET with HTTP/1.1 and Connection: close, as the kubelet's prober sends; null when nothing listens. */
    HttpAnswer httpGet(String ip, int port, String path) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(ip, port), CONNECT_TIMEOUT_MS);
            s.setSoTimeout(10_000);
            String request = "GET " + (path.startsWith("/") ? path : "/" + path) + " HTTP/1.1\r\nHost: " + ip + ":" + port
                    + "\r\nUser-Agent: kube-probe/1.32\r\nAccept: */*\r\nConnection: close\r\n\r\n";
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return parse(s.getInputStream().readAllBytes());
        } catch (java.net.SocketTimeoutException e) {
            return new HttpAnswer(0, null, "");
        } catch (IOException e) {
            return null;
        }
    }

    /** Parses a whole HTTP/1.x answer: status, Location, body (de-chunked). */
    static HttpAnswer parse(byte[] raw) {
        String text = new String(raw, StandardCharsets.ISO_8859_1);
        int headEnd = text.indexOf("\r\n\r\n");
        String head = headEnd < 0 ? text : text.substring(0, headEnd);
        String body = headEnd < 0 ? "" : text.substring(headEnd + 4);
        String[] lines = head.split("\r\n");
        String[] status = lines[0].split(" ");
        int code = status.length > 1 ? Integer.parseInt(status[1]) : 0;
        String location = null;
        boolean chunked = false;
        for (String line : Arrays.asList(lines).subList(1, lines.length)) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = line.substring(0, colon).trim();
            String value = line.substring(colon + 1).trim();
            if (name.equalsIgnoreCase("Location")) {
                location = value;
            } else if (name.equalsIgnoreCase("Transfer-Encoding") && value.equalsIgnoreCase("chunked")) {
                chunked = true;
            }
        }
        if (chunked) {
            body = dechunk(body);
        }
        return new HttpAnswer(code, location, new String(body.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8));
    }

    private static String dechunk(String body) {
        StringBuilder out = new StringBuilder();
        int at = 0;
        while (at < body.length()) {
            int eol = body.indexOf("\r\n", at);
            if (eol < 0) {
                break;
            }
            int size = Integer.parseInt(body.substring(at, eol).split(";")[0].trim(), 16);
            if (size == 0) {
                break;
            }
            out.append(body, eol + 2, Math.min(body.length(), eol + 2 + size));
            at = eol + 2 + size + 2;
        }
        return out.toString();
    }

    /** A byte stream to ip:port (port-forward); null when nothing listens. */
    PortStream connect(String ip, int port, Consumer<byte[]> fromContainer) {
        Socket s = new Socket();
        try {
            s.connect(new InetSocketAddress(ip, port), CONNECT_TIMEOUT_MS);
        } catch (IOException e) {
            return null;
        }
        open.add(s);
        readers.execute(() -> {
            byte[] buf = new byte[16 * 1024];
            try (InputStream in = s.getInputStream()) {
                for (int n; (n = in.read(buf)) > 0; ) {
                    fromContainer.accept(Arrays.copyOf(buf, n));
                }
            } catch (IOException e) {
                // closed
            } finally {
                open.remove(s);
            }
        });
        return new PortStream() {
            @Override
            public void write(byte[] data) {
                try {
                    s.getOutputStream().write(data);
                    s.getOutputStream().flush();
                } catch (IOException e) {
                    close();
                }
            }

            @Override
            public void close() {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // closed
                }
                open.remove(s);
            }
        };
    }

    @Override
    public void close() {
        for (Socket s : open) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closed
            }
        }
        readers.shutdownNow();
    }

}
