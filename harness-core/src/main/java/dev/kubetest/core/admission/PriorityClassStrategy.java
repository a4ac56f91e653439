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

/** PriorityClasses: the priority admission's rules (one global default, reserved system names and values). */
final class PriorityClassStrategy implements KindStrategy {
    @Override
    public void admitCreate(ResourceType type, ObjectNode obj, AdmissionContext ctx) {
        PriorityAdmission.priorityClass(type, obj, ctx.priorityClasses());
    }
}
