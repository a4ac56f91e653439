package dev.kubetest.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.reflect.TypeToken;
import dev.kubetest.apiserver.support.TestServer;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.apis.VersionApi;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1ConfigMapList;
import io.kubernetes.client.openapi.models.V1Namespace;
import io.kubernetes.client.openapi.models.V1NamespaceList;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.util.Watch;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The official io.kubernetes client-java (strict about unknown fields): version, list, watch, errors. */
class ClientJavaTest {
    static TestServer server;
    static ApiClient client;

    @BeforeAll
    static void start() {
        server = new TestServer();
        client = server.clientJava();
        OkHttpClient http = client.getHttpClient().newBuilder().readTimeout(30, TimeUnit.SECONDS).build();
        client.setHttpClient(http);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void versionAndNamespacesParseStrictly() throws Exception {
        assertThat(new VersionApi(client).getCode().execute().getMinor()).isEqualTo("32");
        V1NamespaceList namespaces = new CoreV1Api(client).listNamespace().execute();
        assertThat(namespaces.getItems()).extracting(n -> n.getMetadata().getName())
                .contains("default", "kube-system", "kube-public", "kube-node-lease");
        assertThat(namespaces.getItems().get(0).getStatus().getPhase()).isEqualTo("Active");
    }

    @Test
    void createAndListWithSelectors() throws Exception {
        CoreV1Api core = new CoreV1Api(client);
        core.createNamespace(new V1Namespace().metadata(new V1ObjectMeta().name("cj-list"))).execute();
        for (String name : List.of("a", "b", "c")) {
            core.createNamespacedConfigMap("cj-list", new V1ConfigMap()
                    .metadata(new V1ObjectMeta().name(name).labels(Map.of("tier", name.equals("c") ? "db" : "web")))
                    .data(Map.of("k", name))).execute();
        }
        V1ConfigMapList web = core.listNamespacedConfigMap("cj-list").labelSelector("tier=web").execute();
        assertThat(web.getItems()).extracting(c -> c.getMetadata().getName()).containsExactly("a", "b");
        V1ConfigMapList byName = core.listNamespacedConfigMap("cj-list").fieldSelector("metadata.name=c").execute();
        assertThat(byName.getItems()).extracting(c -> c.getData().get("k")).containsExactly("c");
        assertThatThrownBy(() -> core.readNamespacedConfigMap("zzz", "cj-list").execute())
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getCode()).isEqualTo(404));
    }

    @Test
    void watchDeliversEventsFromAResourceVersion() throws Exception {
        CoreV1Api core = new CoreV1Api(client);
        core.createNamespace(new V1Namespace().metadata(new V1ObjectMeta().name("cj-watch"))).execute();
        V1ConfigMapList list = core.listNamespacedConfigMap("cj-watch").execute();
        String rv = list.getMetadata().getResourceVersion();
        core.createNamespacedConfigMap("cj-watch", new V1ConfigMap().metadata(new V1ObjectMeta().name("x"))).execute();
        core.deleteNamespacedConfigMap("x", "cj-watch").execute();
        List<String> seen = new ArrayList<>();
        try (Watch<V1ConfigMap> watch = Watch.createWatch(client,
                core.listNamespacedConfigMap("cj-watch").watch(true).resourceVersion(rv).timeoutSeconds(5).buildCall(null),
                new TypeToken<Watch.Response<V1ConfigMap>>() { }.getType())) {
            for (Watch.Response<V1ConfigMap> event : watch) {
                if (!"x".equals(event.object.getMetadata().getName())) {
                    continue; // the namespace's kube-root-ca.crt, published meanwhile as on any cluster
                }
                seen.add(event.type + " " + event.object.getMetadata().getName());
                if (seen.size() == 2) {
                    break;
                }
            }
        }
        assertThat(seen).containsExactly("ADDED x", "DELETED x");
    }
}
