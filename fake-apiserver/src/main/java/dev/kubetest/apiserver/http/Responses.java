package dev.kubetest.apiserver.http;

import dev.kubetest.core.api.ApiException;
import dev.kubetest.core.json.Json;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;

/** Writes complete responses: JSON bodies, Status errors, plain text. */
public final class Responses {
    public static final String JSON = "application/json";

    private Responses() {}

    public static void json(ChannelHandlerContext ctx, boolean keepAlive, int code, Object body) {
        bytes(ctx, keepAlive, code, JSON, Json.bytes(body), java.util.List.of());
    }

    /** A JSON response with {@code Warning: 299 - "..."} headers, as the API server sends warnings. */
    public static void json(ChannelHandlerContext ctx, boolean keepAlive, int code, Object body, java.util.List<String> warnings) {
        bytes(ctx, keepAlive, code, JSON, Json.bytes(body), warnings);
    }

    public static void json(ChannelHandlerContext ctx, boolean keepAlive, int code, Object body, String contentType) {
        bytes(ctx, keepAlive, code, contentType, Json.bytes(body), java.util.List.of());
    }

    public static void error(ChannelHandlerContext ctx, boolean keepAlive, ApiException e) {
        json(ctx, keepAlive, e.code(), e.status());
    }

    public static void text(ChannelHandlerContext ctx, boolean keepAlive, int code, String text) {
        bytes(ctx, keepAlive, code, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8), java.util.List.of());
    }

    public static void bytes(ChannelHandlerContext ctx, boolean keepAlive, int code, String contentType, byte[] body) {
        bytes(ctx, keepAlive, code, contentType, body, java.util.List.of());
    }

    public static void bytes(ChannelHandlerContext ctx, boolean keepAlive, int code, String contentType, byte[] body,
                             java.util.List<String> warnings) {
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(code),
                Unpooled.wrappedBuffer(body));
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        res.headers().set("Cache-Control", "no-cache, private");
        for (String w : warnings) {
            res.headers().add("Warning", "299 - \"" + w.replace("\"", "\\\"") + "\"");
        }
        HttpUtil.setContentLength(res, body.length);
        if (keepAlive) {
            res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            ctx.writeAndFlush(res);
        } else {
            ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
