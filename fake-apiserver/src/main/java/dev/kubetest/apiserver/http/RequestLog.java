package dev.kubetest.apiserver.http;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import java.util.ArrayDeque;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * One line per request, as kube-apiserver's httplog writes at -v=3: verb, URI, latency, user agent, client address
 * and response code. Latency is wall time from the request's head to its response's head (a watch's response
 * starts at once, so its line says when it began, not how long it lasted). Off unless a server is built with
 * {@code logRequests}; one handler per connection.
 */
public final class RequestLog extends ChannelDuplexHandler {
    private final Consumer<String> sink;
    private final ArrayDeque<Started> pending = new ArrayDeque<>();

    private record Started(String method, String uri, String userAgent, long nanos) {}

    public RequestLog(Consumer<String> sink) {
        this.sink = sink;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest req) {
            String ua = req.headers().get(HttpHeaderNames.USER_AGENT, "");
            synchronized (pending) {
                pending.add(new Started(req.method().name(), req.uri(), ua, System.nanoTime()));
            }
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof HttpResponse res) {
            Started s;
            synchronized (pending) {
                s = pending.poll();
            }
            if (s != null) {
                sink.accept(line(s, res.status().code(), String.valueOf(ctx.channel().remoteAddress()).replaceFirst("^/", "")));
            }
        }
        ctx.write(msg, promise);
    }

    private static String line(Started s, int code, String client) {
        double millis = (System.nanoTime() - s.nanos()) / 1e6;
        return "\"HTTP\" verb=\"" + s.method() + "\" URI=\"" + s.uri() + "\" latency=\""
                + String.format(Locale.ROOT, "%.3fms", millis) + "\" userAgent=\"" + s.userAgent().replace("\"", "\\\"")
                + "\" srcIP=\"" + client + "\" resp=" + code;
    }
}
