package dev.kubetest.core.admission;

import dev.kubetest.core.meta.ObjectNames;

/** Roles, ClusterRoles and their bindings: names are path segments (no '/', '%', '.' or '..'). */
final class RbacStrategy implements KindStrategy {
    @Override
    public ObjectNames.Rule nameRule() {
        return ObjectNames.Rule.PATH_SEGMENT;
    }
}
