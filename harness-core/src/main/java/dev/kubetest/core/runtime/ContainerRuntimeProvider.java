package dev.kubetest.core.runtime;

import dev.kubetest.core.clock.Clock;
import java.util.List;

/**
 * Found with ServiceLoader: the runtime a cluster uses when the test does not choose one. Providers are stateless
 * factories; the class path is searched once (see {@link #preferred}), not at every boot.
 */
public interface ContainerRuntimeProvider {
    /** Lower is preferred. */
    int priority();

    ContainerRuntime create(Clock clock);

    /** The name a test chooses the runtime by ({@code simulated}, {@code docker}). */
    default String name() {
        return getClass().getSimpleName();
    }

    /**
     * The provider called {@code name} on the class path.
     *
     * @throws IllegalArgumentException naming the providers there are, when none is called so
     */
    static ContainerRuntimeProvider named(String name) {
        List<String> names = new java.util.ArrayList<>();
        for (ContainerRuntimeProvider p : java.util.ServiceLoader.load(ContainerRuntimeProvider.class,
                ContainerRuntimeProvider.class.getClassLoader())) {
            if (p.name().equalsIgnoreCase(name)) {
                return p;
            }
            names.add(p.name());
        }
        throw new IllegalArgumentException("no container runtime called \"" + name + "\" on the class path (there are: "
                + names + "); the simulated and Docker runtimes come with kubetest-fake-runtime");
    }

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
