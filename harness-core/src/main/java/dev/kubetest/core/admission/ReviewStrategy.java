package dev.kubetest.core.admission;

import dev.kubetest.core.meta.ResourceType;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubetest.core.json.Json;
import java.util.Optional;

/**
 * The create-only review kinds (access reviews, rules reviews, token and self-subject reviews): never stored,
 * answered with the request plus a status. Until authorization exists every request is allowed, and the caller
 * is the cluster admin.
 */
final class ReviewStrategy implements KindStrategy {
    @Override
    public Optional<ObjectNode> answerWithoutStoring(ResourceType type, ObjectNode request) {
        return Optional.of(answer(type, request));
    }

    private static ObjectNode answer(ResourceType type, ObjectNode request) {
        ObjectNode out = request.deepCopy();
        out.put("apiVersion", type.apiVersion());
        out.put("kind", type.kind());
        Json.with(out, "metadata");
        ObjectNode status = out.putObject("status");
        switch (type.plural()) {
            case "selfsubjectrulesreviews" -> {
                ObjectNode rule = status.putArray("resourceRules").addObject();
                rule.putArray("verbs").add("*");
                rule.putArray("apiGroups").add("*");
                rule.putArray("resources").add("*");
                ObjectNode nonResource = status.putArray("nonResourceRules").addObject();
                nonResource.putArray("verbs").add("*");
                nonResource.putArray("nonResourceURLs").add("*");
                status.put("incomplete", false);
            }
            case "tokenreviews" -> {
                status.put("authenticated", true);
                admin(status.putObject("user"));
                status.set("audiences", request.path("spec").path("audiences").deepCopy());
            }
            case "selfsubjectreviews" -> admin(status.putObject("userInfo"));
            default -> {
                status.put("allowed", true);
                status.put("reason", "KubeTest allows every request until authorization is configured");
            }
        }
        return out;
    }

    private static void admin(ObjectNode user) {
        user.put("username", "kubetest-admin");
        user.putArray("groups").add("system:masters").add("system:authenticated");
    }
}
