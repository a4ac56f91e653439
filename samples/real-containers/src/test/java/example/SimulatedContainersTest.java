package example;

import dev.kubetest.junit.KubeTest;

/** The scenario on the default runtime: simulated containers, no Docker, milliseconds. */
@KubeTest
class SimulatedContainersTest extends WebPageScenario {
}
