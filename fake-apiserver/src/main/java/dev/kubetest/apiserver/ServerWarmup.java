package dev.kubetest.apiserver;

import dev.kubetest.apiserver.http.Responses;
import dev.kubetest.core.warmup.JvmWarmup;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;

/**
 * Prepares what an API server's first request needs while the first cluster of the JVM boots: the shared event
 * loops (held for the few seconds {@link ServerThreads} keeps idle threads, so the server that follows takes them
 * over), and one request through the same HTTP codec and response writer on an in-memory channel. Nothing here
 * touches a cluster or a socket.
 */
public final class ServerWarmup implements JvmWarmup {
    private static final byte[] REQUEST = "GET /version HTTP/1.1\r\nHost: warmup\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    @Override
    public void run() {
        ServerThreads threads = ServerThreads.acquire();
        try {
            EmbeddedChannel channel = new EmbeddedChannel(new HttpServerCodec(), new HttpObjectAggregator(1 << 20),
                    new ChannelInboundHandlerAdapter() {
                        @Override
                        public void channelRead(ChannelHandlerContext ctx, Object request) {
                            ReferenceCountUtil.release(request);
                            Responses.json(ctx, true, 200, ApiServer.versionInfo("1.0.0"));
                        }
                    });
            channel.writeInbound(Unpooled.wrappedBuffer(REQUEST));
            for (Object out = channel.readOutbound(); out != null; out = channel.readOutbound()) {
                ReferenceCountUtil.release(out);
            }
            channel.finishAndReleaseAll();
        } finally {
            threads.release();
        }
    }
}
