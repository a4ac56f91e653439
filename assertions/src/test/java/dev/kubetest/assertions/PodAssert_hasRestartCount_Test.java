package dev.kubetest.assertions;

import static dev.kubetest.assertions.KubeAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PodAssert_hasRestartCount_Test {

    @Test
    void should_pass_on_the_count() {
        assertThat(Pods.crashLooping()).hasRestartCount(3).hasRestartCountAtLeast(2);
    }

    @Test
    void should_fail_with_the_count_it_has() {
        assertThatThrownBy(() -> assertThat(Pods.crashLooping()).hasRestartCount(0))
                .hasMessageStartingWith("%nExpecting container (all) of pod default/web-0 to have restarted 0 times, but it restarted 3 times."
                        .formatted());
    }
}
