package dev.kubetest.apiserver;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubetest.apiserver.http.ApiHandler;
import dev.kubetest.apiserver.tls.ServerTls;
import dev.kubetest.core.tls.ClusterTls;
import dev.kubetest.core.KubeCluster;
import dev.kubetest.core.json.Json;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import dev.kubetest.apiserver.http.BodyLimit;
import dev.kubetest.apiserver.http.RequestLog;
import io.netty.handler.codec.http.HttpServerCodec;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP(S) face of a {@link KubeCluster}: the Kubernetes REST, watch and discovery API on 127.0.0.1.
 * HTTPS with a CA generated at boot by default, plain HTTP as an option, an ephemeral port unless one is given.
 */
public final class ApiServer implements AutoCloseable {
    /** The longest request line, and the most header bytes, a request may have: Go's http.DefaultMaxHeaderBytes. */
    static final int MAX_HEADER_BYTES = 1 << 20;
    private final KubeCluster cluster;
    private final boolean tls;
    private final CompletableFuture<TlsMaterial> tlsMaterial;
    private final ServerThreads threads;
    private final java.util.concurrent.atomic.AtomicBoolean released = new java.util.concurrent.atomic.AtomicBoolean();
    private final Channel serverChannel;
    private final int port;
    /** Made on first use: the first SecureRandom of a JVM starts its security providers (~40 ms when fresh). */
    private String token;
    private final io.netty.channel.group.ChannelGroup connections =
            new io.netty.channel.group.DefaultChannelGroup(io.netty.util.concurrent.GlobalEventExecutor.INSTANCE);

