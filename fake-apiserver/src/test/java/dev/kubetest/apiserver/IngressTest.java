package dev.kubetest.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kubetest.apiserver.support.Kubectl;
import dev.kubetest.apiserver.support.TestServer;
import dev.kubetest.core.KubeCluster;
import dev.kubetest.core.network.PodNetwork;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The kubetest ingress controller: the default IngressClass, status, host and path rules, through kubectl and the Java API. */
class IngressTest {

    static String app(String name, String text) {
        return """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: NAME}
                spec:
                  replicas: 2
                  selector: {matchLabels: {app: NAME}}
                  template:
                    metadata: {labels: {app: NAME}}
                    spec:
                      containers:
                      - name: web
                        image: busybox:1.36
                        command: [sh, -c, "mkdir -p /www/testpath/deeper; echo TEXT > /www/index.html; echo TEXT testpath > /www/testpath/index.html; echo TEXT deeper > /www/testpath/deeper/index.html; httpd -f -p 8080 -h /www"]
                        ports: [{name: http, containerPort: 8080}]
                        readinessProbe: {tcpSocket: {port: 8080}, periodSeconds: 1}
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: NAME}
                spec:
                  selector: {app: NAME}
                  ports: [{name: web, port: 80, targetPort: http}]
                """.replace("NAME", name).replace("TEXT", text);
    }

    private static final String INGRESS = """
            apiVersion: networking.k8s.io/v1
            kind: Ingress
            metadata:
              name: test-ingress
              # plain HTTP stays plain here (TlsTerminationTest covers the redirect to HTTPS)
              annotations: {nginx.ingress.kubernetes.io/ssl-redirect: "false"}
            spec:
              tls: [{hosts: [foo.bar.com], secretName: foo-tls}]
              rules:
              - host: foo.bar.com
                http:
                  paths:
                  - {path: /testpath, pathType: Prefix, backend: {service: {name: test, port: {number: 80}}}}
                  - {path: /testpath/deeper/, pathType: Exact, backend: {service: {name: other, port: {name: web}}}}
              - host: "*.example.com"
                http:
                  paths:
                  - {path: /, pathType: ImplementationSpecific, backend: {service: {name: other, port: {number: 80}}}}
            """;

    @Test
    void anIngressRoutesAHostAndPathToItsService() throws Exception {
        Kubectl.assumePresent();
        try (TestServer server = new TestServer(KubeCluster.builder().timeMode(KubeCluster.TimeMode.AUTO))) {
            Kubectl kubectl = server.kubectl();
            KubernetesClient client = server.fabric8();
            assertThat(kubectl.run("get", "ingressclass").ok().out()).containsPattern("NAME\\s+CONTROLLER\\s+PARAMETERS\\s+AGE\\s+kubetest\\s+kubetest.dev/ingress-controller\\s+<none>\\s");
            assertThat(client.network().v1().ingressClasses().withName("kubetest").get().getMetadata().getAnnotations())
                    .containsEntry("ingressclass.kubernetes.io/is-default-class", "true");
            kubectl.runWithInput(app("test", "test") + "---\n" + app("other", "other") + "---\n" + INGRESS, "apply", "-f", "-").ok();
            client.apps().deployments().inNamespace("default").withName("test").waitUntilReady(30, TimeUnit.SECONDS);
            client.apps().deployments().inNamespace("default").withName("other").waitUntilReady(30, TimeUnit.SECONDS);

            // the DefaultIngressClass admission gave it the class; the controller its address
            var ingress = client.network().v1().ingresses().inNamespace("default").withName("test-ingress").get();
            assertThat(ingress.getSpec().getIngressClassName()).isEqualTo("kubetest");
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                var lb = client.network().v1().ingresses().inNamespace("default").withName("test-ingress").get().getStatus().getLoadBalancer();
                return lb != null && lb.getIngress() != null && !lb.getIngress().isEmpty();
            });
            assertThat(kubectl.run("get", "ingress").ok().out())
                    .containsPattern("test-ingress\\s+kubetest\\s+foo\\.bar\\.com,\\*\\.example\\.com\\s+172\\.18\\.255\\.100\\s+80, 443\\s");

            PodNetwork net = server.cluster().network();
            // from outside: the Ingress's host names resolve to the controller, rules pick the Service
            assertThat(net.fromOutside().get("http://foo.bar.com/testpath/").body()).isEqualTo("test testpath\n");
            assertThat(net.fromOutside().get("http://foo.bar.com/testpath").body()).as("reaches busybox httpd, which has no such file")
                    .contains("The requested URL was not found");
            assertThat(net.fromOutside().get("http://foo.bar.com/testpath/deeper/").body()).as("the Exact rule").isEqualTo("other deeper\n");
            assertThat(net.fromOutside().get("http://foo.bar.com/testpath/deeper/index.html").body()).as("Prefix, not the Exact rule")
                    .isEqualTo("test deeper\n");
            var notFound = net.fromOutside().get("http://foo.bar.com/testpathology");
            assertThat(notFound.status()).isEqualTo(404);
            assertThat(notFound.body()).contains("<center><h1>404 Not Found</h1></center>");
            assertThat(net.fromOutside().get("http://172.18.255.100/", Map.of("Host", "shop.example.com")).body()).isEqualTo("other\n");
            assertThat(net.fromOutside().get("http://172.18.255.100/", Map.of("Host", "a.b.example.com")).status())
                    .as("a wildcard matches one label only").isEqualTo(404);
            assertThat(net.fromOutside().get("http://foo.bar.com:443/testpath/").status()).as("plain HTTP to the HTTPS port").isEqualTo(400);
            assertThat(net.fromOutside().insecure().get("https://foo.bar.com/testpath/").body()).isEqualTo("test testpath\n");
            // from a pod, with busybox wget and a Host header
            kubectl.runWithInput("""
                    apiVersion: v1
                    kind: Pod
                    metadata: {name: client}
                    spec: {containers: [{name: c, image: busybox:1.36, command: [sleep, "3600"]}]}
                    """, "apply", "-f", "-").ok();
            client.pods().inNamespace("default").withName("client").waitUntilReady(30, TimeUnit.SECONDS);
            assertThat(kubectl.run("exec", "client", "--", "wget", "-qO-", "--header", "Host: foo.bar.com",
                    "http://172.18.255.100/testpath/").ok().out()).isEqualTo("test testpath\n");

