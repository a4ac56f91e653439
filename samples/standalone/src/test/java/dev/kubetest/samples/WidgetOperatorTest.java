package dev.kubetest.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kubetest.apiserver.ApiServer;
import dev.kubetest.core.KubeCluster;
import dev.kubetest.samples.operator.Widget;
import dev.kubetest.samples.operator.WidgetReconciler;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.javaoperatorsdk.operator.Operator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A Java Operator SDK 5 operator reconciles against KubeTest unmodified: server-side applied dependents, status
 * through the CRD's status subresource, garbage collection of the dependent, and no reconcile loop.
 */
class WidgetOperatorTest {
    @Test
    void operatorReconcilesWidgetsWithServerSideApplyAndStatus() throws Exception {
        Path log = Path.of("target", "samples-test.log");
        long linesBeforeDeletion = 0;
        try (KubeCluster cluster = KubeCluster.start();
             ApiServer server = ApiServer.builder(cluster).start();
             KubernetesClient client = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(server.kubeconfig())).build()) {
            client.apiextensions().v1().customResourceDefinitions().resource(new CustomResourceDefinitionBuilder()
                    .withNewMetadata().withName("widgets.example.com").endMetadata()
                    .withNewSpec().withGroup("example.com").withScope("Namespaced")
                    .withNewNames().withKind("Widget").withPlural("widgets").withSingular("widget").endNames()
                    .addNewVersion().withName("v1").withServed(true).withStorage(true)
                    .withNewSubresources().withNewStatus().endStatus().endSubresources()
                    .withNewSchema().withNewOpenAPIV3Schema().withType("object").withXKubernetesPreserveUnknownFields(true)
                    .endOpenAPIV3Schema().endSchema().endVersion().endSpec().build()).create();
            await().atMost(Duration.ofSeconds(20)).until(() -> cluster.registry().findByKind("example.com/v1", "Widget").isPresent());

            Operator operator = new Operator(o -> o.withKubernetesClient(client).withCloseClientOnStop(false));
            operator.register(new WidgetReconciler());
            operator.start();
            try {
                Widget w = new Widget();
                w.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName("w1").withNamespace("default").build());
                Widget.Spec spec = new Widget.Spec();
                spec.setImage("nginx:1.27");
                spec.setSize(2);
                w.setSpec(spec);
                client.resources(Widget.class).inNamespace("default").resource(w).create();

                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                    Deployment d = client.apps().deployments().inNamespace("default").withName("w1-app").get();
                    assertThat(d).isNotNull();
                    assertThat(d.getSpec().getReplicas()).isEqualTo(2);
                    assertThat(d.getMetadata().getOwnerReferences()).singleElement()
                            .satisfies(r -> assertThat(r.getName()).isEqualTo("w1"));
                    assertThat(d.getMetadata().getManagedFields()).anySatisfy(m -> {
                        assertThat(m.getManager()).isEqualTo("widgetctl");
                        assertThat(m.getOperation()).isEqualTo("Apply");
                    });
                    Widget current = client.resources(Widget.class).inNamespace("default").withName("w1").get();
                    assertThat(current.getStatus()).isNotNull();
                    assertThat(current.getStatus().getObservedSize()).isEqualTo(2);
                });

                client.resources(Widget.class).inNamespace("default").withName("w1").edit(x -> {
                    x.getSpec().setSize(3);
                    return x;
                });
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                    assertThat(client.apps().deployments().inNamespace("default").withName("w1-app").get().getSpec().getReplicas()).isEqualTo(3);
                    assertThat(client.resources(Widget.class).inNamespace("default").withName("w1").get().getStatus().getObservedSize()).isEqualTo(3);
                });

                // the Deployment controller writes the rollout's status until its three pods are available
                await().atMost(Duration.ofSeconds(30)).until(() -> {
                    Deployment d = client.apps().deployments().inNamespace("default").withName("w1-app").get();
                    return d.getStatus() != null && Integer.valueOf(3).equals(d.getStatus().getAvailableReplicas())
                            && Integer.valueOf(3).equals(d.getStatus().getUpdatedReplicas())
                            && d.getMetadata().getGeneration().equals(d.getStatus().getObservedGeneration());
                });
                String settled = client.apps().deployments().inNamespace("default").withName("w1-app").get().getMetadata().getResourceVersion();
                String widgetSettled = client.resources(Widget.class).inNamespace("default").withName("w1").get().getMetadata().getResourceVersion();
                await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() ->
                        settled.equals(client.apps().deployments().inNamespace("default").withName("w1-app").get().getMetadata().getResourceVersion())
                                && widgetSettled.equals(client.resources(Widget.class).inNamespace("default").withName("w1").get().getMetadata().getResourceVersion()));

                // deleting a Widget races with a reconcile its dependent's deletion triggers (a 404 on the status
                // patch, as on any cluster): the log is checked up to here
                linesBeforeDeletion = Files.readAllLines(log).size();
                client.resources(Widget.class).inNamespace("default").withName("w1").delete();
                await().atMost(Duration.ofSeconds(30)).until(() ->
                        client.apps().deployments().inNamespace("default").withName("w1-app").get() == null);
            } finally {
                operator.stop();
            }
        }
        List<String> operatorLog = Files.readAllLines(log).stream().limit(linesBeforeDeletion)
                .filter(l -> l.contains("io.javaoperatorsdk")).toList();
        assertThat(operatorLog).as("the operator logged (slf4j-simple writes to %s)", log).isNotEmpty();
        assertThat(operatorLog).filteredOn(l -> l.contains(" WARN ") || l.contains(" ERROR ")).isEmpty();
    }
}
