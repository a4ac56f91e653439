package dev.kubetest.apiserver.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.List;

/** One HTTP request as the handlers see it. */
public final class Request {
    public final ChannelHandlerContext ctx;
    public final FullHttpRequest http;
    public final QueryStringDecoder query;
    public final boolean keepAlive;

    Request(ChannelHandlerContext ctx, FullHttpRequest http) {
        this.ctx = ctx;
        this.http = http;
        this.query = new QueryStringDecoder(http.uri());
        this.keepAlive = HttpUtil.isKeepAlive(http);
    }

    public String method() {
        return http.method().name();
    }

    public String path() {
        String p = query.path();
        while (p.length() > 1 && p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p;
    }

    public String param(String name) {
        List<String> v = query.parameters().get(name);
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    public List<String> params(String name) {
        List<String> v = query.parameters().get(name);
        return v == null ? List.of() : v;
    }

    public boolean flag(String name) {
        String v = param(name);
        return v != null && (v.equals("true") || v.equals("1"));
    }

    public String header(CharSequence name) {
        return http.headers().get(name);
    }

    public String accept() {
        return header(HttpHeaderNames.ACCEPT);
    }

    public String contentType() {
        return header(HttpHeaderNames.CONTENT_TYPE);
    }

    public byte[] body() {
        byte[] b = new byte[http.content().readableBytes()];
        http.content().getBytes(http.content().readerIndex(), b);
        return b;
    }

    public boolean isWebSocketUpgrade() {
        String upgrade = header(HttpHeaderNames.UPGRADE);
        return upgrade != null && upgrade.equalsIgnoreCase("websocket");
    }
}
