package dev.kubetest.apiserver.stream;

import dev.kubetest.apiserver.http.Request;

import dev.kubetest.core.api.KubeApi;
import dev.kubetest.core.meta.ResourceType;
import dev.kubetest.core.runtime.ContainerProcess;
import dev.kubetest.core.runtime.ContainerRuntime;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import java.util.List;

/**
 * {@code pods/attach} over WebSocket with the same channel protocols as exec: what the running container writes
 * from the moment of attaching goes to the stdout (1) and stderr (2) channels; when the container ends, a
 * success Status on channel 3 and a close frame end the stream. With {@code stdin=true}, input on channel 0 reaches
 * the main process when its container has {@code stdin: true} (a shell reads it as commands).
 */
public final class AttachSession {
    private AttachSession() {}

    public static void start(Request r, KubeApi api, dev.kubetest.core.kubelet.NodeConnector nodes, ResourceType pods,
                      String ns, String name) {
        ContainerProcess process = ExecSession.runningContainer(r, api.get(pods, ns, name), nodes, name);
        boolean stdin = r.flag("stdin");
        boolean tty = r.flag("tty");
        java.util.function.Function<ContainerRuntime.ExecListener, ContainerRuntime.ExecStream> open =
                listener -> nodes.attach(process, stdin, tty, listener);
        if (SpdyRemoteCommand.serve(r, open, code -> ExecSession.status(List.of(), 0))) {
            return;
        }
        WebSocketServerHandshaker hs = ExecSession.handshaker(r);
        if (hs != null) {
            ExecSession.connect(r, hs, open, code -> ExecSession.status(List.of(), 0));
        }
    }
}
