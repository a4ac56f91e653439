package dev.kubetest.apiserver.stream;


import dev.kubetest.core.runtime.ContainerRuntime;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.spdy.DefaultSpdyDataFrame;
import io.netty.handler.codec.spdy.DefaultSpdyPingFrame;
import io.netty.handler.codec.spdy.SpdyDataFrame;
import io.netty.handler.codec.spdy.SpdyFrame;
import io.netty.handler.codec.spdy.SpdyPingFrame;
import io.netty.handler.codec.spdy.SpdyRstStreamFrame;
import io.netty.handler.codec.spdy.SpdySynStreamFrame;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Consumer;

/**
 * The port-forward protocol on a SPDY/3.1 connection, as the kubelet speaks it to kubectl: the client opens an
 * {@code error} and a {@code data} stream per connection (headers {@code streamtype}, {@code port},
 * {@code requestid}); each is answered with a SYN_REPLY; the data stream's bytes go to what listens on the
 * port in the pod and its answers come back as DATA frames; a failure to connect is written to the error
 * stream. A FIN or RST from the client ends the connection to the container. Independent of the transport
 * (raw SPDY after an HTTP upgrade, or SPDY tunnelled in WebSocket messages).
 */
final class SpdyPortForwarder implements SpdyTransports.SpdySession {
    /** Opens a connection to a port of the pod, or returns null when nothing listens there. */
    interface Connector extends BiFunction<Integer, Consumer<byte[]>, ContainerRuntime.PortStream> {}

    private final Consumer<SpdyFrame> out;
    private final Connector connector;
    private final String podUid;
    private final Map<Integer, ContainerRuntime.PortStream> dataStreams = new HashMap<>();
    private final Map<String, Integer> errorStreams = new HashMap<>();

    SpdyPortForwarder(Consumer<SpdyFrame> out, Connector connector, String podUid) {
        this.out = out;
        this.connector = connector;
        this.podUid = podUid;
    }

    @Override
    public void receive(SpdyFrame frame) {
        if (frame instanceof SpdySynStreamFrame syn) {
            open(syn);
        } else if (frame instanceof SpdyDataFrame data) {
            ContainerRuntime.PortStream stream;
            synchronized (this) {
                stream = dataStreams.get(data.streamId());
            }
            if (stream != null && data.content().isReadable()) {
                byte[] bytes = new byte[data.content().readableBytes()];
                data.content().getBytes(data.content().readerIndex(), bytes);
                stream.write(bytes);
            }
            if (data.isLast()) {
                finish(data.streamId());
            }
        } else if (frame instanceof SpdyRstStreamFrame rst) {
            finish(rst.streamId());
        } else if (frame instanceof SpdyPingFrame ping) {
            out.accept(new DefaultSpdyPingFrame(ping.id()));
        }
    }

    private void open(SpdySynStreamFrame syn) {
        int id = syn.streamId();
        String type = syn.headers().getAsString("streamtype");
        String requestId = String.valueOf(syn.headers().getAsString("requestid"));
        String portHeader = syn.headers().getAsString("port");
        out.accept(SpdyTransports.accept(syn));
        if ("error".equals(type)) {
            synchronized (this) {
                errorStreams.put(requestId, id);
            }
            return;
        }
        if (!"data".equals(type)) {
            fin(id);
            return;
        }
        int port;
        try {
            port = Integer.parseInt(portHeader);
        } catch (NumberFormatException e) {
            error(requestId, "invalid port \"" + portHeader + "\"");
            fin(id);
            return;
        }
        ContainerRuntime.PortStream stream = connector.apply(port, bytes -> out.accept(
                new DefaultSpdyDataFrame(id, Unpooled.wrappedBuffer(bytes))));
        if (stream == null) {
            error(requestId, "error forwarding port " + port + " to pod " + podUid
                    + ", uid : failed to connect to localhost:" + port + " inside namespace: connection refused");
            fin(id);
            return;
        }
        synchronized (this) {
            dataStreams.put(id, stream);
        }
    }

    private void error(String requestId, String message) {
        Integer errorStream;
        synchronized (this) {
            errorStream = errorStreams.remove(requestId);
        }
        if (errorStream != null) {
            ByteBuf text = Unpooled.copiedBuffer(message, StandardCharsets.UTF_8);
            out.accept(new DefaultSpdyDataFrame(errorStream, text));
            fin(errorStream);
        }
    }

    /** The client is done with a stream: close the container side and answer with a FIN. */
    private void finish(int streamId) {
        ContainerRuntime.PortStream stream;
        synchronized (this) {
            stream = dataStreams.remove(streamId);
        }
        if (stream != null) {
            stream.close();
            fin(streamId);
        }
    }

    private void fin(int streamId) {
        DefaultSpdyDataFrame fin = new DefaultSpdyDataFrame(streamId);
        fin.setLast(true);
        out.accept(fin);
    }

    /** The transport ended: close every connection to the container. */
    @Override
    public void close() {
        Map<Integer, ContainerRuntime.PortStream> open;
        synchronized (this) {
            open = new HashMap<>(dataStreams);
            dataStreams.clear();
        }
        open.values().forEach(ContainerRuntime.PortStream::close);
    }
}
