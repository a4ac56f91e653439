package dev.kubetest.core.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubetest.core.meta.ApiException;
import dev.kubetest.core.meta.ResourceType;
import dev.kubetest.core.meta.WriteOptions;
import dev.kubetest.core.schema.StructuralSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Custom resources against their CRD version's schema: unknown fields pruned (reported per fieldValidation),
 * defaults applied, then validated (422 with the upstream field errors).
 */
public final class CustomResourceAdmission {
    private final Function<String, JsonNode> crdByName;

    /** {@code crdByName} reads a CustomResourceDefinition by name ({@code plural.group}), or null. */
    public CustomResourceAdmission(Function<String, JsonNode> crdByName) {
        this.crdByName = crdByName;
    }

    private JsonNode schemaOf(ResourceType type) {
        JsonNode crd = crdByName.apply(type.plural() + "." + type.group());
        if (crd == null) {
            return null;
        }
        for (JsonNode v : crd.path("spec").path("versions")) {
            if (v.path("name").asText().equals(type.version())) {
                JsonNode s = v.path("schema").path("openAPIV3Schema");
                return s.isMissingNode() ? null : s;
            }
        }
        return null;
    }

    /** Prunes, defaults and validates {@code obj}; {@code status} says whether this is a status write. */
    public void admit(ResourceType type, ObjectNode obj, WriteOptions options, boolean status) {
        if (type.builtIn()) {
            return;
        }
        JsonNode schema = schemaOf(type);
        if (schema == null) {
            return;
        }
        List<String> pruned = StructuralSchema.prune(obj, schema);
        if (!pruned.isEmpty()) {
            String mode = options.fieldValidation() == null ? "Warn" : options.fieldValidation();
            if (mode.equals("Strict")) {
                List<String> parts = new ArrayList<>();
                pruned.forEach(p -> parts.add("unknown field \"" + p + "\""));
                throw ApiException.badRequest(type.kind() + " in version \"" + type.version() + "\" cannot be handled as a "
                        + type.kind() + ": strict decoding error: " + String.join(", ", parts));
            } else if (mode.equals("Warn")) {
                pruned.forEach(p -> options.warnings().add("unknown field \"" + p + "\""));
            }
        }
        StructuralSchema.applyDefaults(obj, schema);
        List<ApiException.Cause> causes = StructuralSchema.validate(obj, schema);
        if (!type.hasStatus() || status) {
            // with a status subresource, the main resource's writes do not touch (or check) status
        } else {
            causes.removeIf(c -> c.field() != null && (c.field().equals("status") || c.field().startsWith("status.")));
        }
        if (!causes.isEmpty()) {
            throw ApiException.invalid(type, obj.path("metadata").path("name").asText(), causes);
        }
    }
}
