package dev.kubetest.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kubetest.apiserver.support.Kubectl;
import dev.kubetest.apiserver.support.TestServer;
import dev.kubetest.core.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** kubectl's generators POST protobuf bodies: every one of them creates what it says, with the fields it set. */
class KubectlCreateTest {
    static TestServer server;
    static Kubectl k;

    @BeforeAll
    static void start() {
        Kubectl.assumePresent();
        server = new TestServer();
        k = server.kubectl();
        k.run("create", "namespace", "gen").ok();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static JsonNode get(String... args) {
        String[] full = new String[args.length + 4];
        System.arraycopy(args, 0, full, 0, args.length);
        System.arraycopy(new String[] {"-n", "gen", "-o", "json"}, 0, full, args.length, 4);
        return Json.parse(k.run(full).ok().out());
    }

    @Test
    void namespaceAndDeployment() {
        assertThat(k.run("get", "ns", "gen", "-o", "jsonpath={.status.phase}").ok().out()).isEqualTo("Active");
        assertThat(k.run("create", "deployment", "web", "--image=nginx:1.27", "--replicas=3", "--port=80", "-n", "gen")
                .ok().out()).isEqualTo("deployment.apps/web created\n");
        JsonNode d = get("get", "deployment", "web");
        assertThat(d.path("spec").path("replicas").asInt()).isEqualTo(3);
        JsonNode c = d.path("spec").path("template").path("spec").path("containers").get(0);
        assertThat(c.path("image").asText()).isEqualTo("nginx:1.27");
        assertThat(c.path("ports").get(0).path("containerPort").asInt()).isEqualTo(80);
        assertThat(c.path("imagePullPolicy").asText()).as("defaulted by tag, not the empty Go zero value").isEqualTo("IfNotPresent");
        assertThat(d.path("metadata").has("creationTimestamp")).isTrue();
        assertThat(d.path("spec").path("selector").path("matchLabels").path("app").asText()).isEqualTo("web");
    }

    @Test
    void deploymentWithZeroReplicasKeepsTheZero() {
        k.run("create", "deployment", "idle", "--image=nginx", "--replicas=0", "-n", "gen").ok();
        assertThat(get("get", "deployment", "idle").path("spec").path("replicas").asInt(-1)).isZero();
    }

    @Test
    void configMapsAndSecretsKeepTheirData() {
        k.run("create", "configmap", "cfg", "--from-literal=color=blue", "--from-literal=size=10", "-n", "gen").ok();
        assertThat(get("get", "cm", "cfg").path("data").path("size").asText()).isEqualTo("10");
        k.run("create", "secret", "generic", "pw", "--from-literal=password=s3cr3t", "-n", "gen").ok();
        JsonNode secret = get("get", "secret", "pw");
        assertThat(secret.path("type").asText()).isEqualTo("Opaque");
        assertThat(new String(Base64.getDecoder().decode(secret.path("data").path("password").asText()), StandardCharsets.UTF_8))
                .isEqualTo("s3cr3t");
    }

    @Test
    void everyOtherGenerator() {
        assertThat(k.run("create", "job", "once", "--image=busybox", "-n", "gen", "--", "echo", "hi").ok().out())
                .contains("job.batch/once created");
        assertThat(get("get", "job", "once").path("spec").path("template").path("spec").path("containers").get(0)
                .path("command").toString()).isEqualTo("[\"echo\",\"hi\"]");
        k.run("create", "cronjob", "tick", "--image=busybox", "--schedule=*/5 * * * *", "-n", "gen").ok();
        assertThat(get("get", "cronjob", "tick").path("spec").path("schedule").asText()).isEqualTo("*/5 * * * *");
        k.run("create", "role", "reader", "--verb=get,list", "--resource=pods", "-n", "gen").ok();
        assertThat(get("get", "role", "reader").path("rules").get(0).path("verbs").toString()).isEqualTo("[\"get\",\"list\"]");
        k.run("create", "rolebinding", "reader-bob", "--role=reader", "--user=bob", "-n", "gen").ok();
        assertThat(get("get", "rolebinding", "reader-bob").path("subjects").get(0).path("name").asText()).isEqualTo("bob");
        assertThat(k.run("create", "clusterrole", "viewer", "--verb=get", "--resource=nodes").ok().out())
                .contains("clusterrole.rbac.authorization.k8s.io/viewer created");
        k.run("create", "clusterrolebinding", "viewer-bob", "--clusterrole=viewer", "--user=bob").ok();
        k.run("create", "serviceaccount", "robot", "-n", "gen").ok();
        k.run("create", "service", "clusterip", "api", "--tcp=80:8080", "-n", "gen").ok();
        JsonNode port = get("get", "svc", "api").path("spec").path("ports").get(0);
        assertThat(port.path("port").asInt()).isEqualTo(80);
        assertThat(port.path("targetPort").asInt()).isEqualTo(8080);
        assertThat(port.has("nodePort")).isFalse();
        k.run("create", "quota", "small", "--hard=pods=3,requests.cpu=1", "-n", "gen").ok();
        assertThat(get("get", "quota", "small").path("spec").path("hard").path("pods").asText()).isEqualTo("3");
        k.run("create", "priorityclass", "high", "--value=1000").ok();
        k.run("create", "poddisruptionbudget", "web-pdb", "--selector=app=web", "--min-available=1", "-n", "gen").ok();
        assertThat(get("get", "pdb", "web-pdb").path("spec").path("minAvailable").asInt()).isEqualTo(1);
        k.run("create", "ingress", "site", "--rule=example.com/=api:80", "-n", "gen").ok();
        assertThat(get("get", "ingress", "site").path("spec").path("rules").get(0).path("host").asText()).isEqualTo("example.com");
        k.run("create", "deployment", "scaled", "--image=nginx", "-n", "gen").ok();
        assertThat(k.run("autoscale", "deployment", "scaled", "--min=1", "--max=4", "-n", "gen").ok().out())
                .contains("horizontalpodautoscaler.autoscaling/scaled autoscaled");
    }

    @Test
    void tokensAndAccessReviews() {
        k.run("create", "serviceaccount", "bot", "-n", "gen").ok();
        String token = k.run("create", "token", "bot", "-n", "gen").ok().out().trim();
        String[] parts = token.split("\\.");
        assertThat(parts).hasSize(3);
        JsonNode claims = Json.parse(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
        assertThat(claims.path("sub").asText()).isEqualTo("system:serviceaccount:gen:bot");
        assertThat(claims.path("kubernetes.io").path("serviceaccount").path("name").asText()).isEqualTo("bot");
        Kubectl.Result missing = k.run("create", "token", "ghost", "-n", "gen");
        assertThat(missing.exitCode()).isNotZero();
        assertThat(missing.err()).contains("serviceaccounts \"ghost\" not found");
        assertThat(k.run("auth", "can-i", "get", "pods").ok().out().trim()).isEqualTo("yes");
        assertThat(k.run("auth", "can-i", "delete", "deployments", "-n", "gen").ok().out().trim()).isEqualTo("yes");
    }
}
