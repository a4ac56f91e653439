package dev.kubetest.assertions;

import static dev.kubetest.assertions.error.ShouldBeFinished.shouldBeFinished;
import static dev.kubetest.assertions.error.ShouldHaveCount.shouldHaveCount;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import java.util.Optional;
import java.util.function.Function;

/**
 * Assertions on a Job: complete or failed (with the reason), succeeded, failed and active pod counts, suspended.
 * A wait for completion stops at once when the Job fails, and the other way round.
 */
public class JobAssert extends KubeObjectAssert<JobAssert, Job> {

    public JobAssert(ObjectSource<Job> source) {
        super(source, JobAssert.class);
    }

    static Optional<JobCondition> condition(Job j, String type) {
        return j.getStatus() == null || j.getStatus().getConditions() == null ? Optional.empty()
                : j.getStatus().getConditions().stream().filter(c -> type.equals(c.getType()) && "True".equals(c.getStatus())).findFirst();
    }

    /** The Complete condition is True; hopeless once the Job has failed. */
    public JobAssert isComplete() {
        return checkPresent("is complete", j -> condition(j, "Complete").isPresent() ? Verdict.pass()
                : Verdict.failUnless(condition(j, "Failed").isPresent(), shouldBeFinished(describe(), "Complete", Describe.job(j))));
    }

    /** The Failed condition is True; hopeless once the Job has completed. */
    public JobAssert isFailed() {
        return isFailed(null);
    }

    /** Failed for this reason: BackoffLimitExceeded, DeadlineExceeded, PodFailurePolicy, MaxFailedIndexesExceeded. */
    public JobAssert isFailed(String reason) {
        String expected = "Failed" + (reason == null ? "" : " (" + reason + ")");
        return checkPresent("has failed", j -> {
            var failed = condition(j, "Failed");
            if (failed.isPresent() && (reason == null || reason.equals(failed.get().getReason()))) {
                return Verdict.pass();
            }
            return Verdict.failUnless(failed.isPresent() || condition(j, "Complete").isPresent(),
                    shouldBeFinished(describe(), expected, Describe.job(j)));
        });
    }

    public JobAssert isSuspended() {
        return checkPresent("is suspended", j -> condition(j, "Suspended").isPresent() ? Verdict.pass()
                : Verdict.fail(shouldBeFinished(describe(), "Suspended", Describe.job(j))));
    }

    /** {@code status.succeeded}: hopeless once more pods succeeded. */
    public JobAssert hasSucceeded(int n) {
        return count("succeeded pods", n, j -> Counts.of(j.getStatus().getSucceeded()), true);
    }

    /** {@code status.failed}: hopeless once more pods failed. */
    public JobAssert hasFailedPods(int n) {
        return count("failed pods", n, j -> Counts.of(j.getStatus().getFailed()), true);
    }

    public JobAssert hasActive(int n) {
        return count("active pods", n, j -> Counts.of(j.getStatus().getActive()), false);
    }

    private JobAssert count(String which, int n, Function<Job, Integer> read, boolean onlyGrows) {
        return checkPresent("has " + n + " " + which, j -> {
            int actual = j.getStatus() == null ? 0 : read.apply(j);
            boolean finished = condition(j, "Complete").isPresent() || condition(j, "Failed").isPresent();
            return actual == n ? Verdict.pass() : Verdict.failUnless((onlyGrows && actual > n) || finished,
                    shouldHaveCount(describe(), which, Integer.toString(n), actual, Describe.job(j)));
        });
    }
}
