package example;

import dev.kubetest.junit.KubeTest;

/**
 * The same scenario on real containers: one setting. It needs a Docker engine (DOCKER_HOST or the default socket)
 * with a {@code busybox} image; without one the class is skipped with the reason (or fails with
 * {@code -Dkubetest.require.docker=true}, as in KubeTest's CI).
 */
@KubeTest(runtime = KubeTest.Runtime.DOCKER)
class DockerContainersTest extends WebPageScenario {
}
