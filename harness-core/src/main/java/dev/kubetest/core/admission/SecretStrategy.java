package dev.kubetest.core.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubetest.core.meta.ApiException.Cause;
import dev.kubetest.core.json.Json;
import java.util.ArrayList;
import java.util.List;

/** Secrets: type Opaque by default, stringData merged into data, keys, 1 MiB of data, immutability. */
final class SecretStrategy implements KindStrategy {
    @Override
    public void prepareForCreate(ObjectNode obj) {
        if (obj.path("type").asText("").isEmpty()) {
            obj.put("type", "Opaque");
        }
    }

    @Override
    public void applyDefaults(ObjectNode obj) {
        // stringData is write-only: merged into data (base64) and never stored
        JsonNode stringData = obj.get("stringData");
        if (stringData != null && stringData.isObject()) {
            ObjectNode data = Json.with(obj, "data");
            stringData.fields().forEachRemaining(e -> data.put(e.getKey(), java.util.Base64.getEncoder()
                    .encodeToString(e.getValue().asText().getBytes(java.nio.charset.StandardCharsets.UTF_8))));
        }
        obj.remove("stringData");
    }

    @Override
    public List<Cause> validateCreate(JsonNode obj) {
        List<Cause> out = new ArrayList<>();
        Validation.secret(obj, out);
        return out;
    }

    @Override
    public List<Cause> validateUpdate(JsonNode old, JsonNode obj) {
        List<Cause> out = new ArrayList<>(validateCreate(obj));
        ConfigMapStrategy.immutableData(old, obj, out);
        return out;
    }

    @Override
    public String bytesField() {
        return "data";
    }
}
