package dev.kubetest.assertions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class KubeSoftAssertions_Test {

    @Test
    void should_pass_when_every_check_holds() {
        KubeSoftAssertions.assertSoftly(softly -> {
            softly.assertThat(Pods.ready()).isReady().isRunning();
            softly.assertThat(WorkloadAssert_Test.deployment(3, 3, 3, "NewReplicaSetAvailable")).isRolledOut();
        });
    }

    @Test
    void should_collect_every_failure_and_report_them_together() {
        KubeSoftAssertions softly = new KubeSoftAssertions();
        softly.assertThat(Pods.crashLooping()).isReady().container("web").isRunning().hasRestartCount(3);
        softly.assertThat(Pods.ready()).isReady();
        assertThat(softly.errorsCollected()).hasSize(2);
        assertThatThrownBy(softly::assertAll)
                .hasMessageStartingWith("2 Kubernetes checks failed:\n1) Expecting pod default/web-0 to be Ready, but it is not.")
                .hasMessageContaining("\n2) Expecting container web of pod default/web-0 to be running, but it is waiting (CrashLoopBackOff")
                .satisfies(e -> assertThat(e.getSuppressed()).hasSize(2));
    }
}