            // kubectl describe shows the rules with their backends' endpoints, and the controller's events
            String describe = kubectl.run("describe", "ingress", "test-ingress").ok().out();
            assertThat(describe).contains("Ingress Class:    kubetest").contains("172.18.255.100")
                    .containsPattern("foo\\.bar\\.com\\s+/testpath\\s+test:80 \\(10\\.244\\.\\d+\\.\\d+:8080,10\\.244\\.\\d+\\.\\d+:8080\\)")
                    .containsPattern("Normal\\s+Sync\\s+.*kubetest-ingress-controller\\s+Scheduled for sync");

            // a backend without ready endpoints answers 503
            client.apps().deployments().inNamespace("default").withName("test").scale(0);
            await().atMost(Duration.ofSeconds(30)).until(() -> net.fromOutside().get("http://foo.bar.com/testpath/").status() == 503);
            assertThat(net.fromOutside().get("http://foo.bar.com/testpath/").body()).contains("503 Service Temporarily Unavailable");
        }
    }

    @Test
    void defaultBackendsOtherClassesResourceBackendsAndValidation() throws Exception {
        Kubectl.assumePresent();
        try (TestServer server = new TestServer(KubeCluster.builder().timeMode(KubeCluster.TimeMode.AUTO))) {
            Kubectl kubectl = server.kubectl();
            KubernetesClient client = server.fabric8();
            kubectl.runWithInput(app("other", "other") + """
                    ---
                    apiVersion: networking.k8s.io/v1
                    kind: Ingress
                    metadata: {name: catch-all}
                    spec:
                      defaultBackend: {service: {name: other, port: {number: 80}}}
                    ---
                    apiVersion: networking.k8s.io/v1
                    kind: Ingress
                    metadata: {name: elsewhere}
                    spec:
                      ingressClassName: nginx
                      rules: [{host: elsewhere.com, http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: other, port: {number: 80}}}}]}}]
                    ---
                    apiVersion: networking.k8s.io/v1
                    kind: Ingress
                    metadata: {name: buckets}
                    spec:
                      rules: [{host: static.com, http: {paths: [{path: /, pathType: Prefix, backend: {resource: {apiGroup: k8s.example.com, kind: StorageBucket, name: assets}}}]}}]
                    """, "apply", "-f", "-").ok();
            client.apps().deployments().inNamespace("default").withName("other").waitUntilReady(30, TimeUnit.SECONDS);
            PodNetwork net = server.cluster().network();
            assertThat(net.fromOutside().get("http://172.18.255.100/", Map.of("Host", "unknown.org")).body()).isEqualTo("other\n");
            assertThat(net.fromOutside().get("http://static.com/").status()).isEqualTo(503);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(kubectl.run("get", "events").ok().out())
                    .containsPattern("Warning\\s+UnsupportedBackend\\s+ingress/buckets\\s+resource backend StorageBucket/assets is not served"));
            // an Ingress of another class is left alone: no address, and its host does not resolve
            assertThat(kubectl.run("get", "ingress", "elsewhere").ok().out()).containsPattern("elsewhere\\s+nginx\\s+elsewhere\\.com\\s+80\\s");
            var elsewhere = client.network().v1().ingresses().inNamespace("default").withName("elsewhere").get().getStatus();
            assertThat(elsewhere == null || elsewhere.getLoadBalancer() == null || elsewhere.getLoadBalancer().getIngress() == null
                    || elsewhere.getLoadBalancer().getIngress().isEmpty()).isTrue();
            assertThat(net.fromOutside().canConnect("elsewhere.com", 80)).isFalse();

            Kubectl.Result bad = kubectl.runWithInput("""
                    apiVersion: networking.k8s.io/v1
                    kind: Ingress
                    metadata: {name: bad}
                    spec:
                      rules: [{host: bad.com, http: {paths: [{path: relative, pathType: Prefix, backend: {service: {name: other, port: {number: 80}}}},
                                                              {path: /x, backend: {service: {name: other, port: {number: 80}}}}]}}]
                    """, "apply", "-f", "-");
            assertThat(bad.exitCode()).isNotZero();
            assertThat(bad.err()).contains("The Ingress \"bad\" is invalid")
                    .contains("spec.rules[0].http.paths[0].path: Invalid value: \"relative\": must be an absolute path")
                    .contains("spec.rules[0].http.paths[1].pathType: Required value: pathType must be specified");

            // a second default class makes class-less Ingresses forbidden, as upstream's admission does
            kubectl.runWithInput("""
                    apiVersion: networking.k8s.io/v1
                    kind: IngressClass
                    metadata: {name: second, annotations: {ingressclass.kubernetes.io/is-default-class: "true"}}
                    spec: {controller: example.com/second}
                    """, "apply", "-f", "-").ok();
            Kubectl.Result forbidden = kubectl.runWithInput("""
                    apiVersion: networking.k8s.io/v1
                    kind: Ingress
                    metadata: {name: classless}
                    spec: {defaultBackend: {service: {name: other, port: {number: 80}}}}
                    """, "apply", "-f", "-");
            assertThat(forbidden.err()).contains("2 default IngressClasses were found, only 1 allowed");
        }
    }
}
