package dev.kubetest.runtime.docker;

import dev.kubetest.core.clock.Clock;
import dev.kubetest.core.runtime.ContainerRuntime;
import dev.kubetest.core.runtime.ContainerRuntimeProvider;

/** The Docker runtime, chosen by name ({@code runtime("docker")}, {@code @KubeTest(runtime = DOCKER)}); never the default. */
public final class DockerRuntimeProvider implements ContainerRuntimeProvider {
    @Override
    public int priority() {
        return 100;
    }

    @Override
    public String name() {
        return "docker";
    }

    @Override
    public ContainerRuntime create(Clock clock) {
        return new DockerRuntime(clock);
    }
}
