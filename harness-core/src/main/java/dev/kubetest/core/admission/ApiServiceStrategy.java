package dev.kubetest.core.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubetest.core.meta.ApiException.Cause;
import dev.kubetest.core.api.ObjectNames;
import dev.kubetest.core.meta.ResourceType;
import dev.kubetest.core.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** APIServices: named version.group ("v1." for the core group). */
final class ApiServiceStrategy implements KindStrategy {
    @Override
    public ObjectNames.Rule nameRule() {
        return ObjectNames.Rule.API_SERVICE;
    }
}
