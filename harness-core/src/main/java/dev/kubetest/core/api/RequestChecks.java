package dev.kubetest.core.api;

import dev.kubetest.core.meta.ObjectNames;
import dev.kubetest.core.meta.ApiException;
import dev.kubetest.core.meta.ResourceType;
import dev.kubetest.core.meta.WriteOptions;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubetest.core.schema.ModelSchema;
import java.util.ArrayList;
import java.util.List;

/** The checks a write makes on its input before it touches the store, with upstream's 400, 405 and 422 answers. */
final class RequestChecks {
    private RequestChecks() {}

    /**
     * Drops the fields a built-in kind does not have, and reports them as {@code fieldValidation} asks: 400 for
     * Strict, a warning for Warn (the default), nothing for Ignore.
     */
    static void checkFields(ResourceType type, ObjectNode obj, WriteOptions options) {
        if (!type.builtIn()) {
            return;
        }
        java.util.Optional<dev.kubetest.core.schema.ModelType> model = ModelSchema.get().typeOf(type);
        if (model.isEmpty()) {
            return;
        }
        String cannotHandle = type.kind() + " in version \"" + type.version() + "\" cannot be handled as a " + type.kind() + ": ";
        dev.kubetest.core.schema.FieldTypes.firstMismatch(obj, model.get()).ifPresent(m -> {
            throw ApiException.badRequest(cannotHandle + m);
        });
        String bytesField = dev.kubetest.core.admission.KindStrategies.of(type).bytesField();
        if (bytesField != null) {
            for (com.fasterxml.jackson.databind.JsonNode v : obj.path(bytesField)) {
                Base64Check.illegalAt(v.asText()).ifPresent(at -> {
                    throw ApiException.badRequest(cannotHandle + "illegal base64 data at input byte " + at);
                });
            }
        }
        List<String> unknown = dev.kubetest.core.schema.UnknownFields.prune(obj, model.get());
        if (unknown.isEmpty()) {
            return;
        }
        String mode = options.fieldValidation() == null ? "Warn" : options.fieldValidation();
        switch (mode) {
            case "Strict" -> {
                List<String> parts = new ArrayList<>();
                unknown.forEach(u -> parts.add("unknown field \"" + u + "\""));
                throw ApiException.badRequest(type.kind() + " in version \"" + type.version() + "\" cannot be handled as a "
                        + type.kind() + ": strict decoding error: " + String.join(", ", parts));
            }
            case "Ignore" -> { }
            default -> unknown.forEach(u -> options.warnings().add("unknown field \"" + u + "\""));
        }
    }

    static void checkFieldValidation(WriteOptions options) {
        String v = options.fieldValidation();
        if (v != null && !v.isEmpty() && !v.equals("Strict") && !v.equals("Warn") && !v.equals("Ignore")) {
            throw ApiException.badRequest("fieldValidation must be one of Ignore, Warn or Strict, got " + v);
        }
    }

    static void checkTypeMeta(ResourceType type, ObjectNode obj) {
        String apiVersion = obj.path("apiVersion").asText("");
        String kind = obj.path("kind").asText("");
        if (!apiVersion.isEmpty() && !apiVersion.equals(type.apiVersion())) {
            throw ApiException.badRequest("the API version in the data (" + apiVersion
                    + ") does not match the expected API version (" + type.apiVersion() + ")");
        }
        if (!kind.isEmpty() && !kind.equals(type.kind())) {
            throw ApiException.badRequest("the kind in the data (" + kind + ") does not match the expected kind ("
                    + type.kind() + ")");
        }
        obj.put("apiVersion", type.apiVersion());
        obj.put("kind", type.kind());
    }

    static String resolveNamespace(String urlNamespace, ObjectNode meta) {
        String bodyNs = meta.path("namespace").asText("");
        if (urlNamespace == null || urlNamespace.isEmpty()) {
            if (bodyNs.isEmpty()) {
                throw ApiException.badRequest("the namespace of the provided object must be set");
            }
            return bodyNs;
        }
        if (!bodyNs.isEmpty() && !bodyNs.equals(urlNamespace)) {
            throw ApiException.badRequest("the namespace of the provided object does not match the namespace sent on the request");
        }
        meta.put("namespace", urlNamespace);
        return urlNamespace;
    }

    static void validateName(ResourceType type, String name, ObjectNode meta) {
        if (name.isEmpty()) {
            throw ApiException.invalid(type, "", List.of(new ApiException.Cause("FieldValueRequired",
                    "Required value: name or generateName is required", "metadata.name")));
        }
        ObjectNames.check(name, dev.kubetest.core.admission.KindStrategies.of(type).nameRule()).ifPresent(msg -> {
            throw ApiException.invalid(type, name, List.of(new ApiException.Cause("FieldValueInvalid",
                    "Invalid value: \"" + name + "\": " + msg, "metadata.name")));
        });
    }

    static void requireVerb(ResourceType type, String verb) {
        if (!type.supports(verb)) {
            throw ApiException.methodNotAllowed("the server does not allow this method on the requested resource");
        }
    }
}
