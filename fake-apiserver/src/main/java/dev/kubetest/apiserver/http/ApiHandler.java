package dev.kubetest.apiserver.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubetest.apiserver.discovery.Discovery;
import dev.kubetest.apiserver.stream.ExecSession;
import dev.kubetest.apiserver.discovery.OpenApiV3;
import dev.kubetest.core.meta.ApiException;
import dev.kubetest.core.api.KubeApi;
import dev.kubetest.core.subresource.Subresources;
import dev.kubetest.core.json.Json;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Routes requests: health, version, discovery, OpenAPI, then resource URLs. Shared by every connection. */
@ChannelHandler.Sharable
public final class ApiHandler extends ChannelInboundHandlerAdapter {
    /** Looked up on first use: logging set-up is not on the boot path. */
    private static Logger log() {
        return LoggerFactory.getLogger(ApiHandler.class);
    }

    private final KubeApi api;
    private final Discovery discovery;
    private final OpenApiV3 openApi;
    private final dev.kubetest.apiserver.discovery.OpenApiV2 openApiV2;
    private final ResourceHandler resources;
    private final ObjectNode version;
    private final Supplier<String> serverAddress;

    private final java.util.concurrent.Executor executor;

    public ApiHandler(KubeApi api, Subresources subresources, dev.kubetest.core.kubelet.NodeConnector nodes, ObjectNode version,
                      Supplier<String> serverAddress, java.util.concurrent.Executor executor) {
        this.executor = executor;
        this.api = api;
        this.discovery = new Discovery(api.registry());
        this.openApi = new OpenApiV3(api.registry(), version.path("gitVersion").asText(), name -> {
            try {
                return api.get(api.registry().find("apiextensions.k8s.io", "v1", "customresourcedefinitions").orElseThrow(),
                        null, name);
            } catch (ApiException e) {
                return null;
            }
        });
        this.openApiV2 = new dev.kubetest.apiserver.discovery.OpenApiV2(api.registry(), openApi,
                version.path("gitVersion").asText());
        this.resources = new ResourceHandler(api, subresources, nodes);
        this.version = version;
        this.serverAddress = serverAddress;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof FullHttpRequest http) {
            ctx.channel().attr(Responses.PROTOCOL).set(http.protocolVersion());
            if (http.decoderResult().isFailure()) {
                refuseUndecodable(ctx, http);
                return;
            }
            if (answeredInline(http) || smallList(http)) {
                try {
                    handle(new Request(ctx, http));
                } finally {
                    ReferenceCountUtil.release(http);
                }
                return;
            }
            try {
                executor.execute(() -> {
                    try {
                        handle(new Request(ctx, http));
                    } finally {
                        ReferenceCountUtil.release(http);
                    }
                });
            } catch (java.util.concurrent.RejectedExecutionException e) {
                ReferenceCountUtil.release(http);
                ctx.close();
            }
            return;
        }
        try {
            if (msg instanceof WebSocketFrame frame) {
                java.util.function.Consumer<WebSocketFrame> session = ctx.channel().attr(ExecSession.FRAMES).get();
                if (session != null && !(frame instanceof PingWebSocketFrame)) {
                    session.accept(frame);
                    return;
                }
                if (frame instanceof CloseWebSocketFrame) {
                    ctx.close();
                } else if (frame instanceof PingWebSocketFrame) {
                    ctx.writeAndFlush(new PongWebSocketFrame(frame.content().retain()));
                }
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    /**
     * Whether a request cannot block and is quick, so the I/O thread answers it itself rather than handing it to the
     * request pool: a GET of one object (no subresource, no watch, no resourceVersion to wait for).
     */
    static boolean answeredInline(FullHttpRequest http) {
        String path = waitFreeGetPath(http);
        if (path == null) {
            return false;
        }
        int segments = 0;
        for (int i = 0; i < path.length(); i++) {
            if (path.charAt(i) == '/') {
                segments++;
            }
        }
        if (path.endsWith("/") || path.contains("//")) {
            return false;
        }
        if (path.startsWith("/api/v1/")) {
            return segments == 6 ? path.startsWith("/api/v1/namespaces/") : segments == 4;
        }
        if (path.startsWith("/apis/")) {
            return segments == 7 ? path.split("/")[4].equals("namespaces") : segments == 5 && !path.split("/")[4].equals("namespaces");
        }
        return false;
    }

    /**
     * The path of a GET that cannot wait (no watch, no resourceVersion other than 0 to wait for freshness), or null.
     */
    private static String waitFreeGetPath(FullHttpRequest http) {
        if (!io.netty.handler.codec.http.HttpMethod.GET.equals(http.method())) {
            return null;
        }
        String uri = http.uri();
        int q = uri.indexOf('?');
        if (q >= 0) {
            for (String param : uri.substring(q + 1).split("&")) {
                if (param.startsWith("watch") || (param.startsWith("resourceVersion") && !param.equals("resourceVersion=0")
                        && !param.equals("resourceVersion="))) {
                    return null;
                }
            }
        }
        return q < 0 ? uri : uri.substring(0, q);
    }

    /** Lists answered on the I/O thread: those of a resource holding at most this many objects in all. */
    static final int INLINE_LIST_LIMIT = 500;

    /**
     * Whether a request is a list (no watch, no resourceVersion to wait for) of a resource that holds few objects in
     * the whole store, so it is short whatever its namespace and selectors.
     */
    private boolean smallList(FullHttpRequest http) {
        String path = waitFreeGetPath(http);
        if (path == null || http.uri().contains("continue=")) {
            return false;
        }
        String[] parts = path.split("/");
        String group;
        String version;
        String plural;
        if (parts.length == 4 && parts[1].equals("api")) {
            group = "";
            version = parts[2];
            plural = parts[3];
        } else if (parts.length == 6 && parts[1].equals("api") && parts[3].equals("namespaces")) {
            group = "";
            version = parts[2];
            plural = parts[5];
        } else if (parts.length == 5 && parts[1].equals("apis")) {
            group = parts[2];
            version = parts[3];
            plural = parts[4];
        } else if (parts.length == 7 && parts[1].equals("apis") && parts[4].equals("namespaces")) {
            group = parts[2];
            version = parts[3];
            plural = parts[6];
        } else {
            return false;
        }
        return api.registry().find(group, version, plural)
                .map(type -> api.store().count(type.storageKey()) <= INLINE_LIST_LIMIT).orElse(false);
    }

    /**
     * A request Netty could not parse: a request line or headers over 1 MiB get 431 as Go's server answers, anything
     * else 400; the connection is closed either way, since where the next request starts is unknown.
     */
    private static void refuseUndecodable(ChannelHandlerContext ctx, FullHttpRequest http) {
        Throwable cause = http.decoderResult().cause();
        ReferenceCountUtil.release(http);
        boolean tooLong = cause instanceof io.netty.handler.codec.TooLongFrameException;
        Responses.text(ctx, false, tooLong ? 431 : 400, tooLong ? "431 Request Header Fields Too Large" : "400 Bad Request");
    }

    private void handle(Request r) {
        try (AutoCloseable busy = api.activity().begin()) {
            route(r);
        } catch (ApiException e) {
            Responses.error(r.ctx, r.keepAlive, e);
        } catch (Exception | LinkageError | AssertionError e) {
            log().warn("request {} {} failed", r.method(), r.http.uri(), e);
            Responses.error(r.ctx, r.keepAlive, ApiException.internal(e.getMessage() != null ? e.getMessage() : e.toString()));
        }
    }

    /**
     * The media type kube-openapi answers gnostic's OpenAPI v2 protobuf with, whichever of its two names the client
     * asked for (kubectl asks for {@code ...spec.v2@v1.0+protobuf}, which Go's media-type parser cannot read back).
     */
    static final String OPENAPI_V2_PROTOBUF = "application/com.github.proto-openapi.spec.v2.v1.0+protobuf";

    static ApiException notFoundPath() {
        return new ApiException(404, "NotFound", "the server could not find the requested resource", null, null, null, null);
    }

    private void route(Request r) {
        String path = r.path();
        switch (path) {
            case "/version" -> {
                Responses.json(r.ctx, r.keepAlive, 200, version);
                return;
            }
            case "/healthz", "/livez", "/readyz", "/healthz/ping", "/livez/ping", "/readyz/ping" -> {
                Responses.text(r.ctx, r.keepAlive, 200, "ok");
                return;
            }
            case "/api" -> {
                MediaTypes.Form f = MediaTypes.responseForm(r.accept());
                if (f == MediaTypes.Form.AGGREGATED_V2 || f == MediaTypes.Form.AGGREGATED_V2BETA1) {
                    aggregated(r, true, f);
                } else {
                    Responses.json(r.ctx, r.keepAlive, 200, discovery.apiVersions(serverAddress.get()));
                }
                return;
            }
            case "/apis" -> {
                MediaTypes.Form f = MediaTypes.responseForm(r.accept());
                if (f == MediaTypes.Form.AGGREGATED_V2 || f == MediaTypes.Form.AGGREGATED_V2BETA1) {
                    aggregated(r, false, f);
                } else {
                    Responses.json(r.ctx, r.keepAlive, 200, discovery.apiGroupList());
                }
                return;
            }
            case "/openapi/v2" -> {
                String accept = r.accept() == null ? "" : r.accept();
                if (accept.contains("protobuf")) {
                    Responses.bytes(r.ctx, r.keepAlive, 200, OPENAPI_V2_PROTOBUF, openApiV2.protobuf());
                } else {
                    Responses.bytes(r.ctx, r.keepAlive, 200, Responses.JSON, openApiV2.json());
                }
                return;
            }
            case "/openapi/v3" -> {
                Responses.json(r.ctx, r.keepAlive, 200, openApi.root());
                return;
            }
            default -> { }
        }
        if (path.startsWith("/openapi/v3/")) {
            String gv = path.substring("/openapi/v3/".length());
            String[] parts = gv.split("/");
            ObjectNode doc = null;
            if (parts.length == 2 && parts[0].equals("api")) {
                doc = openApi.groupVersion("", parts[1]);
            } else if (parts.length == 3 && parts[0].equals("apis")) {
                doc = openApi.groupVersion(parts[1], parts[2]);
            }
            if (doc == null) {
                throw notFoundPath();
            }
            Responses.json(r.ctx, r.keepAlive, 200, doc);
            return;
        }
        String[] s = path.substring(1).split("/");
        if (r.method().equals("GET")) {
            ObjectNode doc = null;
            if (s.length == 2 && s[0].equals("api")) {
                doc = discovery.apiResourceList("", s[1]);
            } else if (s.length == 2 && s[0].equals("apis")) {
                doc = discovery.apiGroup(s[1]);
            } else if (s.length == 3 && s[0].equals("apis")) {
                doc = discovery.apiResourceList(s[1], s[2]);
            }
            if (doc != null || (s.length <= 3 && (s[0].equals("api") || s[0].equals("apis")) && s.length >= 2
                    && !(s.length == 3 && s[0].equals("api")))) {
                if (doc == null) {
                    throw notFoundPath();
                }
                Responses.json(r.ctx, r.keepAlive, 200, doc);
                return;
            }
        }
        ResourcePath p = ResourcePath.parse(path);
        if (p == null) {
            throw notFoundPath();
        }
        resources.handle(r, p);
    }

    private void aggregated(Request r, boolean core, MediaTypes.Form f) {
        boolean v2 = f == MediaTypes.Form.AGGREGATED_V2;
        ObjectNode doc = discovery.aggregated(core, v2 ? "apidiscovery.k8s.io/v2" : "apidiscovery.k8s.io/v2beta1");
        Responses.bytes(r.ctx, r.keepAlive, 200, v2 ? Discovery.AGGREGATED_V2 : Discovery.AGGREGATED_V2BETA1,
                Json.bytes(doc));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log().debug("connection error", cause);
        ctx.close();
    }
}
