package dev.kubetest.benchmarks;

import dev.kubetest.apiserver.ApiServer;
import dev.kubetest.core.KubeCluster;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Issue #26's side-by-side figures: KubeTest's API server and fabric8's {@code KubernetesMockServer} in CRUD mode
 * (7.6.1), driven by the same fabric8 client code in one JVM, rounds interleaved, each figure as KubeTest/mock
 * with both absolute values; get and create also against the floor (a bare JDK HttpServer answering the same
 * bytes). Prints a Markdown table for BENCHMARKS.md.
 *
 * <p>Run: {@code mvn -q -pl benchmarks -am install -DskipTests && mvn -q -pl benchmarks exec:exec
 * -Dbenchmark.main=dev.kubetest.benchmarks.MockComparison} (arguments through {@code -Dexec.args}: {@code --pods N}
 * for the large figures, default 10,000; {@code --quick} for fewer rounds).
 */
public final class MockComparison {
    private static final Map<String, double[]> ROWS = new LinkedHashMap<>();
    private static final Map<String, String> NOTES = new LinkedHashMap<>();

    private MockComparison() {}

    /** One system under test: a server and a client to it. */
    private record Target(String name, KubernetesClient client, AutoCloseable server) {}

    /** The mock logs every request at INFO through java.util.logging; quiet, as a test suite would configure it. */
    private static final java.util.logging.Logger MOCK_LOG = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

    public static void main(String[] args) throws Exception {
        MOCK_LOG.setLevel(java.util.logging.Level.WARNING);
        List<String> a = List.of(args);
        int pods = a.contains("--pods") ? Integer.parseInt(a.get(a.indexOf("--pods") + 1)) : 10_000;
        boolean quick = a.contains("--quick");
        int rounds = quick ? 3 : 7;
        System.out.printf(Locale.ROOT, "# machine: %d cores, JDK %s, max heap %d MiB, %s%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"), Runtime.getRuntime().maxMemory() >> 20, LocalDate.now());

        // boot to first answer: the mock's first in this JVM, then each's second (KubeTest's first is BootAndLatencyBenchmark's)
        long t = System.nanoTime();
        Target mock = mock();
        mock.client.namespaces().list();
        double mockFirst = ms(t);
        t = System.nanoTime();
        Target kube = kubetest();
        kube.client.namespaces().list();
        double kubeFirst = ms(t);
        t = System.nanoTime();
        Target mock2 = mock();
        mock2.client.namespaces().list();
        double mockSecond = ms(t);
        t = System.nanoTime();
        Target kube2 = kubetest();
        kube2.client.namespaces().list();
        double kubeSecond = ms(t);
        mock2.server.close();
        kube2.server.close();
        row("boot to first answer, first server in the JVM (HTTP; ms)", kubeFirst, mockFirst);
        row("boot to first answer, second server in the JVM (HTTP; ms)", kubeSecond, mockSecond);
        NOTES.put("boot to first answer, first server in the JVM (HTTP; ms)", "not a fair first: the JVM loaded fabric8's model for the mock before KubeTest started");
        // over HTTPS: each server's certificate (KubeTest makes its CA and serving pair; the mock its self-signed one)
        // and the client's TLS handshake; median of three boots each, alternating
        double[] kubeTls = new double[3];
        double[] mockTls = new double[3];
        for (int i = 0; i < 3; i++) {
            t = System.nanoTime();
            Target m = mock(true);
            m.client.namespaces().list();
            mockTls[i] = ms(t);
            m.server.close();
            t = System.nanoTime();
            Target k = kubetest(true);
            k.client.namespaces().list();
            kubeTls[i] = ms(t);
            k.server.close();
        }
        java.util.Arrays.sort(kubeTls);
        java.util.Arrays.sort(mockTls);
        row("boot to first answer, later servers in the JVM (HTTPS; ms, median of 3)", kubeTls[1], mockTls[1]);
        if (a.contains("--boot-only")) {
            print();
            System.exit(0);
        }

