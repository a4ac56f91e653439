package example;

import static dev.kubetest.assertions.KubeAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kubetest.core.KubeCluster;
import dev.kubetest.core.network.LocalPortForward;
import dev.kubetest.junit.TestNamespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * One scenario, written once: a web server pod serves a page from a ConfigMap, becomes Ready through its httpGet
 * probe, answers through a port-forward, and serves the new page after the ConfigMap changes. The two classes
 * beside it run it on the simulated runtime and on real Docker containers.
 */
abstract class WebPageScenario {
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void theServerServesTheConfigMapsPageAndFollowsItsChanges(KubeCluster cluster, KubernetesClient client,
                                                              @TestNamespace String namespace) throws Exception {
        cluster.apply(Path.of("src/test/resources/web.yaml"), namespace);

        assertThat(cluster.pod(namespace, "web")).eventually(Duration.ofMinutes(1)).isReady()
                .container("httpd").hasFileContent("/www/index.html", "hello from a ConfigMap\n");

        try (LocalPortForward forward = cluster.portForward(namespace, "pod/web", 8080)) {
            assertThat(get(forward)).isEqualTo("hello from a ConfigMap\n");

            client.configMaps().withName("page").edit(cm -> {
                cm.setData(Map.of("index.html", "hello again\n"));
                return cm;
            });
            await().atMost(Duration.ofMinutes(1)).untilAsserted(() -> assertThat(get(forward)).isEqualTo("hello again\n"));
        }
    }

    private String get(LocalPortForward forward) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(forward.uri("/index.html")).timeout(Duration.ofSeconds(10)).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString()).body();
    }
}
