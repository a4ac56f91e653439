package dev.kubetest.assertions;

import static dev.kubetest.assertions.error.ShouldBeRolledOut.shouldBeRolledOut;
import static dev.kubetest.assertions.error.ShouldHaveCondition.shouldHaveCondition;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import java.util.Optional;

/**
 * Assertions on a Deployment: rolled out (as {@code kubectl rollout status} judges it), available, replica counts,
 * conditions and revision. Waits for a rollout stop at once on ProgressDeadlineExceeded.
 */
public class DeploymentAssert extends KubeObjectAssert<DeploymentAssert, Deployment> {

    public DeploymentAssert(ObjectSource<Deployment> source) {
        super(source, DeploymentAssert.class);
    }

    static Optional<DeploymentCondition> condition(Deployment d, String type) {
        return d.getStatus() == null || d.getStatus().getConditions() == null ? Optional.empty()
                : d.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst();
    }

    static boolean deadlineExceeded(Deployment d) {
        return condition(d, "Progressing").map(c -> "ProgressDeadlineExceeded".equals(c.getReason())).orElse(false);
    }

    /**
     * As {@code kubectl rollout status}: the controller saw the latest spec, every replica is updated, no old one
     * is left, and all are available.
     */
    public DeploymentAssert isRolledOut() {
        return checkPresent("is rolled out", d -> {
            int want = Counts.of(d.getSpec().getReplicas());
            var s = d.getStatus();
            boolean done = s != null && s.getObservedGeneration() != null && s.getObservedGeneration() >= d.getMetadata().getGeneration()
                    && Counts.of(s.getUpdatedReplicas()) == want && Counts.of(s.getReplicas()) == want
                    && Counts.of(s.getAvailableReplicas()) == want;
            return done ? Verdict.pass() : Verdict.failUnless(deadlineExceeded(d), shouldBeRolledOut(describe(), Describe.deployment(d)));
        });
    }

    /** The Available condition is True (at least replicas - maxUnavailable pods available). */
    public DeploymentAssert isAvailable() {
        return hasCondition("Available", "True");
    }

    /** The Progressing condition says ProgressDeadlineExceeded. */
    public DeploymentAssert hasExceededItsProgressDeadline() {
        return hasCondition("Progressing", "False", "ProgressDeadlineExceeded");
    }

    public DeploymentAssert hasCondition(String type, String status) {
        return hasCondition(type, status, null);
    }

    public DeploymentAssert hasCondition(String type, String status, String reason) {
        String expected = Describe.condition(type, status, reason, null);
        return checkPresent("has condition " + expected, d -> {
            var c = condition(d, type);
            boolean ok = c.isPresent() && status.equals(c.get().getStatus()) && (reason == null || reason.equals(c.get().getReason()));
            return ok ? Verdict.pass() : Verdict.fail(shouldHaveCondition(describe(), expected,
                    c.map(x -> Describe.condition(x.getType(), x.getStatus(), x.getReason(), x.getMessage())).orElse("no " + type + " condition"),
                    Describe.deployment(d)));
        });
    }

    public DeploymentAssert hasReadyReplicas(int n) {
        return hasCount("ready", "replicas", n, d -> d.getStatus() == null ? 0 : Counts.of(d.getStatus().getReadyReplicas()), Describe::deployment);
    }

    public DeploymentAssert hasAvailableReplicas(int n) {
        return hasCount("available", "replicas", n, d -> d.getStatus() == null ? 0 : Counts.of(d.getStatus().getAvailableReplicas()), Describe::deployment);
    }

    public DeploymentAssert hasUpdatedReplicas(int n) {
        return hasCount("up-to-date", "replicas", n, d -> d.getStatus() == null ? 0 : Counts.of(d.getStatus().getUpdatedReplicas()), Describe::deployment);
    }

    /** {@code status.replicas}: pods of all its ReplicaSets (old and new) that are not terminating. */
    public DeploymentAssert hasReplicas(int n) {
        return hasCount("current", "replicas", n, d -> d.getStatus() == null ? 0 : Counts.of(d.getStatus().getReplicas()), Describe::deployment);
    }

    /** The {@code deployment.kubernetes.io/revision} annotation (what {@code kubectl rollout history} lists). */
    public DeploymentAssert hasRevision(int revision) {
        return hasAnnotation("deployment.kubernetes.io/revision", Integer.toString(revision));
    }
}
