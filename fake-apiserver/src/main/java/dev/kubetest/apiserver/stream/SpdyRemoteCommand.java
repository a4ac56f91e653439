package dev.kubetest.apiserver.stream;

import dev.kubetest.apiserver.http.Request;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kubetest.core.json.Json;
import dev.kubetest.core.runtime.ContainerRuntime;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.spdy.DefaultSpdyDataFrame;
import io.netty.handler.codec.spdy.DefaultSpdyGoAwayFrame;
import io.netty.handler.codec.spdy.DefaultSpdyPingFrame;
import io.netty.handler.codec.spdy.SpdyDataFrame;
import io.netty.handler.codec.spdy.SpdyFrame;
import io.netty.handler.codec.spdy.SpdyPingFrame;
import io.netty.handler.codec.spdy.SpdyRstStreamFrame;
import io.netty.handler.codec.spdy.SpdySynStreamFrame;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * exec and attach over SPDY/3.1, as kubectl before 1.30 (and with {@code KUBECTL_REMOTE_COMMAND_WEBSOCKETS=false})
 * speaks them: the client opens one stream per {@code streamtype} (error, stdin, stdout, stderr, resize); once
 * every stream the request asked for is open, the process starts; stdin's DATA is its input and stdin's FIN its
 * end of input; output goes out as DATA on stdout and stderr; at the end the error stream carries the exit
 * status (a {@code Status} from {@code v4.channel.k8s.io} on, the message alone before) and every stream is
 * closed.
 */
final class SpdyRemoteCommand implements SpdyTransports.SpdySession {
    /** The stream protocols served, most recent first. */
    static final List<String> PROTOCOLS = List.of("v4.channel.k8s.io", "v3.channel.k8s.io", "v2.channel.k8s.io", "channel.k8s.io");

    private final Consumer<SpdyFrame> out;
    private final Function<ContainerRuntime.ExecListener, ContainerRuntime.ExecStream> open;
    private final IntFunction<JsonNode> status;
    private final boolean statusAsJson;
    private final Set<String> expected = new LinkedHashSet<>();
    private final Map<String, Integer> streams = new HashMap<>();
    private ContainerRuntime.ExecStream process;
    private boolean ended;

    SpdyRemoteCommand(Consumer<SpdyFrame> out, String protocol, boolean stdin, boolean stdout, boolean stderr, boolean tty,
                      Function<ContainerRuntime.ExecListener, ContainerRuntime.ExecStream> open, IntFunction<JsonNode> status) {
        this.out = out;
        this.open = open;
        this.status = status;
        this.statusAsJson = protocol.equals("v4.channel.k8s.io");
        expected.add("error");
        if (stdin) {
            expected.add("stdin");
        }
        if (stdout) {
            expected.add("stdout");
        }
        if (stderr && !tty) {
            expected.add("stderr");
        }
        if (tty && !protocol.equals("channel.k8s.io") && !protocol.equals("v2.channel.k8s.io")) {
            expected.add("resize");
        }
    }

    /**
     * Serves {@code r} over SPDY when it asks for {@code Upgrade: SPDY/3.1} (returns false otherwise): answers 101
     * with the client's first protocol that is served, or 403 when there is none, as the kubelet does.
     */
    static boolean serve(Request r, Function<ContainerRuntime.ExecListener, ContainerRuntime.ExecStream> open,
                         IntFunction<JsonNode> status) {
        if (!"SPDY/3.1".equalsIgnoreCase(r.header(io.netty.handler.codec.http.HttpHeaderNames.UPGRADE))) {
            return false;
        }
        List<String> offered = r.http.headers().getAll("X-Stream-Protocol-Version").stream()
                .flatMap(v -> List.of(v.split("\\s*,\\s*")).stream()).toList();
        String protocol = offered.stream().filter(PROTOCOLS::contains).findFirst().orElse(null);
        if (protocol == null) {
            throw new dev.kubetest.core.meta.ApiException(403, "Forbidden", "unable to upgrade: unable to negotiate protocol: "
                    + "client supports " + offered + ", server supports " + PROTOCOLS, null, null, null, null);
        }
        boolean tty = r.flag("tty");
        SpdyTransports.upgrade(r, protocol, out -> new SpdyRemoteCommand(out, protocol, r.flag("stdin"), r.flag("stdout"),
                r.flag("stderr"), tty, open, status));
        return true;
    }

