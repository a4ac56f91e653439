package dev.kubetest.core.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubetest.core.meta.ApiException;
import dev.kubetest.core.meta.ApiException.Cause;
import dev.kubetest.core.meta.ResourceType;
import dev.kubetest.core.json.Json;
import java.util.ArrayList;
import java.util.List;

/**
 * Upstream's Priority admission plugin and PriorityClass validation: a pod's {@code priorityClassName} (or the
 * class marked {@code globalDefault}) resolves into {@code spec.priority} and {@code spec.preemptionPolicy}; an
 * unknown class, or a priority given by hand that differs from the class's, is forbidden.
 */
public final class PriorityAdmission {
    public static final long HIGHEST_USER_DEFINABLE = 1_000_000_000L;
    public static final String SYSTEM_PREFIX = "system-";

    /** The cluster's PriorityClasses, looked up by the plugin. */
    public interface Classes {
        JsonNode find(String name);

        List<? extends JsonNode> all();
    }

    /** The two classes every cluster has: name, value and description as upstream. */
    public static List<ObjectNode> systemClasses() {
        List<ObjectNode> out = new ArrayList<>();
        out.add(systemClass("system-node-critical", 2_000_001_000L,
                "Used for system critical pods that must not be moved from their current node."));
        out.add(systemClass("system-cluster-critical", 2_000_000_000L,
                "Used for system critical pods that must run in the cluster, but can be moved to another node if necessary."));
        return out;
    }

    private static ObjectNode systemClass(String name, long value, String description) {
        ObjectNode pc = Json.object();
        pc.putObject("metadata").put("name", name);
        pc.put("value", value);
        pc.put("description", description);
        return pc;
    }

    private PriorityAdmission() {}

    /** Resolves the pod's priority from its class, as upstream's admission does on create. */
    static void pod(ResourceType pods, ObjectNode pod, String name, Classes classes) {
        ObjectNode spec = Json.with(pod, "spec");
        String className = spec.path("priorityClassName").asText("");
        JsonNode pc = null;
        if (className.isEmpty()) {
            for (JsonNode c : classes.all()) {
                if (c.path("globalDefault").asBoolean(false)) {
                    pc = c;
                }
            }
            if (pc != null) {
                spec.put("priorityClassName", pc.path("metadata").path("name").asText());
            }
        } else {
            pc = classes.find(className);
            if (pc == null) {
                throw ApiException.forbidden(pods, name, "no PriorityClass with name " + className + " was found");
            }
        }
        long value = pc == null ? 0 : pc.path("value").asLong(0);
        String policy = pc == null ? "PreemptLowerPriority" : pc.path("preemptionPolicy").asText("PreemptLowerPriority");
        if (spec.has("priority") && spec.path("priority").asLong() != value) {
            throw ApiException.forbidden(pods, name, "the integer value of priority (" + spec.path("priority").asLong()
                    + ") must not be provided in pod spec; priority admission controller computed " + value
                    + " from the given PriorityClass name");
        }
        if (spec.has("preemptionPolicy") && !spec.path("preemptionPolicy").asText().equals(policy)) {
            throw ApiException.forbidden(pods, name, "the string value of PreemptionPolicy ("
                    + spec.path("preemptionPolicy").asText() + ") must not be provided in pod spec; priority admission "
                    + "controller computed " + policy + " from the given PriorityClass name");
        }
        spec.put("priority", value);
        spec.put("preemptionPolicy", policy);
    }

    /** Validates a new PriorityClass: reserved names, the user range, a single global default. */
    static void priorityClass(ResourceType type, ObjectNode pc, Classes classes) {
        String name = pc.path("metadata").path("name").asText();
        if (!pc.has("preemptionPolicy")) {
            pc.put("preemptionPolicy", "PreemptLowerPriority");
        }
        boolean system = systemClasses().stream().anyMatch(s -> s.path("metadata").path("name").asText().equals(name)
                && s.path("value").asLong() == pc.path("value").asLong());
        List<Cause> causes = new ArrayList<>();
        if (!system && name.startsWith(SYSTEM_PREFIX)) {
            causes.add(new Cause("FieldValueForbidden", "Forbidden: priority class names with '" + SYSTEM_PREFIX
                    + "' prefix are reserved", "metadata.name"));
        }
        if (!system && pc.path("value").asLong() > HIGHEST_USER_DEFINABLE) {
            causes.add(new Cause("FieldValueForbidden", "Forbidden: maximum allowed value of a user defined priority is "
                    + HIGHEST_USER_DEFINABLE, "value"));
        }
        if (!causes.isEmpty()) {
            throw ApiException.invalid(type, name, causes);
        }
        if (pc.path("globalDefault").asBoolean(false)) {
            for (JsonNode other : classes.all()) {
                if (other.path("globalDefault").asBoolean(false) && !other.path("metadata").path("name").asText().equals(name)) {
                    throw ApiException.forbidden(type, name, "PriorityClass " + other.path("metadata").path("name").asText()
                            + " is already marked as default. Only one default can exist");
                }
            }
        }
    }
}
