package dev.kubetest.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kubetest.apiserver.support.Kubectl;
import dev.kubetest.apiserver.support.TestServer;
import dev.kubetest.core.KubeCluster;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** services/proxy and pods/proxy reach simulated servers, through kubectl, client-java and fabric8's HTTP client. */
class ServiceProxyTest {

    private static final String APP = """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: site}
            data: {index.html: "<h1>hello from the site</h1>\\n", about.html: "about us\\n"}
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
                    volumeMounts: [{name: site, mountPath: /usr/share/nginx/html}]
                  volumes: [{name: site, configMap: {name: site}}]
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: web}
            spec:
              selector: {app: web}
              ports: [{name: http, port: 80, targetPort: http}]
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: empty}
            spec:
              selector: {app: nothing}
              ports: [{port: 80}]
            """;

    @Test
    void theServiceAndPodProxiesReachTheServers() throws Exception {
        Kubectl.assumePresent();
        try (TestServer server = new TestServer(KubeCluster.builder().timeMode(KubeCluster.TimeMode.AUTO))) {
            Kubectl kubectl = server.kubectl();
            KubernetesClient client = server.fabric8();
            kubectl.runWithInput(APP, "apply", "-f", "-").ok();
            client.apps().deployments().inNamespace("default").withName("web").waitUntilReady(30, TimeUnit.SECONDS);

            assertThat(kubectl.run("get", "--raw", "/api/v1/namespaces/default/services/web:80/proxy/").ok().out())
                    .isEqualTo("<h1>hello from the site</h1>\n");
            assertThat(kubectl.run("get", "--raw", "/api/v1/namespaces/default/services/http:web:http/proxy/about.html").ok().out())
                    .isEqualTo("about us\n");
            String pod = client.pods().inNamespace("default").withLabel("app", "web").list().getItems().get(0).getMetadata().getName();
            assertThat(kubectl.run("get", "--raw", "/api/v1/namespaces/default/pods/" + pod + ":80/proxy/about.html").ok().out())
                    .isEqualTo("about us\n");

            var empty = kubectl.run("get", "--raw", "/api/v1/namespaces/default/services/empty:80/proxy/");
            assertThat(empty.exitCode()).isEqualTo(1);
            assertThat(empty.err()).contains("Error from server (ServiceUnavailable): no endpoints available for service \"empty:80\"");
            var noPort = kubectl.run("get", "--raw", "/api/v1/namespaces/default/services/web:81/proxy/");
            assertThat(noPort.err()).contains("no service port 81 found for service \"web\"");
            assertThat(kubectl.run("get", "--raw", "/api/v1/namespaces/default/services/missing:80/proxy/").err())
                    .contains("Error from server (NotFound): services \"missing\" not found");

            // client-java's connect* calls
            CoreV1Api core = new CoreV1Api(server.clientJava());
            assertThat(core.connectGetNamespacedServiceProxyWithPath("web:http", "default", "about.html").execute()).isEqualTo("about us\n");
            assertThat(core.connectGetNamespacedPodProxyWithPath(pod + ":80", "default", "").execute())
                    .isEqualTo("<h1>hello from the site</h1>\n");
            assertThatThrownBy(() -> core.connectGetNamespacedServiceProxyWithPath("empty:80", "default", "").execute())
                    .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getCode()).isEqualTo(503));

            // a path without its trailing slash is redirected to it, as upstream
            var http = client.getHttpClient();
            var base = client.getMasterUrl().toString().replaceAll("/$", "");
            var response = http.sendAsync(http.newHttpRequestBuilder().uri(base + "/api/v1/namespaces/default/services/web:80/proxy?x=1").build(),
                    String.class).get(30, TimeUnit.SECONDS);
            assertThat(response.code()).isEqualTo(301);
            assertThat(response.headers("Location")).containsExactly("/api/v1/namespaces/default/services/web:80/proxy/?x=1");
            // an nginx 404 comes back as nginx gave it
            var missing = http.sendAsync(http.newHttpRequestBuilder().uri(base + "/api/v1/namespaces/default/services/web:80/proxy/nope.html").build(),
                    String.class).get(30, TimeUnit.SECONDS);
            assertThat(missing.code()).isEqualTo(404);
            assertThat(missing.body()).contains("<center><h1>404 Not Found</h1></center>");
        }
    }
}
