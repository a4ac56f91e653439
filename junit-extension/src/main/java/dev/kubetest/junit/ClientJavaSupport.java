package dev.kubetest.junit;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;

/**
 * The official client-java, an optional dependency: this class is loaded only when a test asks for an
 * {@code io.kubernetes.client.openapi.ApiClient}, so tests without client-java on their class path never touch it.
 */
final class ClientJavaSupport {
    static final String API_CLIENT = "io.kubernetes.client.openapi.ApiClient";

    private ClientJavaSupport() {}

    static Object apiClient(String kubeconfig) {
        try {
            return io.kubernetes.client.util.ClientBuilder.kubeconfig(
                    io.kubernetes.client.util.KubeConfig.loadKubeConfig(new StringReader(kubeconfig))).build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
