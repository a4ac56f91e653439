package dev.kubetest.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kubetest.core.KubeCluster;
import dev.kubetest.core.network.LocalPortForward;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A real localhost port bridged to a simulated Service: a test's own HTTP client and a real browser reach nginx. */
@KubeTest(time = KubeTest.Time.AUTO)
class PortForwardBridgeTest {

    private static final String SITE = """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: site}
            data:
              index.html: |
                <!DOCTYPE html>
                <html><head><title>Shop</title></head>
                <body><h1 id="greeting">Hello from a ConfigMap</h1>
                <script>document.getElementById('greeting').setAttribute('data-script', 'ran');</script></body></html>
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web}
            spec:
              replicas: 2
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec:
                  containers:
                  - name: nginx
                    image: nginx:1.27
                    ports: [{name: http, containerPort: 80}]
                    readinessProbe: {httpGet: {path: /, port: http}}
                    volumeMounts: [{name: site, mountPath: /usr/share/nginx/html}]
                  volumes: [{name: site, configMap: {name: site}}]
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: web}
            spec:
              selector: {app: web}
              ports: [{port: 8080, targetPort: http}]
            """;

    @Test
    void aTestsHttpClientAndABrowserReachNginxThroughALocalPort(KubeCluster cluster, KubernetesClient client,
                                                                   @TestNamespace String ns) throws Exception {
        cluster.apply(SITE, ns);
        client.apps().deployments().inNamespace(ns).withName("web").waitUntilReady(30, TimeUnit.SECONDS);
        try (LocalPortForward web = cluster.portForward(ns, "svc/web", 8080)) {
            assertThat(web.podPort()).as("the Service port becomes its targetPort").isEqualTo(80);
            assertThat(web.pod()).startsWith(ns + "/web-");
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
            for (int i = 0; i < 3; i++) { // one keep-alive connection, several requests
                HttpResponse<String> page = http.send(HttpRequest.newBuilder(web.uri("/")).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(page.statusCode()).isEqualTo(200);
                assertThat(page.body()).contains("<h1 id=\"greeting\">Hello from a ConfigMap</h1>");
                assertThat(page.headers().firstValue("Server")).contains("nginx");
            }
            assertThat(http.send(HttpRequest.newBuilder(web.uri("/missing.html")).build(), HttpResponse.BodyHandlers.ofString())
                    .statusCode()).isEqualTo(404);

            String chromium = HeadlessChromium.find("the browser half of the port-forward test needs it");
            String dom = HeadlessChromium.run(chromium, "--dump-dom", web.uri("/").toString());
            assertThat(dom).contains("<title>Shop</title>").contains("data-script=\"ran\"");
        }
        assertThatThrownBy(() -> cluster.portForward(ns, "svc/web", 9999)).hasMessageContaining("does not have a service port 9999");
        assertThatThrownBy(() -> cluster.portForward(ns, "svc/nothing", 80)).hasMessageContaining("services \"nothing\" not found");
    }

    @Test
    void aClosedForwardStopsListeningAndAPodCanBeNamedDirectly(KubeCluster cluster, KubernetesClient client,
                                                             @TestNamespace String ns) throws Exception {
        cluster.apply(SITE, ns);
        client.apps().deployments().inNamespace(ns).withName("web").waitUntilReady(30, TimeUnit.SECONDS);
        String pod = client.pods().inNamespace(ns).withLabel("app", "web").list().getItems().get(0).getMetadata().getName();
        LocalPortForward closed;
        try (LocalPortForward direct = cluster.portForward(ns, "pod/" + pod, 80)) {
            closed = direct;
            assertThat(direct.isOpen()).isTrue();
            HttpResponse<String> page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(direct.uri("/")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(page.body()).contains("Hello from a ConfigMap");
        }
        // closed: the port no longer listens (another test may take the number, so it is not probed)
        assertThat(closed.isOpen()).isFalse();
    }
}
