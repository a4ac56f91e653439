package dev.kubetest.core.admission;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubetest.core.meta.ResourceType;

/** PriorityClasses: the priority admission's rules (one global default, reserved system names and values). */
final class PriorityClassStrategy implements KindStrategy {
    @Override
    public void admitCreate(ResourceType type, ObjectNode obj, AdmissionContext ctx) {
        PriorityAdmission.priorityClass(type, obj, ctx.priorityClasses());
    }
}
