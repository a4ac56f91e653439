package dev.kubetest.core.admission;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kubetest.core.meta.ApiException.Cause;
import java.util.ArrayList;
import java.util.List;

/** ConfigMaps: keys, no key in both maps, 1 MiB of data, base64 binaryData, immutability. */
final class ConfigMapStrategy implements KindStrategy {
    @Override
    public List<Cause> validateCreate(JsonNode obj) {
        List<Cause> out = new ArrayList<>();
        Validation.configMap(obj, out);
        return out;
    }

    @Override
    public List<Cause> validateUpdate(JsonNode old, JsonNode obj) {
        List<Cause> out = new ArrayList<>(validateCreate(obj));
        immutableData(old, obj, out);
        return out;
    }

    @Override
    public String bytesField() {
        return "binaryData";
    }

    /** Data that may not change once {@code immutable} is set (ConfigMaps and Secrets alike). */
    static void immutableData(JsonNode old, JsonNode obj, List<Cause> out) {
        if (old.path("immutable").asBoolean(false)) {
            for (String f : List.of("data", "binaryData", "stringData")) {
                if (!old.path(f).equals(obj.path(f))) {
                    out.add(new Cause("FieldValueForbidden", "Forbidden: field is immutable when `immutable` is set", f));
                }
            }
            if (!obj.path("immutable").asBoolean(false)) {
                out.add(new Cause("FieldValueForbidden", "Forbidden: field is immutable when `immutable` is set", "immutable"));
            }
        }
    }
}
