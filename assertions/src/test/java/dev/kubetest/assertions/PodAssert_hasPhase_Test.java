package dev.kubetest.assertions;

import static dev.kubetest.assertions.KubeAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PodAssert_hasPhase_Test {

    @Test
    void should_pass_on_the_phase() {
        assertThat(Pods.failed()).isFailed().hasPhase("Failed");
    }

    @Test
    void should_fail_with_the_phase_it_has() {
        assertThatThrownBy(() -> assertThat(Pods.failed()).isSucceeded())
                .hasMessage("%nExpecting pod default/web-0 to be in phase Succeeded, but it is not. Now: phase Failed; "
                        .formatted() + "Ready False (PodFailed); container web terminated: exit code 2 (Error), not ready, 0 restarts.");
    }

    @Test
    void should_fail_when_the_pod_does_not_exist() {
        assertThatThrownBy(() -> assertThat((io.fabric8.kubernetes.api.model.Pod) null).isRunning())
                .hasMessage("%nExpecting object to exist, but it does not.".formatted());
    }
}
