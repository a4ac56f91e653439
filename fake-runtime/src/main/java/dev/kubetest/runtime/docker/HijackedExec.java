package dev.kubetest.runtime.docker;

import dev.kubetest.core.runtime.ContainerRuntime.ExecListener;
import dev.kubetest.core.runtime.ContainerRuntime.ExecStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.function.IntSupplier;

/**
 * A streamed exec (or an attach) started on a raw connection to the engine ({@code POST /exec/<id>/start} upgraded to a TCP
 * stream, as the docker CLI does), so that the client's end of input reaches the process as end of file: the
 * connection's write side is shut down, which docker-java's hijacked streams do not do (so {@code kubectl cp} into
 * a container, whose {@code tar x} reads to the end, could not finish through them).
 */
final class HijackedExec {
    private HijackedExec() {}

    /** What a client's terminal resize does (null: no terminal). */
    interface Resizer {
        void resize(int width, int height);
    }

    static ExecStream start(URI dockerHost, String execId, boolean stdin, boolean tty, ExecListener listener,
                            IntSupplier exitCode, Resizer resizer, ExecutorService readers) {
        byte[] body = ("{\"Detach\":false,\"Tty\":" + tty + "}").getBytes(StandardCharsets.US_ASCII);
        return open(dockerHost, "/exec/" + execId + "/start", body, stdin, tty, listener, exitCode, resizer, readers);
    }

    /** {@code kubectl attach}: the container's main process from now on, its stdin when it has one open. */
    static ExecStream attach(URI dockerHost, String containerId, boolean stdin, boolean tty, ExecListener listener,
                             IntSupplier exitCode, Resizer resizer, ExecutorService readers) {
        return open(dockerHost, "/containers/" + containerId + "/attach?stream=1&stdout=1&stderr=1&stdin=" + (stdin ? 1 : 0),
                new byte[0], stdin, tty, listener, exitCode, resizer, readers);
    }

    /** Input is passed on only with {@code stdin}; resizes only to a {@code resizer}, whose failures are ignored. */
    private static ExecStream open(URI dockerHost, String path, byte[] body, boolean stdin, boolean tty,
                                   ExecListener listener, IntSupplier exitCode, Resizer resizer, ExecutorService readers) {
        SocketChannel channel = open(dockerHost);
        try {
            String head = "POST " + path + " HTTP/1.1\r\nHost: docker\r\nContent-Type: application/json\r\n"
                    + "Connection: Upgrade\r\nUpgrade: tcp\r\nContent-Length: " + body.length + "\r\n\r\n";
            write(channel, head.getBytes(StandardCharsets.US_ASCII));
            write(channel, body);
            String status = readHead(channel);
            if (!status.startsWith("HTTP/1.1 101") && !status.startsWith("HTTP/1.1 200")) {
                channel.close();
                throw new IllegalStateException("the engine refused the stream " + path + ": " + status);
            }
        } catch (IOException e) {
            close(channel);
            throw new UncheckedIOException(e);
        }
        readers.execute(() -> {
            try {
                if (tty) {
                    ByteBuffer buf = ByteBuffer.allocate(16 * 1024);
                    while (channel.read(buf) > 0) {
                        buf.flip();
                        byte[] data = new byte[buf.remaining()];
                        buf.get(data);
                        listener.stdout(data);
                        buf.clear();
                    }
                } else {
                    demultiplex(channel, listener);
                }
            } catch (IOException e) {
                // the connection ended
            } finally {
                close(channel);
                listener.exited(exitCode.getAsInt());
            }
        });
        return new ExecStream() {
            @Override
            public void write(byte[] data) {
                if (!stdin) {
                    return;
                }
                try {
                    HijackedExec.write(channel, data);
                } catch (IOException e) {
                    // the process ended
                }
            }

            @Override
            public void closeInput() {
                if (!stdin) {
                    return;
                }
                try {
                    channel.shutdownOutput();
                } catch (IOException e) {
                    // already closed
                }
            }

            @Override
            public void resize(int width, int height) {
                if (resizer != null) {
                    try {
                        resizer.resize(width, height);
                    } catch (RuntimeException ignored) {
                        // the process ended
                    }
                }
            }

            @Override
            public void cancel() {
                close(channel);
            }
        };
    }

    /** The engine's multiplexed stream: frames of [stream, 0, 0, 0, size (4 bytes, big-endian)] and the payload. */
    private static void demultiplex(SocketChannel channel, ExecListener listener) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(8);
        while (readFully(channel, header)) {
            header.flip();
            int stream = header.get(0);
            int size = header.getInt(4);
            header.clear();
            ByteBuffer payload = ByteBuffer.allocate(size);
            if (!readFully(channel, payload)) {
                return;
            }
            if (stream == 2) {
                listener.stderr(payload.array());
            } else {
                listener.stdout(payload.array());
            }
        }
    }

    private static boolean readFully(SocketChannel channel, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
            if (channel.read(buf) < 0) {
                return false;
            }
        }
        return true;
    }

    /** Reads the answer's head byte by byte (the stream starts right after it) and returns its status line. */
    private static String readHead(SocketChannel channel) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        ByteBuffer one = ByteBuffer.allocate(1);
        while (true) {
            one.clear();
            if (channel.read(one) < 0) {
                break;
            }
            head.write(one.get(0));
            byte[] b = head.toByteArray();
            int n = b.length;
            if (n >= 4 && b[n - 4] == '\r' && b[n - 3] == '\n' && b[n - 2] == '\r' && b[n - 1] == '\n') {
                break;
            }
        }
        String text = head.toString(StandardCharsets.ISO_8859_1);
        int eol = text.indexOf("\r\n");
        return eol < 0 ? text : text.substring(0, eol);
    }

    private static void write(SocketChannel channel, byte[] data) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(data);
        synchronized (channel) {
            while (buf.hasRemaining()) {
                channel.write(buf);
            }
        }
    }

    private static SocketChannel open(URI host) {
        try {
            if ("unix".equals(host.getScheme())) {
                SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX);
                c.connect(UnixDomainSocketAddress.of(host.getPath()));
                return c;
            }
            if ("tcp".equals(host.getScheme())) {
                return SocketChannel.open(new InetSocketAddress(host.getHost(), host.getPort()));
            }
            throw new IllegalStateException("streamed exec needs a unix:// or tcp:// DOCKER_HOST, got " + host);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void close(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // closed
        }
    }
}
