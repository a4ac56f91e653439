package dev.kubetest.apiserver.stream;

import dev.kubetest.apiserver.http.Request;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubetest.core.meta.ApiException;
import dev.kubetest.core.api.KubeApi;
import dev.kubetest.core.meta.ResourceType;
import dev.kubetest.core.json.Json;
import dev.kubetest.core.runtime.ContainerProcess;
import dev.kubetest.core.runtime.ContainerRuntime;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.util.AttributeKey;
import java.util.List;
import java.util.function.Consumer;

/**
 * {@code pods/exec} over WebSocket with the channel protocols ({@code v5.channel.k8s.io}, {@code v4...}):
 * stdin on channel 0 (until the v5 close-stdin frame or the client's close), stdout 1, stderr 2, and the exit
 * status as a {@code Status} on channel 3, as kubectl, fabric8 and client-java expect.
 */
public final class ExecSession {
    /** Where the API handler sends the WebSocket frames of a connection that became an exec session. */
    public static final AttributeKey<Consumer<WebSocketFrame>> FRAMES = AttributeKey.valueOf("kubetest.exec.frames");
    private static final String SUBPROTOCOLS = "v5.channel.k8s.io,v4.channel.k8s.io,v3.channel.k8s.io,v2.channel.k8s.io,channel.k8s.io";

    private ExecSession() {}

    public static void start(Request r, KubeApi api, dev.kubetest.core.kubelet.NodeConnector nodes, ResourceType pods,
                      String ns, String name) {
        ContainerProcess process = runningContainer(r, api.get(pods, ns, name), nodes, name);
        List<String> command = r.params("command");
        if (command.isEmpty()) {
            throw ApiException.badRequest("you must specify at least 1 command");
        }
        boolean stdin = r.flag("stdin");
        boolean tty = r.flag("tty");
        java.util.function.Function<ContainerRuntime.ExecListener, ContainerRuntime.ExecStream> open =
                listener -> nodes.exec(process, command, stdin, tty, listener);
        if (SpdyRemoteCommand.serve(r, open, code -> status(command, code))) {
            return;
        }
        WebSocketServerHandshaker hs = handshaker(r);
        if (hs != null) {
            connect(r, hs, open, code -> status(command, code));
        }
    }

    /**
     * Completes the handshake and joins a client to a process's streams: channel 0 (stdin) and 4 (resize) in,
     * the v5 close of stdin, 1 and 2 out, and the {@code Status} on channel 3 with a close frame when the process
     * ends. A client that goes away cancels the stream.
     */
    /** How long after the handshake an exec'd or attached process starts (see {@link #connect}). */
    static final java.time.Duration STREAM_SETUP = java.time.Duration.ofMillis(25);

