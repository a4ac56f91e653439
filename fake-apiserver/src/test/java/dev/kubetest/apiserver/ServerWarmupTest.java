package dev.kubetest.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubetest.core.KubeCluster;
import dev.kubetest.core.warmup.JvmWarmup;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class ServerWarmupTest {
    @Test
    void theServerModuleRegistersItsWarmup() {
        assertThat(ServiceLoader.load(JvmWarmup.class).stream().map(p -> p.type().getName()))
                .contains(ServerWarmup.class.getName());
    }

    @Test
    void aWarmupLeavesNothingAServerCanNotice() throws Exception {
        new ServerWarmup().run();
        new ServerWarmup().run();
        try (KubeCluster cluster = KubeCluster.builder().build();
             ApiServer server = ApiServer.builder(cluster).plainHttp().start()) {
            HttpResponse<String> r = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(server.url() + "/version")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).contains("\"gitVersion\":\"v1.32.4\"");
        }
    }
}
