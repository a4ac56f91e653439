package dev.kubetest.runtime.simulated;

import dev.kubetest.core.clock.Clock;
import dev.kubetest.core.runtime.ContainerRuntime;
import dev.kubetest.core.runtime.ContainerRuntimeProvider;

/** Makes the simulated runtime the default wherever this module is on the classpath. */
public final class SimulatedRuntimeProvider implements ContainerRuntimeProvider {
    @Override
    public int priority() {
        return 0;
    }

    @Override
    public String name() {
        return "simulated";
    }

    @Override
    public ContainerRuntime create(Clock clock) {
        return new SimulatedRuntime(clock);
    }
}