        List<Target> both = List.of(kube, mock);
        for (Target s : both) {
            s.client.namespaces().resource(ns("bench")).create();
            s.client.namespaces().resource(ns("hundred")).create();
            for (int i = 0; i < 100; i++) {
                s.client.configMaps().inNamespace("hundred").resource(cm("cm-" + i)).create();
            }
        }
        // the floor answers a get and a create with KubeTest's own bytes for them
        Floor floor = new Floor(kube);
        Target bare = new Target("floor", client(floor.url()), floor);

        AtomicInteger seq = new AtomicInteger();
        int ops = quick ? 300 : 1000;
        // warm-up of every path on both
        for (Target s : both) {
            for (int i = 0; i < 2000; i++) {
                s.client.configMaps().inNamespace("bench").resource(cm("warm-" + i)).create();
                s.client.configMaps().inNamespace("bench").withName("warm-" + i).get();
                if (i % 20 == 0) {
                    s.client.configMaps().inNamespace("hundred").list();
                }
            }
            // the mock's store is a list it scans on every request: keep both stores small for the small figures
            for (int i = 0; i < 2000; i++) {
                s.client.configMaps().inNamespace("bench").withName("warm-" + i).delete();
            }
        }
        for (int i = 0; i < 2000; i++) {
            bare.client.configMaps().inNamespace("bench").withName("floor").get();
            bare.client.configMaps().inNamespace("bench").resource(cm("floor")).create();
        }
        interleaved("get (µs)", rounds, ops, List.of(kube, mock, bare), (s, i) -> {
            s.client.configMaps().inNamespace("hundred").withName("cm-" + (i % 100)).get();
        });
        interleaved("create (µs)", rounds, ops, List.of(kube, mock, bare), (s, i) -> {
            s.client.configMaps().inNamespace("bench").resource(cm("c-" + seq.incrementAndGet())).create();
        });
        NOTES.put("create (µs)", "each round's ConfigMaps deleted after it, so that the stores stay small");
        interleaved("update (µs)", rounds, ops, both, (s, i) -> {
            ConfigMap c = s.client.configMaps().inNamespace("hundred").withName("cm-" + (i % 100)).get();
            c.getData().put("n", String.valueOf(i));
            s.client.configMaps().inNamespace("hundred").resource(c).update();
        });
        NOTES.put("update (µs)", "a get and a PUT with its resourceVersion");
        interleaved("list of a 100-ConfigMap namespace (µs)", rounds, ops / 5, both, (s, i) -> {
            s.client.configMaps().inNamespace("hundred").list();
        });
        watchLatency(both, 1, rounds, quick ? 50 : 200);
        watchLatency(both, 50, rounds, quick ? 20 : 100);