    static void connect(Request r, WebSocketServerHandshaker hs,
                        java.util.function.Function<ContainerRuntime.ExecListener, ContainerRuntime.ExecStream> open,
                        java.util.function.IntFunction<JsonNode> status) {
        Channel ch = r.ctx.channel();
        ContainerRuntime.ExecListener listener = new ContainerRuntime.ExecListener() {
            @Override
            public void stdout(byte[] data) {
                send(ch, 1, data);
            }

            @Override
            public void stderr(byte[] data) {
                send(ch, 2, data);
            }

            @Override
            public void exited(int exitCode) {
                send(ch, 3, Json.bytes(status.apply(exitCode)));
                ch.writeAndFlush(new CloseWebSocketFrame(1000, "")).addListener(ChannelFutureListener.CLOSE);
            }
        };
        List<WebSocketFrame> early = new java.util.ArrayList<>();
        ContainerRuntime.ExecStream[] stream = {null};
        Consumer<WebSocketFrame> input = frame -> {
            ContainerRuntime.ExecStream s = stream[0];
            if (frame instanceof CloseWebSocketFrame) {
                s.closeInput();
                return;
            }
            ByteBuf b = frame.content();
            if (b.readableBytes() == 0) {
                return;
            }
            int channel = b.getUnsignedByte(b.readerIndex());
            byte[] data = new byte[b.readableBytes() - 1];
            b.getBytes(b.readerIndex() + 1, data);
            if (channel == 0 && data.length > 0) {
                s.write(data);
            } else if (channel == 4) {
                JsonNode size = Json.parse(new String(data, java.nio.charset.StandardCharsets.UTF_8));
                s.resize(size.path("Width").asInt(), size.path("Height").asInt());
            } else if (channel == 255 && data.length > 0 && data[0] == 0) {
                s.closeInput();
            }
        };
        ch.attr(FRAMES).set(frame -> {
            synchronized (stream) {
                if (stream[0] == null) {
                    early.add(frame.retainedDuplicate());
                    return;
                }
            }
            input.accept(frame);
        });
        // The process starts a moment after the handshake, as a runtime's exec takes milliseconds: client-go's
        // WebSocket client reads frames while it is still registering its streams, and drops output that comes
        // before (kubectl then prints "Unknown stream id 2, discarding message").
        hs.handshake(ch, r.http).addListener(f -> ch.eventLoop().schedule(() -> {
            ContainerRuntime.ExecStream s = open.apply(listener);
            ch.closeFuture().addListener(c -> s.cancel());
            synchronized (stream) {
                stream[0] = s;
                for (WebSocketFrame frame : early) {
                    try {
                        input.accept(frame);
                    } finally {
                        frame.release();
                    }
                }
                early.clear();
            }
        }, STREAM_SETUP.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS));
    }

    /** The running container a stream request names ({@code container}, else the default one), or 400. */
    static ContainerProcess runningContainer(Request r, ObjectNode pod, dev.kubetest.core.kubelet.NodeConnector nodes,
                                             String name) {
        String container = r.param("container");
        List<String> names = new java.util.ArrayList<>();
        pod.path("spec").path("containers").forEach(c -> names.add(c.path("name").asText()));
        if (container == null || container.isEmpty()) {
            container = names.size() == 1 ? names.get(0)
                    : pod.path("metadata").path("annotations").path("kubectl.kubernetes.io/default-container").asText(names.get(0));
        }
        ContainerProcess process = nodes.container(pod, container, false);
        if (process == null || !process.running()) {
            throw ApiException.badRequest("container " + container + " is not valid for pod " + name);
        }
        return process;
    }

    /** The WebSocket handshake for a channel-protocol stream, or null after answering an unsupported version. */
    static WebSocketServerHandshaker handshaker(Request r) {
        return handshaker(r, SUBPROTOCOLS);
    }

    /** The WebSocket handshake offering {@code subprotocols}, or null after answering an unsupported version. */
    static WebSocketServerHandshaker handshaker(Request r, String subprotocols) {
        if (!r.isWebSocketUpgrade()) {
            throw ApiException.badRequest("Upgrade request required");
        }
        String url = "ws://" + r.header(HttpHeaderNames.HOST) + r.http.uri();
        WebSocketServerHandshaker hs = new WebSocketServerHandshakerFactory(url, subprotocols, true, 64 * 1024 * 1024)
                .newHandshaker(r.http);
        if (hs == null) {
            WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(r.ctx.channel());
        }
        return hs;
    }

    static void send(Channel ch, int channel, byte[] data) {
        byte[] frame = new byte[data.length + 1];
        frame[0] = (byte) channel;
        System.arraycopy(data, 0, frame, 1, data.length);
        ch.writeAndFlush(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(frame)));
    }

    static JsonNode status(List<String> command, int exitCode) {
        ObjectNode s = Json.object();
        s.putObject("metadata");
        if (exitCode == 0) {
            s.put("status", "Success");
            return s;
        }
        s.put("status", "Failure");
        s.put("message", "command terminated with non-zero exit code: error executing command " + command
                + ", exit code " + exitCode);
        s.put("reason", "NonZeroExitCode");
        ObjectNode cause = s.putObject("details").putArray("causes").addObject();
        cause.put("reason", "ExitCode");
        cause.put("message", Integer.toString(exitCode));
        return s;
    }
}
