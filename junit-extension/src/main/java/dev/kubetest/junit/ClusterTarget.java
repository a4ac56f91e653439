package dev.kubetest.junit;

import dev.kubetest.core.KubeCluster;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What the tests of a class run against: KubeTest's own in-process cluster ({@link ClusterHandle}) or an existing
 * cluster named by a kubeconfig ({@link ExistingCluster}). Either gives clients, kubeconfigs and namespaces; only
 * the first has a {@link KubeCluster} (time control, fault injection, container files).
 */
interface ClusterTarget extends AutoCloseable {

    /** The in-process cluster, when the tests run against one. */
    Optional<KubeCluster> cluster();

    /** A fabric8 client on namespace {@code default}, shared by the class. */
    KubernetesClient client();

    /** Kubeconfig YAML whose context defaults to {@code namespace}. */
    String kubeconfig(String namespace);

    /** The same, as a file. */
    Path kubeconfigFile(String namespace);

    /** Creates a test's namespace and waits until pods can be made in it (its default ServiceAccount exists). */
    void createNamespace(String name);

    /** Deletes a test's namespace in the background. */
    void deleteNamespace(String name);

    /** A text dump of a namespace for a failed test's report. */
    String dump(String namespace);

    @Override
    void close();
}
