package dev.kubetest.assertions;

import static dev.kubetest.assertions.KubeAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PodAssert_isReady_Test {

    @Test
    void should_pass_when_the_ready_condition_is_true() {
        assertThat(Pods.ready()).isReady().isRunning();
    }

    @Test
    void should_fail_naming_the_pod_and_why_it_is_not_ready() {
        assertThatThrownBy(() -> assertThat(Pods.crashLooping()).isReady())
                .isInstanceOf(AssertionError.class)
                .hasMessage(("%nExpecting pod default/web-0 to be Ready, but it is not. Now: phase Running; Ready False "
                        + "(ContainersNotReady: containers with unready status: [web]); container web waiting (CrashLoopBackOff: "
                        + "back-off 40s restarting failed container=web pod=web-0_default(u-1)), not ready, 3 restarts, "
                        + "last terminated: exit code 1 (Error).").formatted());
    }

    @Test
    void should_fail_isNotReady_on_a_ready_pod() {
        assertThatThrownBy(() -> assertThat(Pods.ready()).isNotReady())
                .hasMessageContaining("Expecting pod default/web-0 to be not Ready, but it is not.");
    }
}
