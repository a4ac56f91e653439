package dev.kubetest.assertions;

import static dev.kubetest.assertions.KubeAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import org.junit.jupiter.api.Test;

/** Deployments, Jobs, claims and nodes: should_pass and should_fail with the message of each factory. */
class WorkloadAssert_Test {

    static Deployment deployment(int replicas, int updated, int available, String progressingReason) {
        return new DeploymentBuilder().withNewMetadata().withName("web").withNamespace("shop").withGeneration(2L)
                .addToAnnotations("deployment.kubernetes.io/revision", "2").endMetadata()
                .withNewSpec().withReplicas(replicas).endSpec()
                .withNewStatus().withObservedGeneration(2L).withReplicas(replicas).withUpdatedReplicas(updated)
                .withReadyReplicas(available).withAvailableReplicas(available)
                .addNewCondition().withType("Available").withStatus(available >= replicas - 1 ? "True" : "False")
                .withReason(available >= replicas - 1 ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable").endCondition()
                .addNewCondition().withType("Progressing").withStatus(progressingReason.equals("ProgressDeadlineExceeded") ? "False" : "True")
                .withReason(progressingReason).endCondition()
                .endStatus().build();
    }

    @Test
    void deployment_should_pass_isRolledOut_when_every_replica_is_updated_and_available() {
        assertThat(deployment(3, 3, 3, "NewReplicaSetAvailable")).isRolledOut().isAvailable().hasRevision(2)
                .hasReadyReplicas(3).hasAvailableReplicas(3).hasUpdatedReplicas(3);
    }

    @Test
    void deployment_should_fail_isRolledOut_with_its_counts_and_conditions() {
        assertThatThrownBy(() -> assertThat(deployment(3, 1, 2, "ReplicaSetUpdated")).isRolledOut())
                .hasMessage("%nExpecting deployment shop/web to be rolled out (every replica updated and available), but it is not. "
                        .formatted() + "Now: ready 2/3, up-to-date 1, available 2; Available True (MinimumReplicasAvailable); "
                        + "Progressing True (ReplicaSetUpdated).");
    }

    @Test
    void deployment_should_fail_hasCondition_with_the_condition_it_has() {
        assertThatThrownBy(() -> assertThat(deployment(3, 1, 2, "ProgressDeadlineExceeded")).hasCondition("Progressing", "True"))
                .hasMessageStartingWith("%nExpecting deployment shop/web to have condition Progressing True, but it has Progressing False (ProgressDeadlineExceeded)."
                        .formatted());
    }

    static Job job(String conditionType, String reason, int succeeded, int failed) {
        JobBuilder b = new JobBuilder().withNewMetadata().withName("migrate").withNamespace("shop").endMetadata()
                .withNewSpec().withCompletions(2).endSpec()
                .withNewStatus().withSucceeded(succeeded).withFailed(failed).withActive(0).endStatus();
        if (conditionType != null) {
            b.editStatus().addNewCondition().withType(conditionType).withStatus("True").withReason(reason).endCondition().endStatus();
        }
        return b.build();
    }

    @Test
    void job_should_pass_isComplete_and_its_counts() {
        assertThat(job("Complete", "CompletionsReached", 2, 1)).isComplete().hasSucceeded(2).hasFailedPods(1).hasActive(0);
    }

    @Test
    void job_should_fail_isComplete_with_its_failure() {
        assertThatThrownBy(() -> assertThat(job("Failed", "BackoffLimitExceeded", 0, 7)).isComplete())
                .hasMessage("%nExpecting job shop/migrate to be Complete, but it is not. Now: active 0, succeeded 0 of 2, failed 7; "
                        .formatted() + "Failed True (BackoffLimitExceeded).");
        assertThat(job("Failed", "BackoffLimitExceeded", 0, 7)).isFailed("BackoffLimitExceeded");
    }

    @Test
    void claim_should_pass_isBound_and_fail_with_its_phase() {
        var bound = new PersistentVolumeClaimBuilder().withNewMetadata().withName("data").withNamespace("shop").endMetadata()
                .withNewSpec().withVolumeName("pvc-1").endSpec().withNewStatus().withPhase("Bound")
                .addToCapacity("storage", new Quantity("1Gi")).endStatus().build();
        assertThat(bound).isBound().hasCapacity("1024Mi");
        assertThatThrownBy(() -> assertThat(bound).isLost())
                .hasMessage("%nExpecting persistentvolumeclaim shop/data to be in phase Lost, but it is not. Now: phase Bound, volume pvc-1, capacity 1Gi."
                        .formatted());
    }

    @Test
    void node_should_pass_hasTaint_and_fail_listing_its_taints() {
        var node = new NodeBuilder().withNewMetadata().withName("gpu").endMetadata().withNewSpec().addNewTaint().withKey("gpu")
                .withValue("true").withEffect("NoSchedule").endTaint().endSpec().withNewStatus().addNewCondition().withType("Ready")
                .withStatus("True").withReason("KubeletReady").endCondition().endStatus().build();
        assertThat(node).isReady().hasTaint("gpu", "NoSchedule").isSchedulable();
        assertThatThrownBy(() -> assertThat(node).hasTaint("gpu", "NoExecute"))
                .hasMessage("%nExpecting node gpu to have taint gpu:NoExecute, but it has taints [gpu=true:NoSchedule].".formatted());
    }
}
