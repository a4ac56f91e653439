package dev.kubetest.junit;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;

/** What one test method sees: its cluster, its namespace, and clients defaulting to that namespace. */
final class TestScope implements AutoCloseable {
    private final ClusterTarget handle;
    private final String namespace;
    private KubernetesClient client;

    TestScope(ClusterTarget handle, String namespace) {
        this.handle = handle;
        this.namespace = namespace;
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
        if (client != null) {
            client.close();
            client = null;
        }
    }
}
