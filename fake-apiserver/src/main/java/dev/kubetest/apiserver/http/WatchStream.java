package dev.kubetest.apiserver.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubetest.apiserver.table.TablePrinters;
import dev.kubetest.core.meta.ApiException;
import dev.kubetest.core.api.KubeApi;
import dev.kubetest.core.meta.ListOptions;
import dev.kubetest.core.meta.ResourceType;
import dev.kubetest.core.api.WatchEventType;
import dev.kubetest.core.json.Json;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One watch: a chunked HTTP response of newline-delimited events, or (when the client asks for an upgrade, as
 * fabric8 does) one WebSocket text frame per event. Table watches carry one-row Tables. The stream stays open
 * until {@code timeoutSeconds} (wall time; default 30 minutes) or until the client leaves.
 */
final class WatchStream {
    private static final long DEFAULT_TIMEOUT_SECONDS = 1800;
    private static final long BOOKMARK_PERIOD_SECONDS = 60;

    private final Request request;
    private final KubeApi api;
    private final ResourceType type;
    private final MediaTypes.Form form;
    private final Channel channel;
    private final AtomicBoolean ended = new AtomicBoolean();
    private volatile boolean webSocket;
    private volatile boolean columnsSent;
    private volatile AutoCloseable subscription;

    WatchStream(Request request, KubeApi api, ResourceType type, MediaTypes.Form form) {
        this.request = request;
        this.api = api;
        this.type = type;
        this.form = form;
        this.channel = request.ctx.channel();
    }

    void start(String namespace, ListOptions options) {
        if (request.isWebSocketUpgrade()) {
            String url = "ws://" + request.header(HttpHeaderNames.HOST) + request.http.uri();
            WebSocketServerHandshaker hs = new WebSocketServerHandshakerFactory(url, null, true, 64 * 1024 * 1024)
                    .newHandshaker(request.http);
            if (hs == null) {
                WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(channel);
                return;
            }
            webSocket = true;
            hs.handshake(channel, request.http);
        } else {
            HttpResponse res = Responses.streamHead(request.ctx, "application/json");
            res.headers().set("Cache-Control", "no-cache, private");
            channel.writeAndFlush(res);
        }
        channel.closeFuture().addListener(f -> stop());
        try {
            subscription = api.lists().watch(type, namespace, options, this::send);
        } catch (ApiException e) {
            send(WatchEventType.ERROR, e.status());
            end();
            return;
        }
        long timeout = options.timeoutSeconds() != null && options.timeoutSeconds() > 0
                ? options.timeoutSeconds() : DEFAULT_TIMEOUT_SECONDS;
        ScheduledFuture<?> timer = channel.eventLoop().schedule(this::end, timeout, TimeUnit.SECONDS);
        channel.closeFuture().addListener(f -> timer.cancel(false));
        if (options.allowWatchBookmarks()) {
            ScheduledFuture<?> bookmarks = channel.eventLoop().scheduleAtFixedRate(this::bookmark,
                    BOOKMARK_PERIOD_SECONDS, BOOKMARK_PERIOD_SECONDS, TimeUnit.SECONDS);
            channel.closeFuture().addListener(f -> bookmarks.cancel(false));
        }
    }

    /** A bookmark at the store's revision, sent under the store's write lock so no event can pass it. */
    private void bookmark() {
        api.lists().bookmarkNow(type, bookmark -> send(WatchEventType.BOOKMARK, bookmark));
    }

    private void send(WatchEventType eventType, ObjectNode object) {
        if (ended.get() || !channel.isActive()) {
            return;
        }
        ObjectNode event = Json.object();
        event.put("type", eventType.name());
        event.set("object", render(eventType, object));
        byte[] bytes = Json.bytes(event);
        if (webSocket) {
            channel.writeAndFlush(new TextWebSocketFrame(Unpooled.wrappedBuffer(bytes)));
        } else {
            byte[] line = new byte[bytes.length + 1];
            System.arraycopy(bytes, 0, line, 0, bytes.length);
            line[bytes.length] = '\n';
            channel.writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(line)));
        }
    }

    private ObjectNode render(WatchEventType eventType, ObjectNode object) {
        if (eventType == WatchEventType.ERROR || eventType == WatchEventType.BOOKMARK) {
            return object;
        }
        return switch (form) {
            case TABLE_V1, TABLE_V1BETA1 -> {
                boolean first = !columnsSent;
                columnsSent = true;
                yield TablePrinters.table(Columns.of(api, type), List.of(object), null, null, null, api.clock().now(),
                        TablePrinters.IncludeObject.METADATA, first,
                        form == MediaTypes.Form.TABLE_V1 ? "meta.k8s.io/v1" : "meta.k8s.io/v1beta1");
            }
            case PARTIAL_METADATA -> TablePrinters.partialMetadata(object);
            default -> object;
        };
    }

    /** Ends the stream from the server side (timeout or error). */
    private void end() {
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        closeSubscription();
        if (!channel.isActive()) {
            return;
        }
        if (webSocket) {
            channel.writeAndFlush(new CloseWebSocketFrame(1000, "")).addListener(ChannelFutureListener.CLOSE);
        } else {
            channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener(ChannelFutureListener.CLOSE);
        }
    }

    private void stop() {
        ended.set(true);
        closeSubscription();
    }

    private void closeSubscription() {
        AutoCloseable s = subscription;
        if (s != null) {
            try {
                s.close();
            } catch (Exception ignored) {
                // closing a store subscription does not fail
            }
        }
    }
}
