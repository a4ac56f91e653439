package dev.kubetest.apiserver.stream;

import dev.kubetest.apiserver.http.Request;
import dev.kubetest.apiserver.http.Responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubetest.core.meta.ApiException;
import dev.kubetest.core.api.KubeApi;
import dev.kubetest.core.meta.ResourceType;
import dev.kubetest.core.runtime.ContainerProcess;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code pods/{name}/log}: a container's output as plain text, with {@code container}, {@code previous},
 * {@code tailLines}, {@code sinceSeconds}, {@code timestamps}, {@code limitBytes} and {@code follow} (a chunked
 * stream that ends when the container does), and upstream's 400 errors.
 */
public final class PodLogs {
    private PodLogs() {}

    public static void serve(Request r, KubeApi api, dev.kubetest.core.kubelet.NodeConnector nodes, ResourceType pods,
                      String ns, String name) {
        ObjectNode pod = api.get(pods, ns, name);
        String container = r.param("container");
        List<String> names = new ArrayList<>();
        pod.path("spec").path("containers").forEach(c -> names.add(c.path("name").asText()));
        if (container == null || container.isEmpty()) {
            String dflt = pod.path("metadata").path("annotations").path("kubectl.kubernetes.io/default-container").asText("");
            if (!dflt.isEmpty()) {
                container = dflt;
            } else if (names.size() == 1) {
                container = names.get(0);
            } else {
                throw ApiException.badRequest("a container name must be specified for pod " + name + ", choose one of: "
                        + names.toString().replace(",", ""));
            }
        }
        boolean known = names.contains(container);
        for (String list : List.of("initContainers", "ephemeralContainers")) {
            for (JsonNode c : pod.path("spec").path(list)) {
                known |= c.path("name").asText().equals(container);
            }
        }
        if (!known) {
            throw ApiException.badRequest("container " + container + " is not valid for pod " + name);
        }
        if (pod.path("spec").path("nodeName").asText("").isEmpty()) {
            throw ApiException.badRequest("pod " + name + " does not have a host assigned");
        }
        boolean previous = r.flag("previous");
        ContainerProcess process = nodes.container(pod, container, previous);
        if (process == null) {
            if (previous) {
                throw ApiException.badRequest("previous terminated container \"" + container + "\" in pod \"" + name
                        + "\" not found");
            }
            String reason = waitingReason(pod, container);
            throw ApiException.badRequest("container \"" + container + "\" in pod \"" + name + "\" is waiting to start: "
                    + reason);
        }
        List<ContainerProcess.LogLine> lines = filter(process.logs(), r, api.clock().now());
        boolean timestamps = r.flag("timestamps");
        if (!r.flag("follow")) {
            StringBuilder sb = new StringBuilder();
            lines.forEach(l -> sb.append(format(l, timestamps)));
            String body = limit(sb.toString(), r.param("limitBytes"));
            Responses.bytes(r.ctx, r.keepAlive, 200, "text/plain", body.getBytes(StandardCharsets.UTF_8));
            return;
        }
        Channel ch = r.ctx.channel();
        HttpResponse res = Responses.streamHead(r.ctx, "text/plain");
        ch.writeAndFlush(res);
        int[] sent = {0};
        Instant since = lines.isEmpty() ? null : lines.get(0).at();
        List<ContainerProcess.LogLine> all = process.logs();
        sent[0] = all.size() - lines.size();
        Runnable pump = () -> {
            List<ContainerProcess.LogLine> now = process.logs();
            StringBuilder sb = new StringBuilder();
            for (int i = sent[0]; i < now.size(); i++) {
                sb.append(format(now.get(i), timestamps));
            }
            sent[0] = now.size();
            if (sb.length() > 0) {
                ch.writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(sb.toString().getBytes(StandardCharsets.UTF_8))));
            }
        };
        pump.run();
        ScheduledFuture<?>[] task = {null};
        task[0] = ch.eventLoop().scheduleAtFixedRate(() -> {
            pump.run();
            if (!process.running() || !ch.isActive()) {
                task[0].cancel(false);
                if (ch.isActive()) {
                    ch.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener(ChannelFutureListener.CLOSE);
                }
            }
        }, 50, 50, TimeUnit.MILLISECONDS);
        ch.closeFuture().addListener(f -> task[0].cancel(false));
        if (since == null) {
            return;
        }
    }

    private static String waitingReason(JsonNode pod, String container) {
        for (String list : new String[] {"initContainerStatuses", "containerStatuses", "ephemeralContainerStatuses"}) {
            for (JsonNode s : pod.path("status").path(list)) {
                if (s.path("name").asText().equals(container)) {
                    return s.path("state").path("waiting").path("reason").asText("ContainerCreating");
                }
            }
        }
        return "ContainerCreating";
    }

    private static List<ContainerProcess.LogLine> filter(List<ContainerProcess.LogLine> lines, Request r, Instant now) {
        List<ContainerProcess.LogLine> out = new ArrayList<>(lines);
        String since = r.param("sinceSeconds");
        if (since != null) {
            Instant from = now.minusSeconds(Long.parseLong(since));
            out.removeIf(l -> l.at().isBefore(from));
        }
        String tail = r.param("tailLines");
        if (tail != null) {
            int n = Integer.parseInt(tail);
            if (n >= 0 && out.size() > n) {
                out = new ArrayList<>(out.subList(out.size() - n, out.size()));
            }
        }
        return out;
    }

    private static String format(ContainerProcess.LogLine l, boolean timestamps) {
        return (timestamps ? java.time.format.DateTimeFormatter.ISO_INSTANT.format(l.at()) + " " : "") + l.text() + "\n";
    }

    private static String limit(String body, String limitBytes) {
        if (limitBytes == null) {
            return body;
        }
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        int n = (int) Math.min(b.length, Long.parseLong(limitBytes));
        return new String(b, 0, n, StandardCharsets.UTF_8);
    }
}
