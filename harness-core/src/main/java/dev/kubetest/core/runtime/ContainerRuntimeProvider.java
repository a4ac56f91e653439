package dev.kubetest.core.runtime;

import dev.kubetest.core.clock.Clock;

/** Found with ServiceLoader: the runtime a cluster uses when the test does not choose one. */
public interface ContainerRuntimeProvider {
    /** Lower is preferred. */
    int priority();

    ContainerRuntime create(Clock clock);
}
