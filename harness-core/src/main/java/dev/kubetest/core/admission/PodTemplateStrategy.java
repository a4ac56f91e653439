package dev.kubetest.core.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubetest.core.meta.ApiException;
import dev.kubetest.core.meta.ApiException.Cause;
import dev.kubetest.core.meta.ResourceType;
import dev.kubetest.core.json.Json;
import java.util.ArrayList;
import java.util.List;

/** PodTemplates: the template's pod spec defaults. */
final class PodTemplateStrategy implements KindStrategy {
    @Override
    public void applyDefaults(ObjectNode obj) {
        Defaulting.template(obj.path("template"));
    }
}
