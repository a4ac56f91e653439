package dev.kubetest.assertions;

import static dev.kubetest.assertions.KubeAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ContainerAssert_Test {

    @Test
    void should_pass_isWaitingWithReason_on_the_reason() {
        assertThat(Pods.crashLooping()).container("web").isWaitingWithReason("CrashLoopBackOff").hasLastExitCode(1)
                .hasLastTerminationReason("Error").hasRestartCount(3).hasImage("nginx:1.27");
    }

    @Test
    void should_fail_isWaitingWithReason_with_the_state_it_is_in() {
        assertThatThrownBy(() -> assertThat(Pods.ready()).container("web").isWaitingWithReason("ImagePullBackOff"))
                .hasMessage("%nExpecting container web of pod default/web-0 to be waiting with reason ImagePullBackOff, but it is running."
                        .formatted());
    }

    @Test
    void should_pass_hasLastTerminationReason_on_OOMKilled() {
        assertThat(Pods.oomKilled()).container().hasLastTerminationReason("OOMKilled").hasLastExitCode(137).isRunning();
    }

    @Test
    void should_fail_hasLastTerminationReason_with_the_last_termination() {
        assertThatThrownBy(() -> assertThat(Pods.crashLooping()).container("web").hasLastTerminationReason("OOMKilled"))
                .hasMessage("%nExpecting the last termination of container web of pod default/web-0 to be reason OOMKilled, but it was exit code 1 (Error)."
                        .formatted());
    }

    @Test
    void should_fail_for_a_container_the_pod_does_not_have() {
        assertThatThrownBy(() -> assertThat(Pods.ready()).container("sidecar").isRunning())
                .hasMessage("%nExpecting pod default/web-0 to have a container sidecar with a status, but it has web.".formatted());
    }

    @Test
    void should_check_a_container_status_on_its_own() {
        assertThat(Pods.oomKilled().getStatus().getContainerStatuses().get(0)).hasLastTerminationReason("OOMKilled");
    }
}
