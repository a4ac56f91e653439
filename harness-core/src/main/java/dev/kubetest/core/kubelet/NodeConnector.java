package dev.kubetest.core.kubelet;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kubetest.core.runtime.ContainerProcess;
import dev.kubetest.core.runtime.ContainerRuntime;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * How the API server reaches containers: through the kubelet of the pod's node, as kube-apiserver connects to a
 * kubelet for logs, exec, attach and port-forward. The HTTP layer holds this and nothing of the runtime or the store.
 */
public final class NodeConnector {
    private final Map<String, Kubelet> kubelets;
    private final ContainerRuntime runtime;

    public NodeConnector(Map<String, Kubelet> kubeletsByNode, ContainerRuntime runtime) {
        this.kubelets = kubeletsByNode;
        this.runtime = runtime;
    }

    /** The running (or, with {@code previous}, the last terminated) instance of a pod's container, or null. */
    public ContainerProcess container(JsonNode pod, String container, boolean previous) {
        Kubelet k = kubelets.get(pod.path("spec").path("nodeName").asText(""));
        if (k == null) {
            return null;
        }
        String ns = pod.path("metadata").path("namespace").asText();
        String name = pod.path("metadata").path("name").asText();
        return previous ? k.previous(ns, name, container) : k.container(ns, name, container);
    }

    /** Runs a command in a container with its streams connected to a client ({@code pods/exec}). */
    public ContainerRuntime.ExecStream exec(ContainerProcess container, List<String> command, boolean stdin, boolean tty,
                                            ContainerRuntime.ExecListener listener) {
        return runtime.execStream(container, command, stdin, tty, listener);
    }

    /** Joins a client to a container's main process ({@code pods/attach}). */
    public ContainerRuntime.ExecStream attach(ContainerProcess container, boolean stdin, boolean tty,
                                              ContainerRuntime.ExecListener listener) {
        return runtime.attach(container, stdin, tty, listener);
    }

    /** Opens a connection to a port in the container's pod ({@code pods/portforward}). */
    public ContainerRuntime.PortStream connect(ContainerProcess container, int port, Consumer<byte[]> fromContainer) {
        return runtime.connect(container, port, fromContainer);
    }

    /**
     * Sends an HTTP request to {@code ip:port} on the cluster network, as kube-apiserver reaches a pod for
     * {@code services/proxy} and {@code pods/proxy}; null when the runtime has no simulated network.
     */
    public ContainerRuntime.NetworkReply request(String ip, int port, byte[] request) {
        try {
            return runtime == null ? null : runtime.exchange(null, ip, port, request);
        } catch (UnsupportedOperationException e) {
            return null;
        }
    }
}
