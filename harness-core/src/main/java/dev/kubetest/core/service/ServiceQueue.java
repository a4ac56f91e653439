package dev.kubetest.core.service;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kubetest.core.api.KubeApi;
import dev.kubetest.core.controller.ObjectKeys;
import dev.kubetest.core.controller.ResourceEvents;
import dev.kubetest.core.meta.ListOptions;
import dev.kubetest.core.meta.ResourceType;
import dev.kubetest.core.selector.LabelSelector;
import java.util.List;
import java.util.function.Consumer;

/**
 * What the endpoint controllers watch: a Service's own changes, and pod changes, which concern every Service of the
 * pod's namespace that selects it now or did before (its labels may have changed).
 */
final class ServiceQueue {
    private ServiceQueue() {}

    static void watch(KubeApi api, ResourceEvents events, ResourceType services, ResourceType pods, Consumer<String> enqueue) {
        events.addListener(services, (type, eventType, svc) -> enqueue.accept(ObjectKeys.of(svc)));
        events.addListener(pods, (type, eventType, pod) -> {
            String ns = pod.path("metadata").path("namespace").asText();
            for (JsonNode svc : api.lists().list(services, ns, ListOptions.all()).items()) {
                if (ServiceEndpoints.hasSelector(svc)) {
                    enqueue.accept(ObjectKeys.of(svc));
                }
            }
        });
    }

    /** The pods of the Service's namespace its selector matches. */
    static List<? extends JsonNode> selected(KubeApi api, ResourceType pods, JsonNode service) {
        LabelSelector selector = LabelSelector.fromMap(service.path("spec").path("selector"));
        String ns = service.path("metadata").path("namespace").asText();
        return api.lists().list(pods, ns, ListOptions.all()).items().stream()
                .filter(p -> selector.matches(LabelSelector.labelsOf(p))).toList();
    }
}
