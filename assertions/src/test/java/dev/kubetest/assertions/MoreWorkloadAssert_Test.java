package dev.kubetest.assertions;

import static dev.kubetest.assertions.KubeAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import org.junit.jupiter.api.Test;

/** StatefulSets, DaemonSets, ReplicaSets, CronJobs and Services: should_pass and should_fail with the message. */
class MoreWorkloadAssert_Test {

    @Test
    void statefulSet_should_pass_isRolledOut_and_fail_while_updating() {
        var done = new StatefulSetBuilder().withNewMetadata().withName("db").withNamespace("shop").withGeneration(3L).endMetadata()
                .withNewSpec().withReplicas(2).endSpec().withNewStatus().withObservedGeneration(3L).withReplicas(2).withReadyReplicas(2)
                .withUpdatedReplicas(2).withAvailableReplicas(2).withCurrentRevision("db-abc").withUpdateRevision("db-abc").endStatus().build();
        assertThat(done).isRolledOut().hasReadyReplicas(2).hasAvailableReplicas(2).hasUpdatedReplicas(2);
        var updating = new StatefulSetBuilder(done).editStatus().withUpdatedReplicas(1).withReadyReplicas(1)
                .withUpdateRevision("db-def").endStatus().build();
        assertThatThrownBy(() -> assertThat(updating).isRolledOut())
                .hasMessage("%nExpecting statefulset shop/db to be rolled out (every replica updated and available), but it is not. "
                        .formatted() + "Now: ready 1/2, updated 1, available 2, revision db-abc updating to db-def.");
    }

    @Test
    void daemonSet_should_pass_isRolledOut_and_fail_with_its_counts() {
        var ds = new DaemonSetBuilder().withNewMetadata().withName("agent").withNamespace("kube-system").withGeneration(1L).endMetadata()
                .withNewStatus().withObservedGeneration(1L).withDesiredNumberScheduled(3).withCurrentNumberScheduled(3)
                .withNumberReady(3).withUpdatedNumberScheduled(3).withNumberAvailable(3).endStatus().build();
        assertThat(ds).isRolledOut().hasDesiredNumberScheduled(3).hasNumberReady(3).hasNumberAvailable(3);
        assertThatThrownBy(() -> assertThat(ds).hasNumberReady(4))
                .hasMessage("%nExpecting daemonset kube-system/agent to have 4 ready pods, but it has 3. ".formatted()
                        + "Now: desired 3, current 3, ready 3, up-to-date 3, available 3.");
    }

    @Test
    void replicaSet_should_fail_with_its_counts() {
        var rs = new ReplicaSetBuilder().withNewMetadata().withName("web-7d9").withNamespace("shop").endMetadata()
                .withNewSpec().withReplicas(3).endSpec().withNewStatus().withReplicas(3).withReadyReplicas(1).withAvailableReplicas(1)
                .endStatus().build();
        assertThat(rs).hasReplicas(3).hasReadyReplicas(1);
        assertThatThrownBy(() -> assertThat(rs).hasAvailableReplicas(3))
                .hasMessage("%nExpecting replicaset shop/web-7d9 to have 3 available replicas, but it has 1. ".formatted()
                        + "Now: replicas 3, ready 1, available 1 of 3.");
    }

    @Test
    void cronJob_should_pass_and_fail_with_its_schedule_state() {
        var never = new CronJobBuilder().withNewMetadata().withName("cleanup").withNamespace("ops").endMetadata()
                .withNewSpec().withSchedule("*/5 * * * *").withSuspend(true).endSpec().build();
        assertThat(never).isSuspended().hasActiveJobs(0);
        assertThatThrownBy(() -> assertThat(never).hasBeenScheduled())
                .hasMessage("%nExpecting cronjob ops/cleanup to be scheduled at least once, but it is not. Now: never scheduled."
                        .formatted());
    }

    @Test
    void service_should_pass_and_fail_with_its_ports() {
        var svc = new ServiceBuilder().withNewMetadata().withName("web").withNamespace("shop").endMetadata().withNewSpec()
                .withType("ClusterIP").withClusterIP("10.96.0.12").addNewPort().withPort(80).withProtocol("TCP").endPort().endSpec().build();
        assertThat(svc).hasType("ClusterIP").hasClusterIP().hasPort(80);
        assertThatThrownBy(() -> assertThat(svc).hasPort(443))
                .hasMessage("%nExpecting service shop/web to have port 443, but it has ports [80/TCP].".formatted());
    }

    @Test
    void anyObject_should_fail_hasLabel_with_its_labels() {
        var svc = new ServiceBuilder().withNewMetadata().withName("web").withNamespace("shop").addToLabels("app", "web").endMetadata()
                .withNewSpec().endSpec().build();
        assertThat(svc).hasLabel("app", "web").exists();
        assertThatThrownBy(() -> assertThat(svc).hasLabel("tier", "front"))
                .hasMessage("%nExpecting service shop/web to have label tier=front, but it has labels {app=web}.".formatted());
    }
}
