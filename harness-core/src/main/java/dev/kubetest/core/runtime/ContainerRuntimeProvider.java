package dev.kubetest.core.runtime;

import dev.kubetest.core.clock.Clock;

/**
 * Found with ServiceLoader: the runtime a cluster uses when the test does not choose one. Providers are stateless
 * factories; the class path is searched once (see {@link #preferred}), not at every boot.
 */
public interface ContainerRuntimeProvider {
    /** Lower is preferred. */
    int priority();

    ContainerRuntime create(Clock clock);

    /** The provider with the lowest priority on the class path, or null when there is none. */
    static ContainerRuntimeProvider preferred() {
        return Preferred.PROVIDER;
    }

    /** Looks the providers up when first asked (a class-path search costs ~0.5 ms at every boot otherwise). */
    final class Preferred {
        static final ContainerRuntimeProvider PROVIDER = find();

        private Preferred() {}

        private static ContainerRuntimeProvider find() {
            ContainerRuntimeProvider best = null;
            for (ContainerRuntimeProvider p : java.util.ServiceLoader.load(ContainerRuntimeProvider.class,
                    ContainerRuntimeProvider.class.getClassLoader())) {
                if (best == null || p.priority() < best.priority()) {
                    best = p;
                }
            }
            return best;
        }
    }
}
