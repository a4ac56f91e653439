package dev.kubetest.apiserver.http;

import dev.kubetest.core.api.KubeApi;
import dev.kubetest.core.api.ResourceType;
import dev.kubetest.core.json.Json;
import dev.kubetest.core.runtime.ContainerProcess;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code pods/attach} over WebSocket with the same channel protocols as exec: what the running container writes
 * from the moment of attaching goes to the stdout (1) and stderr (2) channels; when the container ends, a
 * success Status on channel 3 and a close frame end the stream. Input sent on channel 0 is accepted and dropped
 * (simulated processes read no stdin).
 */
final class AttachSession {
    private AttachSession() {}

    static void start(Request r, KubeApi api, ResourceType pods, String ns, String name) {
        ContainerProcess process = ExecSession.runningContainer(r, api.get(pods, ns, name), api, name);
        boolean tty = r.flag("tty");
        WebSocketServerHandshaker hs = ExecSession.handshaker(r);
        if (hs == null) {
            return;
        }
        Channel ch = r.ctx.channel();
        int[] sent = {process.logs().size()};
        ch.attr(ExecSession.FRAMES).set(frame -> {
            if (frame instanceof CloseWebSocketFrame) {
                ch.close();
            }
        });
        hs.handshake(ch, r.http).addListener(f -> {
            ScheduledFuture<?>[] task = {null};
            task[0] = ch.eventLoop().scheduleAtFixedRate(() -> {
                List<ContainerProcess.LogLine> now = process.logs();
                for (int i = sent[0]; i < now.size(); i++) {
                    ContainerProcess.LogLine line = now.get(i);
                    int channel = tty || !"stderr".equals(line.stream()) ? 1 : 2;
                    ExecSession.send(ch, channel, (line.text() + "\n").getBytes(StandardCharsets.UTF_8));
                }
                sent[0] = now.size();
                if (!process.running() || !ch.isActive()) {
                    task[0].cancel(false);
                    if (ch.isActive()) {
                        ExecSession.send(ch, 3, Json.bytes(ExecSession.status(List.of(), 0)));
                        ch.writeAndFlush(new CloseWebSocketFrame(1000, "")).addListener(ChannelFutureListener.CLOSE);
                    }
                }
            }, 0, 50, TimeUnit.MILLISECONDS);
            ch.closeFuture().addListener(c -> task[0].cancel(false));
        });
    }
}