    private ApiServer(Builder b) {
        this.cluster = b.cluster;
        this.tls = b.tls;
        // Key generation and TLS set-up run beside the socket bind; the first connection waits for them.
        this.tlsMaterial = tls ? cluster.tls().thenApply(TlsMaterial::of) : null;
        if (!tls) {
            ServerWarmup.plainHttpServed();
        }
        ObjectNode version = versionInfo(b.version != null ? b.version : cluster.kubernetesVersion());
        this.threads = ServerThreads.acquire();
        int[] boundPort = new int[1];
        ApiHandler handler = new ApiHandler(cluster.api(), cluster.subresources(), cluster.nodeConnector(), version, () -> "127.0.0.1:" + boundPort[0], threads.handlers);
        long handshakeMillis = b.handshakeTimeout.toMillis();
        ServerBootstrap bootstrap = httpBootstrap(threads, ch -> {
            connections.add(ch);
            if (tlsMaterial != null) {
                io.netty.handler.ssl.SslHandler ssl = tlsMaterial.join().serverTls().newHandler();
                ssl.setHandshakeTimeoutMillis(handshakeMillis);
                ch.pipeline().addLast(ssl);
            }
        }, handler, b.requestLog);
        try {
            this.serverChannel = bootstrap.bind("127.0.0.1", b.port).sync().channel();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while binding", e);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        this.port = ((InetSocketAddress) serverChannel.localAddress()).getPort();
        boundPort[0] = port;
        // as kube-apiserver's endpoint reconciler: the kubernetes Service's endpoints name the serving address
        dev.kubetest.core.api.ApiServerEndpoints.publish(cluster.api(), "127.0.0.1", port);
    }

    /**
     * A bootstrap on the shared threads whose connections get, after what {@code onConnect} adds (TLS), the HTTP
     * pipeline every server uses: the codec (a request line and headers of up to 1 MiB each, as Go's
     * MaxHeaderBytes), the request log when one is asked for, whole requests with bodies up to upstream's 3 MiB
     * ({@link BodyLimit}), then {@code handler}.
     */
    static ServerBootstrap httpBootstrap(ServerThreads threads, java.util.function.Consumer<SocketChannel> onConnect,
                                         io.netty.channel.ChannelHandler handler,
                                         java.util.function.Consumer<String> requestLog) {
        return new ServerBootstrap()
                .group(threads.boss, threads.workers)
                .channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        onConnect.accept(ch);
                        ch.pipeline().addLast(new HttpServerCodec(MAX_HEADER_BYTES, MAX_HEADER_BYTES, 8192));
                        if (requestLog != null) {
                            ch.pipeline().addLast(new RequestLog(requestLog));
                        }
                        ch.pipeline().addLast(new BodyLimit());
                        ch.pipeline().addLast("api", handler);
                    }
                });
    }

    /** The CA and the server's TLS context. */
    private record TlsMaterial(ClusterTls ca, ServerTls serverTls) {
        static TlsMaterial of(ClusterTls ca) {
            return new TlsMaterial(ca, ServerTls.of(ca));
        }
    }

    static ObjectNode versionInfo(String version) {
        String[] parts = version.split("\\.");
        ObjectNode v = Json.object();
        v.put("major", parts[0]);
        v.put("minor", parts.length > 1 ? parts[1] : "0");
        v.put("gitVersion", "v" + version);
        v.put("gitCommit", "0000000000000000000000000000000000000000");
        v.put("gitTreeState", "clean");
        v.put("buildDate", "2025-01-01T00:00:00Z");
        v.put("goVersion", "go1.23.6");
        v.put("compiler", "gc");
        v.put("platform", "linux/amd64");
        return v;
    }

    public static Builder builder(KubeCluster cluster) {
        return new Builder(cluster);
    }

    public KubeCluster cluster() {
        return cluster;
    }

    public int port() {
        return port;
    }

    public String url() {
        return (tls ? "https" : "http") + "://127.0.0.1:" + port;
    }

    public boolean isTls() {
        return tls;
    }

    /** The CA that signed the serving certificate, or null for plain HTTP. */
    public ClusterTls certificateAuthority() {
        return tlsMaterial == null ? null : tlsMaterial.join().ca();
    }

    /** The bearer token the kubeconfig carries (any token is accepted until authentication exists). */
    public synchronized String token() {
        if (token == null) {
            token = "kubetest-" + Long.toHexString(new java.security.SecureRandom().nextLong());
        }
        return token;
    }

    /** The kubeconfig YAML that points a client at this server. */
    public String kubeconfig() {
        ClusterTls ca = certificateAuthority();
        return Kubeconfig.yaml(url(), ca == null ? null : ca.caPem(), token());
    }

    /** The kubeconfig YAML whose context defaults to {@code namespace}. */
    public String kubeconfig(String namespace) {
        ClusterTls ca = certificateAuthority();
        return Kubeconfig.yaml(url(), ca == null ? null : ca.caPem(), token(), namespace);
    }

    public Path writeKubeconfig(Path file) {
        return Kubeconfig.write(file, kubeconfig());
    }

    @Override
    public void close() {
        if (serverChannel != null) {
            serverChannel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        connections.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        if (released.compareAndSet(false, true)) {
            threads.release();
        }
    }

    /** Settings of a server. */
    public static final class Builder {
        private final KubeCluster cluster;
        private int port;
        private boolean tls = true;
        private String version;
        private java.time.Duration handshakeTimeout = java.time.Duration.ofSeconds(10);
        private java.util.function.Consumer<String> requestLog;

        private Builder(KubeCluster cluster) {
            this.cluster = cluster;
        }

        /** The port to listen on; 0 (the default) picks a free one. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** Plain HTTP instead of HTTPS. */
        public Builder plainHttp() {
            this.tls = false;
            return this;
        }

        /**
         * The Kubernetes version /version reports (kubectl's dispatcher picks its binary by the minor); by default
         * the cluster's ({@code KubeCluster.builder().kubernetesVersion(...)}).
         */
        public Builder version(String version) {
            this.version = version;
            return this;
        }

        /**
         * How long a TLS client may take to finish its handshake before the connection is closed (default 10 s, as
         * kube-apiserver's Go TLS server).
         */
        public Builder handshakeTimeout(java.time.Duration timeout) {
            this.handshakeTimeout = timeout;
            return this;
        }

        /**
         * Logs one line per request (verb, URI, latency, user agent, client address, response code) to standard
         * error, as kube-apiserver does at -v=3.
         */
        public Builder logRequests() {
            return logRequests(line -> System.err.println(line));
        }

        /** Logs one line per request to {@code sink} (called on the server's I/O threads). */
        public Builder logRequests(java.util.function.Consumer<String> sink) {
            this.requestLog = sink;
            return this;
        }

        public ApiServer start() {
            return new ApiServer(this);
        }
    }
}
