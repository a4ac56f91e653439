package dev.kubetest.apiserver.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.kubetest.core.meta.ApiException;
import dev.kubetest.core.json.Json;
import java.io.IOException;
import java.util.Locale;

/** Content negotiation: what a request body is, and what form of response the client asked for. */
public final class MediaTypes {
    private static final YAMLFactory YAML = new YAMLFactory();

    /** The response form chosen from an Accept header. */
    public enum Form { OBJECT, TABLE_V1, TABLE_V1BETA1, PARTIAL_METADATA, AGGREGATED_V2, AGGREGATED_V2BETA1 }

    private MediaTypes() {}

    /** The first Accept entry this server can produce, in the client's order. */
    public static Form responseForm(String accept) {
        if (accept == null) {
            return Form.OBJECT;
        }
        for (String entry : accept.split(",")) {
            String e = entry.replace(" ", "").toLowerCase(Locale.ROOT);
            if (e.contains("as=table") && e.contains("g=meta.k8s.io")) {
                return e.contains("v=v1beta1") ? Form.TABLE_V1BETA1 : Form.TABLE_V1;
            }
            if (e.contains("as=partialobjectmetadata") && e.contains("g=meta.k8s.io")) {
                return Form.PARTIAL_METADATA;
            }
            if (e.contains("as=apigroupdiscoverylist") && e.contains("g=apidiscovery.k8s.io")) {
                return e.contains("v=v2beta1") ? Form.AGGREGATED_V2BETA1 : Form.AGGREGATED_V2;
            }
            if (e.startsWith("application/json") || e.startsWith("*/*") || e.startsWith("application/*")
                    || e.startsWith("application/yaml")) {
                return Form.OBJECT;
            }
        }
        return Form.OBJECT;
    }

    public static String baseType(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            return "application/json";
        }
        int semi = contentType.indexOf(';');
        return (semi < 0 ? contentType : contentType.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
    }

    /** Decodes a JSON or YAML body; anything else is a 415, malformed input a 400. */
    public static JsonNode decode(byte[] body, String contentType) {
        String type = baseType(contentType);
        try {
            switch (type) {
                case "application/json", "application/json-patch+json", "application/merge-patch+json",
                        "application/strategic-merge-patch+json", "*/*" -> {
                    JsonNode n = Json.parse(body);
                    if (n == null || n.isMissingNode()) {
                        throw ApiException.badRequest("the body of the request was empty");
                    }
                    return n;
                }
                case "application/yaml", "application/apply-patch+yaml", "text/yaml", "application/x-yaml" -> {
                    JsonNode n;
                    try (com.fasterxml.jackson.core.JsonParser p = YAML.createParser(body)) {
                        n = Json.parse(p);
                    }
                    if (n == null || n.isMissingNode()) {
                        throw ApiException.badRequest("the body of the request was empty");
                    }
                    return n;
                }
                case "application/vnd.kubernetes.protobuf" -> {
                    return dev.kubetest.apiserver.protobuf.ProtobufBodies.decode(body);
                }
                default -> throw ApiException.unsupportedMediaType(type);
            }
        } catch (IOException e) {
            String msg = e.getMessage() == null ? "" : e.getMessage().split("\n")[0];
            throw ApiException.badRequest("error decoding the request body: " + msg);
        }
    }
}