        // the large figures: pods (upstream-shaped on KubeTest: defaults, status, managedFields), then ConfigMaps
        double[] heap = new double[2];
        for (int k = 0; k < 2; k++) {
            Target s = both.get(k);
            s.client.namespaces().resource(ns("pods")).create();
            long before = usedAfterGc();
            long start = System.nanoTime();
            createAll(s, pods, i -> pod(i));
            System.out.printf(Locale.ROOT, "  %s: created %d pods in %.1f s%n", s.name, pods, ms(start) / 1000);
            heap[k] = (usedAfterGc() - before) / 1048576.0;
        }
        row("heap after GC, growth for " + pods + " pods stored (MiB)", heap[0], heap[1]);
        NOTES.put("heap after GC, growth for " + pods + " pods stored (MiB)", "on KubeTest " + pods + " pods on one node: 110 Running, the rest Pending");
        interleaved("list of all " + pods + " pods (ms)", rounds, 1, both, (s, i) -> s.client.pods().inNamespace("pods").list(), 1e6);
        java.net.http.HttpClient raw = java.net.http.HttpClient.newHttpClient();
        interleaved("list of all " + pods + " pods, bytes only (java.net.http, no parsing; ms)", rounds, 1, both, (s, i) -> {
            String url = s.client.getMasterUrl().toString().replaceAll("/$", "") + "/api/v1/namespaces/pods/pods";
            raw.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofByteArray());
        }, 1e6);
        interleaved("list of " + pods / 2 + " of " + pods + " pods by label (ms)", rounds, 1, both,
                (s, i) -> s.client.pods().inNamespace("pods").withLabel("half", "a").list(), 1e6);
        interleaved("list of 100 of " + pods + " pods by label (µs)", rounds, 20, both,
                (s, i) -> s.client.pods().inNamespace("pods").withLabel("group", "g" + (i % (pods / 100))).list());
        interleaved("get with " + pods + " pods stored (µs)", rounds, ops, both,
                (s, i) -> s.client.pods().inNamespace("pods").withName("pod-" + (i * 7919 % pods)).get());
        Map<String, Double> podBytes = new HashMap<>();
        for (Target s : both) {
            Pod p = s.client.pods().inNamespace("pods").withName("pod-1").get();
            podBytes.put(s.name, (double) io.fabric8.kubernetes.client.utils.Serialization.asJson(p).length());
        }
        row("size of one pod as served (bytes of JSON)", podBytes.get("kubetest"), podBytes.get("mock"));

        for (Target s : both) {
            s.client.namespaces().resource(ns("many")).create();
            createAll(s, pods, i -> new ConfigMapBuilder(cm("many-" + i)).editMetadata().withNamespace("many").endMetadata().build());
        }
        double[][] sync = new double[2][rounds];
        for (int r = 0; r < rounds; r++) {
            for (int k = 0; k < 2; k++) {
                Target s = both.get(k);
                long start = System.nanoTime();
                var informer = s.client.configMaps().inNamespace("many").inform();
                informer.stop();
                sync[k][r] = ms(start);
            }
        }
        row("informer sync of " + pods + " ConfigMaps (ms)", median(sync[0]), median(sync[1]));

        // idle CPU with everything stored: the whole JVM (the mock does nothing when no request comes)
        double cpuBoth = idleCpu(10);
        NOTES.put("CPU while idle (cores)", "the whole JVM over 10 s, both servers holding everything above; the mock has no threads working between requests");
        ROWS.put("CPU while idle (cores)", new double[] {cpuBoth, Double.NaN, Double.NaN});
        mock.server.close();
        kube.server.close();
        floor.close();
        print();
        System.exit(0);
    }

    private interface Op {
        void run(Target s, int i) throws Exception;
    }

    private static void interleaved(String name, int rounds, int ops, List<Target> targets, Op op) throws Exception {
        interleaved(name, rounds, ops, targets, op, 1e3);
    }

    /** Median of each round's median per-operation time, the targets taking turns round by round. */
    private static void interleaved(String name, int rounds, int ops, List<Target> targets, Op op, double unit) throws Exception {
        double[][] medians = new double[targets.size()][rounds];
        for (int r = 0; r < rounds; r++) {
            for (int k = 0; k < targets.size(); k++) {
                long[] times = new long[ops];
                for (int i = 0; i < ops; i++) {
                    long s = System.nanoTime();
                    op.run(targets.get(k), r * ops + i);
                    times[i] = System.nanoTime() - s;
                }
                java.util.Arrays.sort(times);
                medians[k][r] = times[ops / 2] / unit;
                if (!targets.get(k).name.equals("floor")) {
                    targets.get(k).client.configMaps().inNamespace("bench").withLabel("round").delete();
                }
            }
        }
        double floor = targets.size() > 2 ? median(medians[2]) : Double.NaN;
        ROWS.put(name, new double[] {median(medians[0]), median(medians[1]), floor});
        System.out.printf(Locale.ROOT, "  %s: kubetest %.1f, mock %.1f%s%n", name, median(medians[0]), median(medians[1]),
                Double.isNaN(floor) ? "" : String.format(Locale.ROOT, ", floor %.1f", floor));
    }

    /** Time from a create until every one of {@code watchers} watches has its ADDED event (median). */
    private static void watchLatency(List<Target> targets, int watchers, int rounds, int events) throws Exception {
        double[][] medians = new double[2][rounds];
        for (int k = 0; k < 2; k++) {
            targets.get(k).client.namespaces().resource(ns("watch-" + watchers)).create();
        }
        for (int r = 0; r < rounds; r++) {
            for (int k = 0; k < 2; k++) {
                Target s = targets.get(k);
                String namespace = "watch-" + watchers;
                Map<String, CountDownLatch> pending = new java.util.concurrent.ConcurrentHashMap<>();
                List<io.fabric8.kubernetes.client.Watch> open = new ArrayList<>();
                for (int w = 0; w < watchers; w++) {
                    open.add(s.client.configMaps().inNamespace(namespace).watch(new Watcher<>() {
                        @Override
                        public void eventReceived(Action action, ConfigMap resource) {
                            if (action == Action.ADDED) {
                                CountDownLatch l = pending.get(resource.getMetadata().getName());
                                if (l != null) {
                                    l.countDown();
                                }
                            }
                        }

                        @Override
                        public void onClose(WatcherException cause) {}
                    }));
                }
                Thread.sleep(200); // the watches' requests reach the server (benchmark code, not cluster code)
                long[] times = new long[events];
                for (int e = 0; e < events; e++) {
                    String name = "w-" + r + "-" + e;
                    CountDownLatch latch = new CountDownLatch(watchers);
                    pending.put(name, latch);
                    long start = System.nanoTime();
                    s.client.configMaps().inNamespace(namespace).resource(cm(name)).create();
                    if (!latch.await(10, TimeUnit.SECONDS)) {
                        throw new IllegalStateException(s.name + ": watch event " + name + " not delivered to " + latch.getCount() + " watchers");
                    }
                    times[e] = System.nanoTime() - start;
                }
                open.forEach(io.fabric8.kubernetes.client.Watch::close);
                java.util.Arrays.sort(times);
                medians[k][r] = times[events / 2] / 1e3;
            }
        }
        row("create to event at " + watchers + " watcher" + (watchers > 1 ? "s (the last one; µs)" : " (µs)"), median(medians[0]), median(medians[1]));
        NOTES.put("create to event at " + watchers + " watcher" + (watchers > 1 ? "s (the last one; µs)" : " (µs)"), "includes the create's own round trip");
    }

    private static void createAll(Target s, int n, Function<Integer, io.fabric8.kubernetes.api.model.HasMetadata> make) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<java.util.concurrent.Future<?>> futures = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int k = i;
            futures.add(pool.submit(() -> s.client.resource(make.apply(k)).create()));
        }
        for (var f : futures) {
            f.get();
        }
        pool.shutdown();
    }

    private static double idleCpu(int seconds) throws InterruptedException {
        return HeapAndIdle.idleCpu(seconds);
    }

    private static long usedAfterGc() throws InterruptedException {
        return HeapAndIdle.usedAfterGc();
    }

    private static void row(String name, double kubetest, double mock) {
        ROWS.put(name, new double[] {kubetest, mock, Double.NaN});
        System.out.printf(Locale.ROOT, "  %s: kubetest %.1f, mock %.1f%n", name, kubetest, mock);
    }

    private static void print() {
        System.out.println();
        System.out.println("| figure | KubeTest | mock server | KubeTest/mock | floor | KubeTest/floor |");
        System.out.println("|---|---:|---:|---:|---:|---:|");
        ROWS.forEach((name, v) -> System.out.printf(Locale.ROOT, "| %s%s | %s | %s | %s | %s | %s |%n", name,
                NOTES.containsKey(name) ? " (" + NOTES.get(name) + ")" : "", fmt(v[0]), fmt(v[1]),
                Double.isNaN(v[1]) ? "" : String.format(Locale.ROOT, "%.2fx", v[0] / v[1]), fmt(v[2]),
                Double.isNaN(v[2]) ? "" : String.format(Locale.ROOT, "%.2fx", v[0] / v[2])));
    }

    private static String fmt(double v) {
        return Double.isNaN(v) ? "" : v >= 100 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.2f", v);
    }

    private static double median(double[] values) {
        double[] c = values.clone();
        java.util.Arrays.sort(c);
        return c[c.length / 2];
    }

    private static double ms(long start) {
        return (System.nanoTime() - start) / 1e6;
    }

    private static Target kubetest() {
        return kubetest(false);
    }

    private static Target kubetest(boolean https) {
        KubeCluster cluster = KubeCluster.builder().build();
        ApiServer.Builder builder = ApiServer.builder(cluster);
        if (!https) {
            builder.plainHttp();
        }
        ApiServer server = builder.start();
        return new Target("kubetest", client(server.url()), () -> {
            server.close();
            cluster.close();
        });
    }

    private static Target mock() {
        return mock(false);
    }

    private static Target mock(boolean https) {
        KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(), https);
        server.init();
        return new Target("mock", client(server.url("/")), server::destroy);
    }

    private static KubernetesClient client(String url) {
        Config config = new ConfigBuilder(Config.empty()).withMasterUrl(url).withNamespace("default").withTrustCerts(true)
                .withRequestTimeout(60_000).build();
        return new KubernetesClientBuilder().withConfig(config).build();
    }

    private static io.fabric8.kubernetes.api.model.Namespace ns(String name) {
        return new io.fabric8.kubernetes.api.model.NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build();
    }

    private static ConfigMap cm(String name) {
        return new ConfigMapBuilder().withNewMetadata().withName(name).addToLabels("round", "x").endMetadata()
                .addToData("key", "value").build();
    }

    private static Pod pod(int i) {
        return new PodBuilder().withNewMetadata().withName("pod-" + i).withNamespace("pods")
                .addToLabels("app", "bench").addToLabels("half", i % 2 == 0 ? "a" : "b").addToLabels("group", "g" + (i / 100))
                .endMetadata().withNewSpec().addNewContainer().withName("app").withImage("nginx:1.27")
                .addNewPort().withContainerPort(80).endPort().endContainer().endSpec().build();
    }

    /**
     * The floor: a bare Netty HTTP/1.1 server (codec, aggregator, one handler) answering a get and a create with
     * fixed bytes (KubeTest's own answers), so what remains above it is KubeTest's work. (A JDK HttpServer, the
     * first choice, stalls under fabric8's Vert.x client's connection reuse on this JDK.)
     */
    private static final class Floor implements AutoCloseable {
        private final io.netty.channel.EventLoopGroup group = new io.netty.channel.nio.NioEventLoopGroup(1);
        private final io.netty.channel.Channel channel;

        Floor(Target kube) throws Exception {
            kube.client.configMaps().inNamespace("bench").resource(cm("floor")).create();
            byte[] got = io.fabric8.kubernetes.client.utils.Serialization.asJson(
                    kube.client.configMaps().inNamespace("bench").withName("floor").get()).getBytes();
            channel = new io.netty.bootstrap.ServerBootstrap().group(group)
                    .channel(io.netty.channel.socket.nio.NioServerSocketChannel.class)
                    .childHandler(new io.netty.channel.ChannelInitializer<io.netty.channel.socket.SocketChannel>() {
                        @Override
                        protected void initChannel(io.netty.channel.socket.SocketChannel ch) {
                            ch.pipeline().addLast(new io.netty.handler.codec.http.HttpServerCodec(),
                                    new io.netty.handler.codec.http.HttpObjectAggregator(1 << 20),
                                    new io.netty.channel.SimpleChannelInboundHandler<io.netty.handler.codec.http.FullHttpRequest>() {
                                        @Override
                                        protected void channelRead0(io.netty.channel.ChannelHandlerContext ctx,
                                                                    io.netty.handler.codec.http.FullHttpRequest req) {
                                            var res = new io.netty.handler.codec.http.DefaultFullHttpResponse(
                                                    io.netty.handler.codec.http.HttpVersion.HTTP_1_1,
                                                    io.netty.handler.codec.http.HttpResponseStatus.valueOf(
                                                            req.method().name().equals("POST") ? 201 : 200),
                                                    io.netty.buffer.Unpooled.wrappedBuffer(got));
                                            res.headers().set("Content-Type", "application/json");
                                            res.headers().set("Content-Length", got.length);
                                            ctx.writeAndFlush(res);
                                        }
                                    });
                        }
                    }).bind("127.0.0.1", 0).sync().channel();
        }

        String url() {
            return "http://127.0.0.1:" + ((InetSocketAddress) channel.localAddress()).getPort();
        }

        @Override
        public void close() {
            channel.close();
            group.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.SECONDS);
        }
    }
}
