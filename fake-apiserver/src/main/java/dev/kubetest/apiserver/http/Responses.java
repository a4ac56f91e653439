package dev.kubetest.apiserver.http;

import dev.kubetest.core.meta.ApiException;
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

    /** The protocol version of the request a connection is answering, so that an HTTP/1.0 client gets HTTP/1.0. */
    public static final io.netty.util.AttributeKey<HttpVersion> PROTOCOL = io.netty.util.AttributeKey.valueOf("kubetest.protocol");

    private Responses() {}

    /** HTTP/1.0 when the request was, else HTTP/1.1. */
    public static HttpVersion version(ChannelHandlerContext ctx) {
        HttpVersion v = ctx.channel().attr(PROTOCOL).get();
        return v == null ? HttpVersion.HTTP_1_1 : v;
    }

    /**
     * The head of a streamed response (watch, followed logs): chunked for HTTP/1.1; for an HTTP/1.0 client, which
     * knows no chunks, the body runs until the server closes the connection.
     */
    public static io.netty.handler.codec.http.HttpResponse streamHead(ChannelHandlerContext ctx, String contentType) {
        HttpVersion v = version(ctx);
        io.netty.handler.codec.http.HttpResponse res = new io.netty.handler.codec.http.DefaultHttpResponse(v, HttpResponseStatus.OK);
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        if (v.equals(HttpVersion.HTTP_1_0)) {
            res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        } else {
            res.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        }
        return res;
    }

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

    /**
     * A list as JSON: {@code envelope} (kind, apiVersion, metadata) with {@code items} after it, each stored item's
     * kept bytes sent as they are (a composite buffer, no copy into one array), as kube-apiserver's watch cache
     * serves cached objects.
     */
    public static void jsonList(ChannelHandlerContext ctx, boolean keepAlive, com.fasterxml.jackson.databind.node.ObjectNode envelope,
                                java.util.List<? extends com.fasterxml.jackson.databind.JsonNode> items) {
        envelope.putArray("items");
        byte[] head = Json.bytes(envelope);
        // the envelope ends with "items":[]} : the items go between its brackets
        int open = head.length - 2;
        byte[][] parts = new byte[items.size()][];
        long total = head.length + Math.max(0, items.size() - 1);
        for (int i = 0; i < parts.length; i++) {
            parts[i] = Json.bytes(items.get(i));
            total += parts[i].length;
        }
        if (total < 1 << 20) {
            // a small list: one array (a composite of many small buffers costs more to write than the copy)
            byte[] out = new byte[(int) total];
            System.arraycopy(head, 0, out, 0, open);
            int at = open;
            for (int i = 0; i < parts.length; i++) {
                if (i > 0) {
                    out[at++] = ',';
                }
                System.arraycopy(parts[i], 0, out, at, parts[i].length);
                at += parts[i].length;
            }
            System.arraycopy(head, open, out, at, 2);
            bytes(ctx, keepAlive, 200, JSON, out);
            return;
        }
        io.netty.buffer.CompositeByteBuf body = Unpooled.compositeBuffer(Math.max(16, items.size() * 2 + 2));
        body.addComponent(true, Unpooled.wrappedBuffer(head, 0, open));
        byte[] comma = {','};
        for (int i = 0; i < items.size(); i++) {
            if (i > 0) {
                body.addComponent(true, Unpooled.wrappedBuffer(comma));
            }
            body.addComponent(true, Unpooled.wrappedBuffer(parts[i]));
        }
        body.addComponent(true, Unpooled.wrappedBuffer(head, open, 2));
        FullHttpResponse res = new DefaultFullHttpResponse(version(ctx), HttpResponseStatus.OK, body);
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, JSON);
        res.headers().set("Cache-Control", "no-cache, private");
        HttpUtil.setContentLength(res, body.readableBytes());
        if (keepAlive) {
            res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            ctx.writeAndFlush(res);
        } else {
            ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** A Status answer; with {@code Retry-After} when the Status says when to retry, as upstream's writers add it. */
    public static void error(ChannelHandlerContext ctx, boolean keepAlive, ApiException e) {
        com.fasterxml.jackson.databind.node.ObjectNode status = e.status();
        int retryAfter = status.path("details").path("retryAfterSeconds").asInt(0);
        if (retryAfter > 0) {
            bytes(ctx, keepAlive, e.code(), JSON, Json.bytes(status), java.util.List.of(), retryAfter);
        } else {
            json(ctx, keepAlive, e.code(), status);
        }
    }

    public static void text(ChannelHandlerContext ctx, boolean keepAlive, int code, String text) {
        bytes(ctx, keepAlive, code, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8), java.util.List.of());
    }

    public static void bytes(ChannelHandlerContext ctx, boolean keepAlive, int code, String contentType, byte[] body) {
        bytes(ctx, keepAlive, code, contentType, body, java.util.List.of());
    }

    public static void bytes(ChannelHandlerContext ctx, boolean keepAlive, int code, String contentType, byte[] body,
                             java.util.List<String> warnings) {
        bytes(ctx, keepAlive, code, contentType, body, warnings, 0);
    }

    private static void bytes(ChannelHandlerContext ctx, boolean keepAlive, int code, String contentType, byte[] body,
                              java.util.List<String> warnings, int retryAfterSeconds) {
        FullHttpResponse res = new DefaultFullHttpResponse(version(ctx), HttpResponseStatus.valueOf(code),
                Unpooled.wrappedBuffer(body));
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        res.headers().set("Cache-Control", "no-cache, private");
        for (String w : warnings) {
            res.headers().add("Warning", "299 - \"" + w.replace("\"", "\\\"") + "\"");
        }
        if (retryAfterSeconds > 0) {
            res.headers().set(HttpHeaderNames.RETRY_AFTER, retryAfterSeconds);
        }
        HttpUtil.setContentLength(res, body.length);
        if (keepAlive) {
            res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            ctx.writeAndFlush(res);
        } else {
            ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** A response with exactly {@code headers} (as a proxied server gave them) and {@code body}. */
    public static void raw(ChannelHandlerContext ctx, boolean keepAlive, int code, java.util.List<java.util.Map.Entry<String, String>> headers,
                           byte[] body) {
        FullHttpResponse res = new DefaultFullHttpResponse(version(ctx), HttpResponseStatus.valueOf(code), Unpooled.wrappedBuffer(body));
        headers.forEach(h -> res.headers().add(h.getKey(), h.getValue()));
        HttpUtil.setContentLength(res, body.length);
        if (keepAlive) {
            res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            ctx.writeAndFlush(res);
        } else {
            ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** A redirect to {@code location}, with the short HTML body Go's http.Redirect writes for GET. */
    public static void redirect(ChannelHandlerContext ctx, boolean keepAlive, int code, String location) {
        byte[] body = ("<a href=\"" + location + "\">Moved Permanently</a>.\n\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        raw(ctx, keepAlive, code, java.util.List.of(java.util.Map.entry("Location", location),
                java.util.Map.entry("Content-Type", "text/html; charset=utf-8")), body);
    }
}
