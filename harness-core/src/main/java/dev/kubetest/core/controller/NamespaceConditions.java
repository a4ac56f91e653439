package dev.kubetest.core.controller;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubetest.core.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The status conditions of a terminating namespace, as upstream's namespace controller writes them, from what
 * is left in it. A pure function: {@code remaining} counts objects per resource ({@code pods.},
 * {@code widgets.example.com}), {@code finalizers} counts objects per finalizer still holding them.
 */
public final class NamespaceConditions {
    private NamespaceConditions() {}

    /** One condition: type, status, reason, message. */
    public record Condition(String type, String status, String reason, String message) {}

    public static List<Condition> of(Map<String, Integer> remaining, Map<String, Integer> finalizers,
                                     String contentFailure) {
        List<Condition> out = new ArrayList<>();
        out.add(new Condition("NamespaceDeletionDiscoveryFailure", "False", "ResourcesDiscovered",
                "All resources successfully discovered"));
        out.add(new Condition("NamespaceDeletionGroupVersionParsingFailure", "False", "ParsedGroupVersions",
                "All legacy kube types successfully parsed"));
        if (contentFailure == null) {
            out.add(new Condition("NamespaceDeletionContentFailure", "False", "ContentDeleted",
                    "All content successfully deleted, may be waiting on finalization"));
        } else {
            out.add(new Condition("NamespaceDeletionContentFailure", "True", "ContentDeletionFailed",
                    "Failed to delete all resource types, 1 remaining: " + contentFailure));
        }
        if (remaining.isEmpty()) {
            out.add(new Condition("NamespaceContentRemaining", "False", "ContentRemoved", "All content successfully removed"));
        } else {
            List<String> parts = new ArrayList<>();
            remaining.forEach((r, n) -> parts.add(r + " has " + n + " resource instances"));
            out.add(new Condition("NamespaceContentRemaining", "True", "SomeResourcesRemain",
                    "Some resources are remaining: " + String.join(", ", parts)));
        }
        if (finalizers.isEmpty()) {
            out.add(new Condition("NamespaceFinalizersRemaining", "False", "ContentHasNoFinalizers",
                    "All content-preserving finalizers finished"));
        } else {
            List<String> parts = new ArrayList<>();
            finalizers.forEach((f, n) -> parts.add(f + " in " + n + " resource instances"));
            out.add(new Condition("NamespaceFinalizersRemaining", "True", "SomeFinalizersRemain",
                    "Some content in the namespace has finalizers remaining: " + String.join(", ", parts)));
        }
        return out;
    }

    /** Writes {@code conditions} into {@code status.conditions}, keeping lastTransitionTime when a status is unchanged. */
    public static void apply(ObjectNode namespace, List<Condition> conditions, String now) {
        ObjectNode status = Json.with(namespace, "status");
        ArrayNode old = status.path("conditions").isArray() ? (ArrayNode) status.get("conditions") : Json.NODES.arrayNode();
        ArrayNode next = Json.NODES.arrayNode();
        for (Condition c : conditions) {
            ObjectNode o = next.addObject();
            o.put("type", c.type());
            o.put("status", c.status());
            String since = now;
            for (var prev : old) {
                if (prev.path("type").asText().equals(c.type()) && prev.path("status").asText().equals(c.status())) {
                    since = prev.path("lastTransitionTime").asText(now);
                }
            }
            o.put("lastTransitionTime", since);
            o.put("reason", c.reason());
            o.put("message", c.message());
        }
        status.set("conditions", next);
    }
}
