package dev.kubetest.apiserver;

import dev.kubetest.apiserver.http.Responses;
import dev.kubetest.apiserver.tls.ServerTls;
import dev.kubetest.core.tls.SharedTls;
import dev.kubetest.core.warmup.JvmWarmup;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Prepares what an API server's first request needs while the first cluster of the JVM boots: the shared event
 * loops (held for the few seconds {@link ServerThreads} keeps idle threads, so the server that follows takes them
 * over), then one request on loopback through a server made by {@link ApiServer#httpBootstrap} (bind, accept,
 * the HTTP codec, the hand-off to the request pool, the response writer), from a plain socket; then, unless a
 * plain-HTTP server has started by then, the JVM's TLS material ({@link SharedTls}: the CA, made once per JVM in
 * any case) and the server's TLS context over it ({@link ServerTls#of}, reused by every server of that material).
 * An HTTPS server's first connection waits for both, and the cluster asks for the CA only once its own boot is
 * done: here they start while it boots, on the other core. Nothing here touches a cluster; the socket is an
 * ephemeral port on 127.0.0.1, closed before the warm-up ends.
 */
public final class ServerWarmup implements JvmWarmup {
    private static final byte[] REQUEST = "GET /version HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
            .getBytes(StandardCharsets.US_ASCII);

    /** Set once a plain-HTTP server has started in this JVM: its clusters then need no TLS context prepared. */
    private static volatile boolean plainHttpServed;

    static void plainHttpServed() {
        plainHttpServed = true;
    }

    @Override
    public void run() {
        ServerThreads threads = ServerThreads.acquire();
        try {
            loopback(threads);
            if (!plainHttpServed) {
                ServerTls.of(SharedTls.get().join());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            threads.release();
        }
    }

    private static void loopback(ServerThreads threads) throws InterruptedException {
        ChannelInboundHandlerAdapter handler = new Answer(threads.handlers);
        Channel server = ApiServer.httpBootstrap(threads, ch -> { }, handler, null).bind("127.0.0.1", 0).sync().channel();
        try (Socket client = new Socket()) {
            client.connect((InetSocketAddress) server.localAddress(), 5000);
            client.setSoTimeout(5000);
            client.getOutputStream().write(REQUEST);
            InputStream in = client.getInputStream();
            byte[] buffer = new byte[4096];
            while (in.read(buffer) >= 0) {
                // the answer, read to the end: the server closes the connection after it
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            server.close().sync();
        }
    }

    /** Answers every request with a version document, written from the request pool as the API handler does. */
    @io.netty.channel.ChannelHandler.Sharable
    private static final class Answer extends ChannelInboundHandlerAdapter {
        private final java.util.concurrent.Executor executor;

        Answer(java.util.concurrent.Executor executor) {
            this.executor = executor;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object request) {
            ReferenceCountUtil.release(request);
            executor.execute(() -> Responses.json(ctx, false, 200, ApiServer.versionInfo("1.0.0")));
        }
    }
}
