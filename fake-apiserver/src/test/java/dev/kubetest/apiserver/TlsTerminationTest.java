package dev.kubetest.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kubetest.apiserver.support.Kubectl;
import dev.kubetest.apiserver.support.TestServer;
import dev.kubetest.core.KubeCluster;
import dev.kubetest.core.gateway.GatewayApi;
import dev.kubetest.core.network.NetworkException;
import dev.kubetest.core.network.PodNetwork;
import dev.kubetest.core.tls.CertificateIssuer;
import dev.kubetest.core.tls.TlsCredentials;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS termination on the simulated network: an Ingress's {@code tls} section and a Gateway's HTTPS listener serve
 * the certificate of their Secret (created with {@code kubectl create secret tls}), chosen by SNI, and the client
 * checks it as curl does (trust, expiry, host name).
 */
class TlsTerminationTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private void createTlsSecret(Kubectl kubectl, String name, TlsCredentials pair) throws Exception {
        Path crt = dir.resolve(name + ".crt");
        Path key = dir.resolve(name + ".key");
        Files.writeString(crt, pair.certificatePem());
        Files.writeString(key, pair.keyPem());
        kubectl.run("create", "secret", "tls", name, "--cert=" + crt, "--key=" + key).ok();
    }

    @Test
    void anIngressTerminatesTlsWithItsSecretRedirectsPlainHttpAndFallsBackToTheFakeCertificate() throws Exception {
        Kubectl.assumePresent();
        try (TestServer server = new TestServer(KubeCluster.builder().timeMode(KubeCluster.TimeMode.AUTO))) {
            Kubectl kubectl = server.kubectl();
            KubernetesClient client = server.fabric8();
            Instant now = server.cluster().clock().now();
            CertificateIssuer ca = CertificateIssuer.authority("test-ca", now);
            createTlsSecret(kubectl, "foo-tls", ca.issue(now, "foo.bar.com"));
            createTlsSecret(kubectl, "old-tls", ca.issue(now.minus(Duration.ofDays(30)), now.minus(Duration.ofDays(1)), "old.bar.com"));
            createTlsSecret(kubectl, "wrong-tls", ca.issue(now, "somewhere.else.com"));
            kubectl.runWithInput(GatewayApiTest.echo("web", "default") + """
                    ---
                    apiVersion: networking.k8s.io/v1
                    kind: Ingress
                    metadata: {name: web}
                    spec:
                      tls:
                      - {hosts: [foo.bar.com], secretName: foo-tls}
                      - {hosts: [old.bar.com], secretName: old-tls}
                      - {hosts: [wrong.bar.com], secretName: wrong-tls}
                      - {hosts: [missing.bar.com], secretName: no-such-secret}
                      rules:
                      - {host: foo.bar.com, http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 8080}}}}]}}
                      - {host: old.bar.com, http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 8080}}}}]}}
                      - {host: wrong.bar.com, http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 8080}}}}]}}
                      - {host: missing.bar.com, http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 8080}}}}]}}
                      - {host: plain.bar.com, http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 8080}}}}]}}
                    """, "apply", "-f", "-").ok();
            client.apps().deployments().inNamespace("default").withName("web").waitUntilReady(30, TimeUnit.SECONDS);
            PodNetwork net = server.cluster().network();
            PodNetwork.Client outside = net.fromOutside();
            PodNetwork.Client trustingCa = outside.trusting(ca.certificatePem());
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                    .until(() -> trustingCa.get("https://foo.bar.com/shop?x=1").status() == 200);

            // the Secret's certificate, verified against the test's CA; the backend is told the request came over https
            PodNetwork.Response ok = trustingCa.get("https://foo.bar.com/shop?x=1");
            assertThat(ok.serverCertificates().get(0).getSubjectX500Principal().getName()).isEqualTo("CN=foo.bar.com");
            assertThat(ok.header("Strict-Transport-Security")).contains("max-age=31536000; includeSubDomains");
            JsonNode echoed = JSON.readTree(ok.body());
            assertThat(echoed.path("path").asText()).isEqualTo("/shop?x=1");
            assertThat(echoed.path("headers").path("X-Forwarded-Proto").path(0).asText()).isEqualTo("https");
            assertThat(echoed.path("headers").path("X-Forwarded-Port").path(0).asText()).isEqualTo("443");

            // a client that does not trust the CA refuses it, as curl does; -k accepts it
            assertThatThrownBy(() -> outside.get("https://foo.bar.com/")).isInstanceOf(NetworkException.class)
                    .hasMessageContaining("SSL certificate problem: unable to get local issuer certificate")
                    .extracting(e -> ((NetworkException) e).reason()).isEqualTo(NetworkException.Reason.UNTRUSTED_CERTIFICATE);
            assertThat(outside.insecure().get("https://foo.bar.com/").status()).isEqualTo(200);

            // plain HTTP to a host with TLS is redirected; to the HTTPS port it is nginx's 400; a host without TLS is served
            PodNetwork.Response redirect = outside.get("http://foo.bar.com/shop?x=1");
            assertThat(redirect.status()).isEqualTo(308);
            assertThat(redirect.header("Location")).contains("https://foo.bar.com/shop?x=1");
            PodNetwork.Response plainOn443 = outside.get("http://foo.bar.com:443/");
            assertThat(plainOn443.status()).isEqualTo(400);
            assertThat(plainOn443.body()).contains("The plain HTTP request was sent to HTTPS port");
            assertThat(outside.get("http://plain.bar.com/").status()).isEqualTo(200);

            // an expired certificate is served, and refused by the client at the cluster's time
            assertThatThrownBy(() -> trustingCa.get("https://old.bar.com/")).hasMessageContaining("certificate has expired");
            // a Secret whose certificate does not name the host, a missing Secret, and a host without a tls section:
            // the controller's self-signed fake certificate
            for (String host : new String[] {"wrong.bar.com", "missing.bar.com", "plain.bar.com"}) {
                assertThatThrownBy(() -> trustingCa.get("https://" + host + "/")).as(host)
                        .hasMessageContaining("SSL certificate problem: self-signed certificate");
                PodNetwork.Response fake = outside.insecure().get("https://" + host + "/");
                assertThat(fake.status()).isEqualTo(200);
                assertThat(fake.serverCertificates().get(0).getSubjectX500Principal().getName())
                        .isEqualTo("CN=Kubernetes Ingress Controller Fake Certificate");
            }
            // trusting another certificate is not trusting the CA
            assertThatThrownBy(() -> outside.trusting(ca.issue(now, "x").certificate()).get("https://foo.bar.com/"))
                    .hasMessageContaining("unable to get local issuer certificate");
            // a Secret replaced by a certificate for another name: the controller falls back to its fake certificate
            kubectl.run("delete", "secret", "foo-tls").ok();
            createTlsSecret(kubectl, "foo-tls", ca.issue(now, "somewhere.else.com"));
            assertThat(outside.insecure().get("https://foo.bar.com/").serverCertificates().get(0).getSubjectX500Principal().getName())
                    .isEqualTo("CN=Kubernetes Ingress Controller Fake Certificate");
            // an address sends no SNI, so it gets the fake certificate too
            assertThatThrownBy(() -> trustingCa.get("https://172.18.255.100/", java.util.Map.of("Host", "foo.bar.com")))
                    .hasMessageContaining("self-signed certificate");

            // the ssl-redirect annotation turns the redirect off
            client.network().v1().ingresses().inNamespace("default").withName("web")
                    .edit(i -> { i.getMetadata().getAnnotations().put("nginx.ingress.kubernetes.io/ssl-redirect", "false"); return i; });
            assertThat(outside.get("http://foo.bar.com/").status()).isEqualTo(200);
        }
    }

    @Test
    void aGatewayHttpsListenerTerminatesTlsWithItsCertificateRef() throws Exception {
        Kubectl.assumePresent();
        try (TestServer server = new TestServer(KubeCluster.builder().timeMode(KubeCluster.TimeMode.AUTO))) {
            Kubectl kubectl = server.kubectl();
            KubernetesClient client = server.fabric8();
            server.cluster().installGatewayApi();
            Instant now = server.cluster().clock().now();
            CertificateIssuer ca = CertificateIssuer.authority("gateway-ca", now);
            createTlsSecret(kubectl, "example-com", ca.issue(now, "*.example.com"));
            kubectl.runWithInput(GatewayApiTest.echo("web", "default") + """
                    ---
                    apiVersion: gateway.networking.k8s.io/v1
                    kind: GatewayClass
                    metadata: {name: kubetest}
                    spec: {controllerName: kubetest.dev/gateway-controller}
                    ---
                    apiVersion: gateway.networking.k8s.io/v1
                    kind: Gateway
                    metadata: {name: gw}
                    spec:
                      gatewayClassName: kubetest
                      listeners:
                      - {name: http, protocol: HTTP, port: 80}
                      - name: https
                        protocol: HTTPS
                        port: 443
                        hostname: "*.example.com"
                        tls: {mode: Terminate, certificateRefs: [{kind: Secret, name: example-com}]}
                    ---
                    apiVersion: gateway.networking.k8s.io/v1
                    kind: HTTPRoute
                    metadata: {name: web}
                    spec:
                      parentRefs: [{name: gw}]
                      hostnames: [shop.example.com]
                      rules: [{backendRefs: [{name: web, port: 8080}]}]
                    """, "apply", "-f", "-").ok();
            client.apps().deployments().inNamespace("default").withName("web").waitUntilReady(30, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(30)).until(() -> kubectl.run("get", "gateway", "gw", "-o",
                    "jsonpath={.status.listeners[1].attachedRoutes}/{.status.listeners[1].conditions[?(@.type==\"ResolvedRefs\")].status}").out()
                    .equals("1/True"));
            PodNetwork.Client outside = server.cluster().network().fromOutside();
            PodNetwork.Client trusting = outside.trusting(ca.certificate());
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                    .until(() -> trusting.get("https://shop.example.com/cart").status() == 200);

            PodNetwork.Response ok = trusting.get("https://shop.example.com/cart");
            assertThat(ok.serverCertificates().get(0).getSubjectX500Principal().getName()).isEqualTo("CN=*.example.com");
            assertThat(JSON.readTree(ok.body()).path("path").asText()).isEqualTo("/cart");
            assertThat(outside.get("http://shop.example.com/cart").status()).as("the HTTP listener serves the route too").isEqualTo(200);
            // plain HTTP to the HTTPS listener is reset; TLS to the HTTP listener fails its handshake
            assertThatThrownBy(() -> outside.get("http://shop.example.com:443/cart")).isInstanceOf(NetworkException.class)
                    .extracting(e -> ((NetworkException) e).reason()).isEqualTo(NetworkException.Reason.NOT_HTTP);
            assertThatThrownBy(() -> trusting.get("https://shop.example.com:80/cart")).isInstanceOf(NetworkException.class)
                    .extracting(e -> ((NetworkException) e).reason()).isEqualTo(NetworkException.Reason.TLS_HANDSHAKE);

            // without its Secret the listener's refs no longer resolve and it serves no TLS
            kubectl.run("delete", "secret", "example-com").ok();
            await().atMost(Duration.ofSeconds(30)).until(() -> kubectl.run("get", "gateway", "gw", "-o",
                    "jsonpath={.status.listeners[1].conditions[?(@.type==\"ResolvedRefs\")].reason}").out().equals("InvalidCertificateRef"));
            assertThatThrownBy(() -> trusting.get("https://shop.example.com/cart"))
                    .extracting(e -> ((NetworkException) e).reason()).isEqualTo(NetworkException.Reason.TLS_HANDSHAKE);
            assertThat(GatewayApi.CONTROLLER).isEqualTo("kubetest.dev/gateway-controller");
        }
    }
}