    @Override
    public void receive(SpdyFrame frame) {
        if (frame instanceof SpdySynStreamFrame syn) {
            out.accept(SpdyTransports.accept(syn));
            String type = syn.headers().getAsString("streamtype");
            ContainerRuntime.ExecStream started = null;
            synchronized (this) {
                streams.put(type, syn.streamId());
                if (process == null && streams.keySet().containsAll(expected)) {
                    started = start();
                }
            }
            if (started != null && !expected.contains("stdin")) {
                started.closeInput();
            }
        } else if (frame instanceof SpdyDataFrame data) {
            ContainerRuntime.ExecStream p;
            String type;
            synchronized (this) {
                p = process;
                type = typeOf(data.streamId());
            }
            if (p == null || type == null) {
                return;
            }
            if (type.equals("stdin")) {
                if (data.content().isReadable()) {
                    byte[] bytes = new byte[data.content().readableBytes()];
                    data.content().getBytes(data.content().readerIndex(), bytes);
                    p.write(bytes);
                }
                if (data.isLast()) {
                    p.closeInput();
                }
            } else if (type.equals("resize") && data.content().isReadable()) {
                JsonNode size = Json.parse(data.content().toString(StandardCharsets.UTF_8));
                p.resize(size.path("Width").asInt(), size.path("Height").asInt());
            }
        } else if (frame instanceof SpdyRstStreamFrame rst) {
            ContainerRuntime.ExecStream p;
            synchronized (this) {
                p = "stdin".equals(typeOf(rst.streamId())) ? process : null;
            }
            if (p != null) {
                p.closeInput();
            }
        } else if (frame instanceof SpdyPingFrame ping) {
            out.accept(new DefaultSpdyPingFrame(ping.id()));
        }
    }

    private String typeOf(int streamId) {
        return streams.entrySet().stream().filter(e -> e.getValue() == streamId).map(Map.Entry::getKey).findFirst().orElse(null);
    }

    private ContainerRuntime.ExecStream start() {
        process = open.apply(new ContainerRuntime.ExecListener() {
            @Override
            public void stdout(byte[] data) {
                send("stdout", data);
            }

            @Override
            public void stderr(byte[] data) {
                send(streams.containsKey("stderr") ? "stderr" : "stdout", data);
            }

            @Override
            public void exited(int exitCode) {
                finish(exitCode);
            }
        });
        return process;
    }

    private void send(String type, byte[] data) {
        Integer id;
        synchronized (this) {
            id = ended ? null : streams.get(type);
        }
        if (id != null && data.length > 0) {
            out.accept(new DefaultSpdyDataFrame(id, Unpooled.wrappedBuffer(data)));
        }
    }

    private void finish(int exitCode) {
        Map<String, Integer> open;
        synchronized (this) {
            if (ended) {
                return;
            }
            open = new HashMap<>(streams);
        }
        JsonNode s = status.apply(exitCode);
        if (statusAsJson) {
            send("error", Json.bytes(s));
        } else if (exitCode != 0) {
            send("error", s.path("message").asText().getBytes(StandardCharsets.UTF_8));
        }
        synchronized (this) {
            ended = true;
        }
        for (Integer id : open.values()) {
            DefaultSpdyDataFrame fin = new DefaultSpdyDataFrame(id);
            fin.setLast(true);
            out.accept(fin);
        }
        out.accept(new DefaultSpdyGoAwayFrame(open.values().stream().mapToInt(Integer::intValue).max().orElse(0)));
    }

    @Override
    public void close() {
        ContainerRuntime.ExecStream p;
        synchronized (this) {
            p = ended ? null : process;
        }
        if (p != null) {
            p.cancel();
        }
    }
}
