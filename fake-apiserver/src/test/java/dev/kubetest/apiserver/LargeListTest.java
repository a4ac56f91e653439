package dev.kubetest.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubetest.apiserver.support.Kubectl;
import dev.kubetest.apiserver.support.TestServer;
import dev.kubetest.core.KubeCluster;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A list larger than a megabyte goes out as the items' kept bytes one after another (a composite buffer): every
 * client still reads every item whole, before and after some of them change.
 */
class LargeListTest {

    @Test
    void aListOfSeveralMegabytesReachesEveryClientWhole() throws Exception {
        Kubectl.assumePresent();
        try (TestServer server = new TestServer(KubeCluster.builder().withoutController("coredns").withoutController("kube-proxy"))) {
            KubernetesClient client = server.fabric8();
            String filler = "x".repeat(4000);
            for (int i = 0; i < 400; i++) {
                client.configMaps().inNamespace("default").resource(new ConfigMapBuilder().withNewMetadata().withName("cm-" + i)
                        .addToLabels("n", String.valueOf(i % 2)).endMetadata().addToData("i", String.valueOf(i)).addToData("filler", filler)
                        .build()).create();
            }
            for (int round = 0; round < 2; round++) {
                List<ConfigMap> items = client.configMaps().inNamespace("default").withLabel("n").list().getItems();
                assertThat(items).hasSize(400);
                assertThat(items).allSatisfy(c -> assertThat(c.getData().get("filler")).isEqualTo(filler));
                assertThat(items.stream().map(c -> c.getData().get("i")).distinct()).hasSize(400);
                // a few change between the rounds: the list carries their new versions
                for (int i = 0; i < 400; i += 100) {
                    client.configMaps().inNamespace("default").withName("cm-" + i).edit(c -> {
                        c.getData().put("i", c.getData().get("i") + "-edited");
                        return c;
                    });
                }
            }
            assertThat(client.configMaps().inNamespace("default").withName("cm-100").get().getData().get("i")).isEqualTo("100-edited-edited");
            var javaList = new CoreV1Api(server.clientJava()).listNamespacedConfigMap("default").labelSelector("n").execute();
            assertThat(javaList.getItems()).hasSize(400);
            assertThat(javaList.getItems()).filteredOn(c -> c.getData().get("i").endsWith("-edited-edited")).hasSize(4);
            assertThat(server.kubectl().run("get", "configmaps", "-l", "n", "-o", "name").ok().out().lines()).hasSize(400);
        }
    }
}
