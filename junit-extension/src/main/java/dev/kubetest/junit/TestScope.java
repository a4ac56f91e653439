package dev.kubetest.junit;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;

/** What one test method sees: its cluster, its namespace, and clients defaulting to that namespace. */
final class TestScope implements AutoCloseable {
    private final ClusterTarget handle;
    private final String namespace;
    private KubernetesClient client;
    private TimelineRecorder recorder;

    TestScope(ClusterTarget handle, String namespace) {
        this.handle = handle;
        this.namespace = namespace;
    }

    /** Starts recording pods and events for a failed test's timeline (in-process clusters only). */
    void record() {
        handle.cluster().ifPresent(c -> recorder = new TimelineRecorder(c, namespace));
    }

    TimelineRecorder recorder() {
        return recorder;
    }

    ClusterTarget handle() {
        return handle;
    }

    String namespace() {
        return namespace;
    }

    synchronized KubernetesClient client() {
        if (client == null) {
            client = ClusterHandle.fabric8(handle.kubeconfig(namespace));
        }
        return client;
    }

    Path kubeconfig() {
        return handle.kubeconfigFile(namespace);
    }

    Object apiClient() {
        return ClientJavaSupport.apiClient(handle.kubeconfig(namespace));
    }

    @Override
    public synchronized void close() {
        if (recorder != null) {
            recorder.close();
        }
        if (client != null) {
            client.close();
            client = null;
        }
    }
}
