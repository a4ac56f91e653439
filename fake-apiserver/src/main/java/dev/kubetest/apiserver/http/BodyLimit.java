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
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;

/**
 * Whole requests up to upstream's body limit (3 MiB, {@code MaxRequestBodyBytes}); a larger body is refused while
 * it is read, as upstream's limited reader does: 413 with upstream's Status, the rest of the body discarded unread
 * into memory. A request announced larger by its Content-Length is refused before any of its body is read.
 */
public final class BodyLimit extends HttpObjectAggregator {
    /** Upstream's default request body limit for resource writes. */
    public static final int MAX_BODY_BYTES = 3 * 1024 * 1024;

    public BodyLimit() {
        super(MAX_BODY_BYTES);
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
        byte[] body = Json.bytes(ApiException.tooLarge("limit is " + MAX_BODY_BYTES).status());
        FullHttpResponse res = new DefaultFullHttpResponse(oversized.protocolVersion(),
                HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, Unpooled.wrappedBuffer(body));
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, Responses.JSON);
        HttpUtil.setContentLength(res, body.length);
        boolean keepAlive = HttpUtil.isKeepAlive(oversized) && !(oversized instanceof io.netty.handler.codec.http.FullHttpMessage);
        if (keepAlive) {
            // the aggregator discards the rest of this body as it arrives, then reads the next request
            res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
        } else {
            res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
