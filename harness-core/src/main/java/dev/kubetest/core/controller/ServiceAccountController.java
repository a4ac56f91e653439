package dev.kubetest.core.controller;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubetest.core.meta.ApiException;
import dev.kubetest.core.api.KubeApi;
import dev.kubetest.core.meta.ResourceType;
import dev.kubetest.core.meta.WriteOptions;
import dev.kubetest.core.json.Json;

/** Keeps a {@code default} ServiceAccount in every active namespace, recreating it when it is deleted. */
public final class ServiceAccountController extends QueueController<String> {
    public static final String NAME = "serviceaccount";

    private final KubeApi api;
    private final ResourceEvents events;
    private final ResourceType namespaces;
    private final ResourceType serviceAccounts;

    public ServiceAccountController(KubeApi api, ResourceEvents events) {
        super(api.clock());
        this.api = api;
        this.events = events;
        this.namespaces = api.registry().find("", "v1", "namespaces").orElseThrow();
        this.serviceAccounts = api.registry().find("", "v1", "serviceaccounts").orElseThrow();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    protected void watch() {
        events.keepInEveryNamespace(serviceAccounts, "default", true, queue::add);
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
        if (api.find(serviceAccounts, namespace, "default").isPresent()) {
            return Result.DONE;
        }
        ObjectNode sa = Json.object();
        sa.putObject("metadata").put("name", "default").put("namespace", namespace);
        try {
            api.create(serviceAccounts, namespace, sa, WriteOptions.manager("kube-controller-manager"));
        } catch (ApiException e) {
            if (e.code() != 409 && e.code() != 403) {
                throw e;
            }
        }
        return Result.DONE;
    }
}
