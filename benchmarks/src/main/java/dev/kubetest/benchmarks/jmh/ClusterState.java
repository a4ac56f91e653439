package dev.kubetest.benchmarks.jmh;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubetest.core.KubeCluster;
import dev.kubetest.core.api.KubeApi;
import dev.kubetest.core.json.Json;
import dev.kubetest.core.meta.ResourceType;
import dev.kubetest.core.meta.WriteOptions;

/**
 * A cluster without nodes (nothing reconciles pods, so the figures are the API's own) holding {@code pods}
 * upstream-shaped pods in namespace "bench", labelled {@code app=app-<i % 100>} so that a label selects 1 in 100.
 */
final class ClusterState implements AutoCloseable {
    static final WriteOptions BENCH = WriteOptions.manager("bench");

    final KubeCluster cluster;
    final KubeApi api;
    final ResourceType pods;
    final ResourceType configMaps;

    ClusterState(int podCount) {
        cluster = KubeCluster.builder().nodes(0).build();
        cluster.awaitAddons();
        api = cluster.api();
        pods = cluster.registry().find("", "v1", "pods").orElseThrow();
        configMaps = cluster.registry().find("", "v1", "configmaps").orElseThrow();
        ResourceType ns = cluster.registry().find("", "v1", "namespaces").orElseThrow();
        ObjectNode n = Json.object();
        n.putObject("metadata").put("name", "bench");
        api.create(ns, null, n, BENCH);
        for (int i = 0; i < podCount; i++) {
            api.create(pods, "bench", pod("pod-" + i, "app-" + (i % 100)), BENCH);
        }
    }

    static ObjectNode pod(String name, String app) {
        ObjectNode pod = Json.object();
        pod.put("apiVersion", "v1").put("kind", "Pod");
        ObjectNode meta = pod.putObject("metadata");
        meta.put("name", name);
        meta.putObject("labels").put("app", app).put("tier", "web");
        ObjectNode c = pod.putObject("spec").putArray("containers").addObject();
        c.put("name", "web").put("image", "nginx:1.27");
        c.putArray("ports").addObject().put("containerPort", 80).put("name", "http");
        c.putObject("resources").putObject("requests").put("cpu", "100m").put("memory", "64Mi");
        c.putArray("env").addObject().put("name", "MODE").put("value", "bench");
        return pod;
    }

    static ObjectNode configMap(String name, String value) {
        ObjectNode cm = Json.object();
        cm.put("apiVersion", "v1").put("kind", "ConfigMap");
        cm.putObject("metadata").put("name", name);
        cm.putObject("data").put("key", value);
        return cm;
    }

    @Override
    public void close() {
        cluster.close();
    }
}
