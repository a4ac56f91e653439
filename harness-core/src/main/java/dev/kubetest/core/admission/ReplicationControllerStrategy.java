package dev.kubetest.core.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubetest.core.meta.ApiException.Cause;
import dev.kubetest.core.json.Json;
import java.util.ArrayList;
import java.util.List;

/** ReplicationControllers: the selector defaults to the template's labels; pods restart Always. */
final class ReplicationControllerStrategy implements KindStrategy {
    @Override
    public boolean selectorIsLabelMap() {
        return true;
    }

    @Override
    public void applyDefaults(ObjectNode obj) {
        ObjectNode s = Json.with(obj, "spec");
        Defaulting.replicas(s);
        JsonNode labels = s.path("template").path("metadata").path("labels");
        if (!s.has("selector") && labels.isObject()) {
            s.set("selector", labels.deepCopy());
        }
        Defaulting.template(s.path("template"));
    }

    @Override
    public List<Cause> validateCreate(JsonNode obj) {
        List<Cause> out = new ArrayList<>();
        Validation.template(obj.path("spec"), List.of("Always"), out);
        return out;
    }
}
