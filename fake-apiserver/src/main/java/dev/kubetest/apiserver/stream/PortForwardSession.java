package dev.kubetest.apiserver.stream;

import dev.kubetest.apiserver.http.Request;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubetest.core.meta.ApiException;
import dev.kubetest.core.api.KubeApi;
import dev.kubetest.core.meta.ResourceType;
import dev.kubetest.core.runtime.ContainerProcess;
import dev.kubetest.core.runtime.ContainerRuntime;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code pods/portforward} over WebSocket with the channel protocol (as the fabric8 client speaks it): for the
 * i-th requested port, channel 2i carries data and 2i+1 errors, and each starts with the port number in two
 * little-endian bytes; bytes go to whatever listens on that port in the pod's containers. kubectl speaks SPDY
 * instead, tunnelled in WebSocket or raw after an HTTP upgrade: {@link SpdyPortForwarder}.
 */
public final class PortForwardSession {
    private PortForwardSession() {}

    /** The WebSocket subprotocol kubectl 1.31 and later use: SPDY/3.1 frames inside binary messages. */
    static final String SPDY_TUNNEL = "SPDY/3.1+portforward.k8s.io";

    public static void start(Request r, KubeApi api, dev.kubetest.core.kubelet.NodeConnector nodes, ResourceType pods,
                      String ns, String name) {
        ObjectNode pod = api.get(pods, ns, name);
        String uid = pod.path("metadata").path("uid").asText();
        java.util.function.Function<java.util.function.Consumer<io.netty.handler.codec.spdy.SpdyFrame>, SpdyTransports.SpdySession> spdy =
                out -> new SpdyPortForwarder(out, (port, sink) -> open(nodes, pod, port, sink), uid);
        String offered = r.header(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL);
        if (r.isWebSocketUpgrade() && offered != null && List.of(offered.split("\\s*,\\s*")).contains(SPDY_TUNNEL)) {
            WebSocketServerHandshaker hs = ExecSession.handshaker(r, SPDY_TUNNEL);
            if (hs != null) {
                SpdyTransports.overWebSocket(r, hs, spdy);
            }
            return;
        }
        if ("SPDY/3.1".equalsIgnoreCase(r.header(HttpHeaderNames.UPGRADE))) {
            SpdyTransports.upgrade(r, "portforward.k8s.io", spdy);
            return;
        }
        List<Integer> ports = new ArrayList<>();
        for (String p : r.params("ports")) {
            for (String one : p.split(",")) {
                try {
                    ports.add(Integer.parseInt(one.trim()));
                } catch (NumberFormatException e) {
                    throw ApiException.badRequest("unable to parse \"" + one + "\" as a port: invalid syntax");
                }
            }
        }
        if (ports.isEmpty()) {
            throw ApiException.badRequest("at least 1 port is required");
        }
        WebSocketServerHandshaker hs = ExecSession.handshaker(r);
        if (hs == null) {
            return;
        }
        Channel ch = r.ctx.channel();
        List<ContainerRuntime.PortStream> streams = new ArrayList<>();
        for (int i = 0; i < ports.size(); i++) {
            int dataChannel = 2 * i;
            streams.add(open(nodes, pod, ports.get(i), data -> ExecSession.send(ch, dataChannel, data)));
        }
        ch.attr(ExecSession.FRAMES).set(frame -> {
            if (frame instanceof CloseWebSocketFrame) {
                streams.forEach(s -> {
                    if (s != null) {
                        s.close();
                    }
                });
                return;
            }
            ByteBuf b = frame.content();
            if (b.readableBytes() < 1) {
                return;
            }
            int channel = b.getUnsignedByte(b.readerIndex());
            byte[] data = new byte[b.readableBytes() - 1];
            b.getBytes(b.readerIndex() + 1, data);
            int index = channel / 2;
            if (channel % 2 == 0 && index < streams.size() && data.length > 0) {
                ContainerRuntime.PortStream stream = streams.get(index);
                if (stream == null) {
                    ExecSession.send(ch, channel + 1, ("error forwarding port " + ports.get(index) + " to pod "
                            + pod.path("metadata").path("uid").asText() + ": connection refused").getBytes(StandardCharsets.UTF_8));
                } else {
                    stream.write(data);
                }
            }
        });
        hs.handshake(ch, r.http).addListener(f -> {
            for (int i = 0; i < ports.size(); i++) {
                byte[] port = {(byte) (ports.get(i) & 0xff), (byte) ((ports.get(i) >> 8) & 0xff)};
                ExecSession.send(ch, 2 * i, port);
                ExecSession.send(ch, 2 * i + 1, port);
            }
        });
    }

    /** A stream to the first container of the pod that listens on {@code port}, or null. */
    private static ContainerRuntime.PortStream open(dev.kubetest.core.kubelet.NodeConnector nodes, JsonNode pod, int port,
                                                    java.util.function.Consumer<byte[]> out) {
        for (JsonNode c : pod.path("spec").path("containers")) {
            ContainerProcess process = nodes.container(pod, c.path("name").asText(), false);
            if (process != null && process.running()) {
                ContainerRuntime.PortStream s = nodes.connect(process, port, out);
                if (s != null) {
                    return s;
                }
            }
        }
        return null;
    }
}
