package dev.kubetest.core.controller;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubetest.core.meta.ApiException;
import dev.kubetest.core.api.KubeApi;
import dev.kubetest.core.meta.ResourceType;
import dev.kubetest.core.meta.WriteOptions;
import dev.kubetest.core.json.Json;
import java.util.concurrent.CompletableFuture;

/**
 * Keeps the {@code kube-root-ca.crt} ConfigMap, holding the cluster CA, in every active namespace: created with
 * the namespace, recreated when deleted, restored when changed.
 */
public final class RootCaPublisher extends QueueController<String> {
    public static final String NAME = "root-ca-cert-publisher";
    public static final String CONFIG_MAP = "kube-root-ca.crt";
    static final String DESCRIPTION = "Contains a CA bundle that can be used to verify the kube-apiserver when using "
            + "internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is "
            + "guaranteed across distributions of Kubernetes clusters.";

    private final KubeApi api;
    private final ResourceEvents events;
    private final CompletableFuture<String> caPem;
    private final ResourceType namespaces;
    private final ResourceType configMaps;

    public RootCaPublisher(KubeApi api, ResourceEvents events, CompletableFuture<String> caPem) {
        super(api.clock());
        this.api = api;
        this.events = events;
        this.caPem = caPem;
        this.namespaces = api.registry().find("", "v1", "namespaces").orElseThrow();
        this.configMaps = api.registry().find("", "v1", "configmaps").orElseThrow();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    protected void watch() {
        events.keepInEveryNamespace(configMaps, CONFIG_MAP, false, queue::add);
    }

    @Override
    protected Result reconcile(String namespace) {
        ObjectNode ns;
        try {
            ns = api.get(namespaces, null, namespace);
        } catch (ApiException e) {
            return Result.DONE;
        }
        if (ns.path("metadata").hasNonNull("deletionTimestamp")) {
            return Result.DONE;
        }
        String pem = caPem.join();
        ObjectNode current;
        try {
            current = api.get(configMaps, namespace, CONFIG_MAP);
        } catch (ApiException e) {
            if (e.code() != 404) {
                throw e;
            }
            ObjectNode cm = Json.object();
            ObjectNode meta = cm.putObject("metadata");
            meta.put("name", CONFIG_MAP);
            meta.putObject("annotations").put("kubernetes.io/description", DESCRIPTION);
            cm.putObject("data").put("ca.crt", pem);
            try {
                api.create(configMaps, namespace, cm, WriteOptions.manager("kube-controller-manager"));
            } catch (ApiException ce) {
                if (ce.code() != 409 && ce.code() != 403) {
                    throw ce;
                }
            }
            return Result.DONE;
        }
        if (!pem.equals(current.path("data").path("ca.crt").asText()) || current.path("data").size() != 1) {
            api.mutate(configMaps, namespace, CONFIG_MAP, null, WriteOptions.manager("kube-controller-manager"), cm -> {
                cm.putObject("data").put("ca.crt", pem);
                return cm;
            }, KubeApi.Target.MAIN);
        }
        return Result.DONE;
    }
}
