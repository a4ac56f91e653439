package dev.kubetest.apiserver.support;

import dev.kubetest.core.KubeCluster;
import dev.kubetest.runtime.docker.DockerEngine;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * The container runtimes a scenario runs on, both in real time: the simulated one and Docker (real processes). Docker tests skip when no engine answers, unless {@code -Dkubetest.require.docker=true}
 * (as in CI) makes them fail.
 */
public final class Runtimes {
    private Runtimes() {}

    /** A cluster builder for the runtime called {@code name}, skipping (or failing) when it cannot run here. */
    public static KubeCluster.Builder builder(String name) {
        if (name.equals("docker")) {
            assumeDocker();
            return KubeCluster.builder().runtime("docker").timeMode(KubeCluster.TimeMode.REAL);
        }
        return KubeCluster.builder().runtime("simulated").timeMode(KubeCluster.TimeMode.REAL);
    }

    public static void assumeDocker() {
        Optional<String> why = DockerEngine.unavailable();
        if (why.isPresent()) {
            if (Boolean.getBoolean("kubetest.require.docker")) {
                throw new AssertionError("a Docker engine is required (-Dkubetest.require.docker=true): " + why.get());
            }
            Assumptions.abort(why.get() + ": skipping the Docker test");
        }
    }
}
