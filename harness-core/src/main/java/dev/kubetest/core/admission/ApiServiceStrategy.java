package dev.kubetest.core.admission;

import dev.kubetest.core.meta.ObjectNames;

/** APIServices: named version.group ("v1." for the core group). */
final class ApiServiceStrategy implements KindStrategy {
    @Override
    public ObjectNames.Rule nameRule() {
        return ObjectNames.Rule.API_SERVICE;
    }
}
