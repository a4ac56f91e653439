package dev.kubetest.apiserver.stream;

import dev.kubetest.apiserver.http.Request;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.spdy.SpdyFrame;
import io.netty.handler.codec.spdy.SpdyFrameCodec;
import io.netty.handler.codec.spdy.SpdyVersion;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The two ways a SPDY/3.1 connection reaches the server, both with Netty's SPDY frame codec: raw on the socket
 * after {@code Upgrade: SPDY/3.1} (kubectl before 1.31, or with {@code KUBECTL_PORT_FORWARD_WEBSOCKETS=false}),
 * and tunnelled in WebSocket binary messages ({@code SPDY/3.1+portforward.k8s.io}, kubectl 1.31 and later),
 * where the messages' payloads form one byte stream of SPDY frames.
 */
final class SpdyTransports {
    private SpdyTransports() {}

    /** What speaks on a SPDY connection: port-forward or a remote command (exec, attach). */
    interface SpdySession {
        /** One frame from the client. */
        void receive(SpdyFrame frame);

        /** The connection is gone. */
        void close();
    }

    /**
     * The SYN_REPLY that accepts a client's stream. It echoes the stream's headers: Netty leaves an empty header
     * block out altogether, which spdystream (kubectl's SPDY) cannot parse.
     */
    static SpdyFrame accept(io.netty.handler.codec.spdy.SpdySynStreamFrame syn) {
        io.netty.handler.codec.spdy.DefaultSpdySynReplyFrame reply = new io.netty.handler.codec.spdy.DefaultSpdySynReplyFrame(syn.streamId());
        reply.headers().add(syn.headers());
        return reply;
    }

    /** Answers 101 to a {@code Upgrade: SPDY/3.1} request and speaks SPDY on the socket from then on. */
    static void upgrade(Request r, String streamProtocol, Function<Consumer<SpdyFrame>, SpdySession> session) {
        Channel ch = r.ctx.channel();
        FullHttpResponse switching = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.SWITCHING_PROTOCOLS);
        switching.headers().set(HttpHeaderNames.CONNECTION, "Upgrade");
        switching.headers().set(HttpHeaderNames.UPGRADE, "SPDY/3.1");
        switching.headers().set("X-Stream-Protocol-Version", streamProtocol);
        SpdySession forwarder = session.apply(ch::writeAndFlush);
        ch.eventLoop().execute(() -> {
            ch.writeAndFlush(switching);
            ch.pipeline().remove(HttpObjectAggregator.class);
            ch.pipeline().replace(HttpServerCodec.class, "spdy", new SpdyFrameCodec(SpdyVersion.SPDY_3_1));
            ch.pipeline().addAfter("spdy", "spdy-session", new SimpleChannelInboundHandler<SpdyFrame>() {
                @Override
                protected void channelRead0(ChannelHandlerContext ctx, SpdyFrame frame) {
                    forwarder.receive(frame);
                }

                @Override
                public void channelInactive(ChannelHandlerContext ctx) {
                    forwarder.close();
                }
            });
        });
    }

    /** Completes the WebSocket handshake and runs SPDY inside its binary messages. */
    static void overWebSocket(Request r, WebSocketServerHandshaker hs, Function<Consumer<SpdyFrame>, SpdySession> session) {
        Channel ch = r.ctx.channel();
        EmbeddedChannel codec = new EmbeddedChannel(new SpdyFrameCodec(SpdyVersion.SPDY_3_1));
        Consumer<SpdyFrame> send = frame -> {
            synchronized (codec) {
                codec.writeOutbound(frame);
                for (ByteBuf bytes = codec.readOutbound(); bytes != null; bytes = codec.readOutbound()) {
                    ch.writeAndFlush(new BinaryWebSocketFrame(bytes));
                }
            }
        };
        SpdySession forwarder = session.apply(send);
        ch.attr(ExecSession.FRAMES).set(frame -> {
            if (frame instanceof CloseWebSocketFrame) {
                forwarder.close();
                ch.close();
                return;
            }
            List<SpdyFrame> frames = new ArrayList<>();
            synchronized (codec) {
                codec.writeInbound(frame.content().retain());
                for (Object f = codec.readInbound(); f != null; f = codec.readInbound()) {
                    frames.add((SpdyFrame) f);
                }
            }
            for (SpdyFrame f : frames) {
                try {
                    forwarder.receive(f);
                } finally {
                    ReferenceCountUtil.release(f);
                }
            }
        });
        ch.closeFuture().addListener(f -> {
            forwarder.close();
            synchronized (codec) {
                codec.finishAndReleaseAll();
            }
        });
        hs.handshake(ch, r.http);
    }
}
