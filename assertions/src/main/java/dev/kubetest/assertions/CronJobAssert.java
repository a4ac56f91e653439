package dev.kubetest.assertions;

import static dev.kubetest.assertions.error.ShouldBeFinished.shouldBeFinished;
import static dev.kubetest.assertions.error.ShouldHaveCount.shouldHaveCount;

import io.fabric8.kubernetes.api.model.batch.v1.CronJob;

/** Assertions on a CronJob: active Jobs, whether and when it was scheduled and last succeeded, suspension. */
public class CronJobAssert extends KubeObjectAssert<CronJobAssert, CronJob> {

    public CronJobAssert(ObjectSource<CronJob> source) {
        super(source, CronJobAssert.class);
    }

    public CronJobAssert hasActiveJobs(int n) {
        return checkPresent("has " + n + " active Jobs", c -> {
            int actual = c.getStatus() == null || c.getStatus().getActive() == null ? 0 : c.getStatus().getActive().size();
            return actual == n ? Verdict.pass() : Verdict.fail(shouldHaveCount(describe(), "active Jobs", Integer.toString(n), actual,
                    Describe.status(c)));
        });
    }

    /** {@code status.lastScheduleTime} is set: it has started a Job at least once. */
    public CronJobAssert hasBeenScheduled() {
        return checkPresent("has been scheduled", c -> c.getStatus() != null && c.getStatus().getLastScheduleTime() != null
                ? Verdict.pass() : Verdict.fail(shouldBeFinished(describe(), "scheduled at least once", Describe.status(c))));
    }

    /** {@code status.lastSuccessfulTime} is set: one of its Jobs completed. */
    public CronJobAssert hasSucceededOnce() {
        return checkPresent("has a successful Job", c -> c.getStatus() != null && c.getStatus().getLastSuccessfulTime() != null
                ? Verdict.pass() : Verdict.fail(shouldBeFinished(describe(), "successful at least once", Describe.status(c))));
    }

    public CronJobAssert isSuspended() {
        return checkPresent("is suspended", c -> Boolean.TRUE.equals(c.getSpec().getSuspend()) ? Verdict.pass()
                : Verdict.fail(shouldBeFinished(describe(), "suspended", Describe.status(c))));
    }
}
