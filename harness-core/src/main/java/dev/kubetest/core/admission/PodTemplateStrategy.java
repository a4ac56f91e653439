package dev.kubetest.core.admission;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** PodTemplates: the template's pod spec defaults. */
final class PodTemplateStrategy implements KindStrategy {
    @Override
    public void applyDefaults(ObjectNode obj) {
        Defaulting.template(obj.path("template"));
    }
}
